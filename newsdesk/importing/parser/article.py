"""The whole article: a file's text through every stage of the parser."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace

from newsdesk.importing.parser.bylines import (
    BYLINE_RE,
    CREDIT_LINE_RE,
    CREDITED_RE,
    DATELINE_RE,
    HEADLINE_PREFIX_RE,
    REPORTING_BY_RE,
    byline_people,
    looks_like_headline,
    mostly_date,
    provisional_headline,
)
from newsdesk.importing.parser.figures import extract_figures
from newsdesk.importing.parser.formats import Metadata, documents, kind_of
from newsdesk.importing.parser.furniture import (
    REPEATED_IN_FILES,
    TERMINAL_RE,
    Features,
    PageVocabulary,
    features,
    is_furniture,
    repeat_key,
    repeated_blocks,
    stop_words,
)
from newsdesk.importing.parser.language import LANGUAGES, detect_language
from newsdesk.importing.parser.limits import (
    DEFAULT_LIMITS,
    ImportLimits,
    cut_at_word,
    describe_bytes,
)
from newsdesk.importing.parser.provenance import (
    AGENCY_DATELINE_RE,
    domain_of,
    merge_attribution,
    parse_attribution,
)
from newsdesk.importing.parser.quotes import extract_quotes
from newsdesk.importing.parser.related import parse_related
from newsdesk.importing.parser.text import (
    Attribution,
    ParsedArticle,
    ParsedRelatedLink,
    ParseError,
    Removed,
    decode,
    normalise_text,
    split_paragraphs,
    split_sentences,
)


def parse_bytes(
    data: bytes,
    *,
    limits: ImportLimits = DEFAULT_LIMITS,
    repeated: frozenset[str] = frozenset(),
) -> ParsedArticle:
    """Parse a file's bytes; raises ParseError for an empty, binary, undecodable or
    oversized file."""
    check_size(len(data), limits)
    return parse_text(decode(data), limits=limits, repeated=repeated)


def check_size(size: int, limits: ImportLimits) -> None:
    """Refuse a file over the size limit before anything reads it whole."""
    if size > limits.max_file_bytes:
        raise ParseError(
            f"The file is {describe_bytes(size)}, over the import limit of "
            f"{describe_bytes(limits.max_file_bytes)} "
            f"({limits.setting('max_file_bytes')}).",
            "too_large",
        )


@dataclass
class _Page:
    """The blocks of a page as they are sorted into article and furniture."""

    paragraphs: list[str]
    removed: dict[int, str] = field(default_factory=dict)
    related: dict[int, ParsedRelatedLink] = field(default_factory=dict)
    candidates: dict[int, Features] = field(default_factory=dict)
    bylines: list[str] = field(default_factory=list)
    attribution: Attribution | None = None
    headline: str = ""
    # Paragraphs cut to the length limit: prose, though no longer ending like it.
    cut: set[int] = field(default_factory=set)

    def remove(self, index: int, reason: str) -> None:
        self.removed[index] = reason
        self.candidates.pop(index, None)


def parse_text(
    text: str,
    *,
    limits: ImportLimits = DEFAULT_LIMITS,
    repeated: frozenset[str] = frozenset(),
    meta: Metadata | None = None,
) -> ParsedArticle:
    """Parse scraped article text; raises ParseError when no article text remains.

    `repeated` holds blocks (as `repeat_key` gives them) seen in several files of
    the same batch: the site's furniture. `meta` is what an HTML page, a ninjs
    item or a feed entry says of itself: its title, authors and publisher win.
    """
    normalised = normalise_text(text)
    if not normalised.strip():
        raise ParseError("The file is empty.", "empty")
    warnings: list[str] = []
    page = _Page(split_paragraphs(normalised))
    page.paragraphs = _within_limit(page, limits, warnings)
    prose_sample = " ".join(p for p in page.paragraphs if len(p.split()) >= 8)
    language = detect_language(prose_sample or normalised)
    if meta is not None and meta.language[:2] in LANGUAGES:
        language = meta.language[:2]
    stops = stop_words(language)
    if meta is not None and meta.title:
        page.headline = meta.title
    vocabulary = PageVocabulary(page.paragraphs, stops)
    _sort_blocks(page, stops, repeated, vocabulary, language)
    _zones(page, vocabulary, has_stoplist=bool(stops))
    if meta is not None and meta.title:
        _drop_title_repeats(page, meta.title)
    _drop_pull_quotes(page)

    body_indices = sorted(page.candidates)
    body = [page.paragraphs[i] for i in body_indices]
    headline = page.headline
    removed = [
        Removed(page.paragraphs[i], page.removed[i]) for i in sorted(page.removed)
    ]
    if not body:
        raise ParseError(
            "No article text is left after removing site furniture.", "no_body"
        )
    related = [
        (sum(1 for b in body_indices if b < index), link)
        for index, link in sorted(page.related.items())
    ]
    attribution = page.attribution
    bylines = page.bylines
    if meta is not None:
        attribution = attribution or _publisher(meta)
        bylines = [*meta.authors, *(b for b in bylines if b not in meta.authors)]
    opening = body[0]
    dateline = AGENCY_DATELINE_RE.match(opening)
    if dateline:
        # "BEIRUT (Reuters) - …": the wire is the original publisher.
        opening = opening[dateline.end() :]
        if attribution is None:
            agency = dateline.group("agency")
            attribution = Attribution(name=agency, line=agency, kept_in_body=True)
    provisional = not headline
    if provisional:
        headline = provisional_headline(opening) or provisional_headline(body[0])
    elif len(headline) > limits.max_headline_chars:
        warnings.append(
            f"The headline was {len(headline):,} characters, cut at a word boundary "
            f"to {limits.max_headline_chars:,} ({limits.setting('max_headline_chars')})."
        )
        headline = cut_at_word(headline, limits.max_headline_chars)

    quotes = extract_quotes(body)
    sentences_by_block: list[tuple[int, int, list[str]]] = [
        (index, 1, split_sentences(paragraph)) for index, paragraph in enumerate(body)
    ]
    sentences_by_block += [(index, 0, [link.title]) for index, link in related]
    sentences_by_block.sort(key=lambda item: (item[0], item[1]))
    figures = extract_figures([s for _, _, block in sentences_by_block for s in block])
    if len(figures) > limits.max_figures:
        warnings.append(
            f"{len(figures):,} candidate figures found; the first "
            f"{limits.max_figures:,} are kept ({limits.setting('max_figures')})."
        )
        figures = figures[: limits.max_figures]

    return ParsedArticle(
        headline=headline,
        headline_is_provisional=provisional,
        paragraphs=tuple(body),
        content_hash=hashlib.sha256(normalised.encode("utf-8")).hexdigest(),
        attribution=attribution,
        related_links=tuple(link for _, link in related),
        quotes=tuple(quotes),
        figures=tuple(figures),
        bylines=tuple(bylines),
        removed=tuple(removed),
        warnings=tuple(warnings),
        language=language,
        published=meta.date if meta is not None else "",
    )


def _drop_title_repeats(page: _Page, title: str) -> None:
    """Extractors often give the title again as the first line of the text."""
    key = repeat_key(title)
    for index in sorted(page.candidates)[:3]:
        if repeat_key(page.paragraphs[index]) == key:
            page.remove(index, "headline")


def _publisher(meta: Metadata) -> Attribution | None:
    """The page's own site as the source: its name and canonical URL."""
    domain = domain_of(meta.url) if meta.url else ""
    name = meta.site_name or domain
    if not name:
        return None
    return Attribution(name=name[:120], domain=domain, url=meta.url, kept_in_body=True)


def _drop_pull_quotes(page: _Page) -> None:
    """A short block repeating words of another paragraph is a pull quote."""
    keys = {i: _pull_key(page.paragraphs[i]) for i in page.candidates}
    for index, key in keys.items():
        if len(key) < 20 or len(key.split()) > 40:
            continue
        if any(other != index and key in text for other, text in keys.items()):
            page.remove(index, "repeats words of the article (a pull quote)")


def _pull_key(paragraph: str) -> str:
    return " ".join(paragraph.casefold().strip("“”\"‘’' ").rstrip(".!?…").split())


def _sort_blocks(
    page: _Page,
    stops: frozenset[str],
    repeated: frozenset[str],
    vocabulary: PageVocabulary | None = None,
    language: str = "en",
) -> None:
    """First pass, block by block: provenance, the page's tail, known phrases,
    related links, a marked headline and interface blocks come out; what is left
    is measured for the second pass."""
    has_stoplist = bool(stops)
    tail = ""
    opened = False
    for index, paragraph in enumerate(page.paragraphs):
        found = parse_attribution(paragraph)
        if found is not None:
            page.attribution = merge_attribution(page.attribution, found)
            page.remove(index, "provenance: kept as the source")
        elif tail:
            page.remove(index, f"page tail, after “{tail}”")
        elif opened and TERMINAL_RE.match(paragraph):
            tail = paragraph
            page.remove(index, "page tail heading")
        elif is_furniture(paragraph):
            credit = REPORTING_BY_RE.match(paragraph)
            if credit:
                page.bylines.extend(byline_people(credit.group("names")))
            page.remove(index, "site furniture (known phrase)")
        elif (link := parse_related(paragraph)) is not None:
            page.related[index] = link
            page.remove(index, "related link: kept as a link")
        elif not opened and not page.headline and HEADLINE_PREFIX_RE.match(paragraph):
            page.headline = HEADLINE_PREFIX_RE.match(paragraph).group("title").strip()
            page.remove(index, "headline")
        else:
            measured = features(paragraph, stops, repeated, vocabulary, language)
            if index in page.cut:
                measured = replace(measured, sentence=True)
            reason = measured.interface_reason()
            if reason:
                page.remove(index, reason)
                continue
            page.candidates[index] = measured
            opened = opened or measured.opens_article(has_stoplist=has_stoplist)
    page.removed = {i: r for i, r in page.removed.items() if r != "headline"}


def _zones(
    page: _Page, vocabulary: PageVocabulary, *, has_stoplist: bool
) -> int | None:
    """Second pass: the blocks above the first paragraph of prose are the page's
    header (the headline among them), those after the last its footer, and a
    lone headline-like line between paragraphs is a teaser. Returns the index of
    the headline found in the header, if any."""
    indices = sorted(page.candidates)
    if not indices:
        return None
    measured = page.candidates
    opening = next(
        (i for i in indices if measured[i].opens_article(has_stoplist=has_stoplist)),
        None,
    )
    if opening is None:
        opening = next(
            (i for i in indices if measured[i].is_prose(has_stoplist=has_stoplist)),
            indices[0],
        )
    closing = max(
        (i for i in indices if measured[i].is_prose(has_stoplist=has_stoplist)),
        default=indices[-1],
    )
    header = [i for i in indices if i < opening]
    headline_index = None
    if not page.headline:
        shaped = [
            i for i in header if _headline_shaped(page.paragraphs[i], measured[i])
        ]
        prose = [page.paragraphs[i] for i in indices if i >= opening][:3]
        headline_index = _best_headline(page, shaped, prose, vocabulary)
        if headline_index is not None:
            page.headline = page.paragraphs[headline_index]
            del page.candidates[headline_index]
    for index in header:
        paragraph = page.paragraphs[index]
        if index == headline_index:
            continue
        if byline := BYLINE_RE.match(paragraph):
            page.bylines.extend(byline_people(byline.group("names")))
            page.remove(index, "byline: kept as the authors")
        elif DATELINE_RE.match(paragraph) or mostly_date(paragraph):
            page.remove(index, "date line")
        elif measured[index].is_prose(has_stoplist=has_stoplist) and (
            headline_index is None or index > headline_index
        ):
            continue  # a short first paragraph
        else:
            page.remove(index, "page header, above the article")
    for index in indices:
        if index not in page.candidates or index < opening:
            continue
        paragraph = page.paragraphs[index]
        if index > closing:
            page.remove(index, "page footer, below the article")
        elif (
            not measured[index].is_prose(has_stoplist=has_stoplist)
            and not measured[index].sentence
            and looks_like_headline(paragraph)
        ):
            page.remove(
                index, "a lone headline-like line between paragraphs (a teaser)"
            )
    _drop_author_notes(page)
    return headline_index


def _drop_author_notes(page: _Page) -> None:
    """A closing "Jane Doe is a senior fellow at …" about the byline's author, or
    about someone a removed header line credits ("Words by Jane Doe"), is the
    site's note, not the article."""
    first = min(page.candidates, default=0)
    credited = [
        match.group("name")
        for index in page.removed
        if index < first
        for match in CREDITED_RE.finditer(page.paragraphs[index])
    ]
    names = [*page.bylines, *credited]
    for index in sorted(page.candidates)[-2:]:
        paragraph = page.paragraphs[index]
        if any(
            paragraph.startswith((f"{name} is ", f"{name} was ", f"{name} has "))
            for name in names
        ):
            page.remove(index, "a note about the author")


def _headline_shaped(paragraph: str, measured: Features) -> bool:
    return (
        measured.words >= 3
        and looks_like_headline(paragraph)
        and not BYLINE_RE.match(paragraph)
        and not DATELINE_RE.match(paragraph)
        and not mostly_date(paragraph)
        and not CREDIT_LINE_RE.match(paragraph)
    )


def _best_headline(
    page: _Page, shaped: list[int], prose: list[str], vocabulary: PageVocabulary
) -> int | None:
    """Of the headline-shaped lines above the article, the first that shares a
    content word with its opening paragraphs (a headline says what the article
    is about; a kicker, a section or a credit line rarely does); else the last.
    A line the prose repeats word for word ("Ministry of Defence") is a name."""
    text = " ".join(" ".join(prose).casefold().split())
    for index in shaped:
        line = page.paragraphs[index]
        if _pull_key(line) in text:
            continue
        if vocabulary.overlap(line, prose) > 0:
            return index
    return shaped[-1] if shaped else None


def _within_limit(page: _Page, limits: ImportLimits, warnings: list[str]) -> list[str]:
    """Paragraphs over the length limit cut at a word boundary, each with a warning."""
    kept = []
    for number, paragraph in enumerate(page.paragraphs, 1):
        if len(paragraph) > limits.max_paragraph_chars:
            page.cut.add(number - 1)
            warnings.append(
                f"Paragraph {number} was {len(paragraph):,} characters, cut at a word "
                f"boundary to {limits.max_paragraph_chars:,} "
                f"({limits.setting('max_paragraph_chars')})."
            )
            paragraph = cut_at_word(paragraph, limits.max_paragraph_chars)
        kept.append(paragraph)
    return kept


@dataclass(frozen=True)
class FileAnalysis:
    """One file parsed and its language detected, or the reason it cannot be."""

    path: str
    article: ParsedArticle | None
    language: str = ""
    error: str = ""
    # The body as HTML when a worker process rendered it ahead of the import.
    body_html: str = ""


def _read(path: str, limits: ImportLimits) -> bytes:
    with open(path, "rb") as handle:
        check_size(os.fstat(handle.fileno()).st_size, limits)
        # Read one byte past the limit: a file that grew meanwhile is still refused.
        return handle.read(limits.max_file_bytes + 1)


def analyse_file(
    path: str,
    limits: ImportLimits = DEFAULT_LIMITS,
    repeated: frozenset[str] = frozenset(),
) -> FileAnalysis:
    """Read, parse and detect the language of one file (a feed's first entry)."""
    return analyse_path(path, limits, repeated)[0]


def analyse_path(
    path: str,
    limits: ImportLimits = DEFAULT_LIMITS,
    repeated: frozenset[str] = frozenset(),
) -> list[FileAnalysis]:
    """Read and parse a file: one analysis per article in it (a feed has several),
    or one with the reason it cannot be imported.

    Needs no database, so a batch can run it in worker processes.
    """
    try:
        found = documents(path, _read(path, limits))
    except OSError as exc:
        return [
            FileAnalysis(path, None, error=f"Cannot read the file: {exc.strerror}.")
        ]
    except ParseError as exc:
        return [FileAnalysis(path, None, error=exc.reason)]
    analyses = []
    for document in found:
        try:
            parsed = parse_text(
                document.text,
                limits=limits,
                repeated=repeated,
                meta=document.meta if document.meta != Metadata() else None,
            )
        except ParseError as exc:
            analyses.append(FileAnalysis(document.name, None, error=exc.reason))
            continue
        analyses.append(FileAnalysis(document.name, parsed, language=parsed.language))
    return analyses


def repeated_in_files(
    paths: list[str], limits: ImportLimits = DEFAULT_LIMITS
) -> frozenset[str]:
    """Blocks that recur across the files of a batch (a site's own lines), as
    `repeat_key` gives them; files that cannot be read are left to the import."""
    if len(paths) < REPEATED_IN_FILES:
        return frozenset()
    pages = []
    for path in paths:
        if kind_of(path) != "text":
            continue
        try:
            data = _read(path, limits)
        except (OSError, ParseError):
            continue
        # A rough read is enough to count short lines: the parse decodes properly.
        text = data.decode("utf-8", errors="replace")
        pages.append([line for line in text.splitlines() if 0 < len(line) <= 200])
    return repeated_blocks(pages)
