"""The whole article: a file's text through every stage of the parser."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from newsdesk.importing.parser.bylines import (
    BYLINE_RE,
    DATELINE_RE,
    HEADLINE_PREFIX_RE,
    REPORTING_BY_RE,
    byline_people,
    looks_like_headline,
    provisional_headline,
)
from newsdesk.importing.parser.figures import extract_figures
from newsdesk.importing.parser.furniture import TERMINAL_RE, is_furniture
from newsdesk.importing.parser.language import detect_language
from newsdesk.importing.parser.limits import (
    DEFAULT_LIMITS,
    ImportLimits,
    cut_at_word,
    describe_bytes,
)
from newsdesk.importing.parser.provenance import (
    AGENCY_DATELINE_RE,
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


def parse_bytes(data: bytes, *, limits: ImportLimits = DEFAULT_LIMITS) -> ParsedArticle:
    """Parse a file's bytes; raises ParseError for an empty, binary, undecodable or
    oversized file."""
    check_size(len(data), limits)
    return parse_text(decode(data), limits=limits)


def check_size(size: int, limits: ImportLimits) -> None:
    """Refuse a file over the size limit before anything reads it whole."""
    if size > limits.max_file_bytes:
        raise ParseError(
            f"The file is {describe_bytes(size)}, over the import limit of "
            f"{describe_bytes(limits.max_file_bytes)} "
            f"({limits.setting('max_file_bytes')}).",
            "too_large",
        )


def parse_text(text: str, *, limits: ImportLimits = DEFAULT_LIMITS) -> ParsedArticle:
    """Parse scraped article text; raises ParseError when no article text remains."""
    normalised = normalise_text(text)
    if not normalised.strip():
        raise ParseError("The file is empty.", "empty")
    warnings: list[str] = []
    paragraphs = _within_limit(split_paragraphs(normalised), limits, warnings)

    body: list[str] = []
    removed: list[Removed] = []
    related: list[tuple[int, ParsedRelatedLink]] = []
    bylines: list[str] = []
    attribution: Attribution | None = None
    headline = ""
    in_tail, tail = False, ""
    for paragraph in paragraphs:
        found = parse_attribution(paragraph)
        if found is not None:
            attribution = merge_attribution(attribution, found)
            removed.append(Removed(paragraph, "provenance: kept as the source"))
            continue
        if in_tail:
            removed.append(Removed(paragraph, f"page tail, after “{tail}”"))
            continue
        if TERMINAL_RE.match(paragraph):
            in_tail, tail = True, paragraph
            removed.append(Removed(paragraph, "page tail heading"))
            continue
        if is_furniture(paragraph):
            credit = REPORTING_BY_RE.match(paragraph)
            if credit:
                bylines.extend(byline_people(credit.group("names")))
            removed.append(Removed(paragraph, "site furniture (known phrase)"))
            continue
        link = parse_related(paragraph)
        if link is not None:
            related.append((len(body), link))
            removed.append(Removed(paragraph, "related link: kept as a link"))
            continue
        if not body or (
            len(body) == 1 and not headline and looks_like_headline(body[0])
        ):
            # Bylines and datelines sit above the text, under any headline line.
            byline = BYLINE_RE.match(paragraph)
            if byline:
                bylines.extend(byline_people(byline.group("names")))
                removed.append(Removed(paragraph, "byline: kept as the authors"))
                continue
            if DATELINE_RE.match(paragraph):
                removed.append(Removed(paragraph, "date line"))
                continue
        if not body and not headline:
            marked = HEADLINE_PREFIX_RE.match(paragraph)
            if marked:
                headline = marked.group("title").strip()
                continue
        body.append(paragraph)

    if not headline and len(body) >= 2 and looks_like_headline(body[0]):
        headline = body.pop(0)
    if not body:
        raise ParseError(
            "No article text is left after removing site furniture.", "no_body"
        )
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
    )


def _within_limit(
    paragraphs: list[str], limits: ImportLimits, warnings: list[str]
) -> list[str]:
    """Paragraphs over the length limit cut at a word boundary, each with a warning."""
    kept = []
    for number, paragraph in enumerate(paragraphs, 1):
        if len(paragraph) > limits.max_paragraph_chars:
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


def analyse_file(path: str, limits: ImportLimits = DEFAULT_LIMITS) -> FileAnalysis:
    """Read, parse and detect the language of one file.

    Needs no database, so a batch can run it in worker processes.
    """
    try:
        with open(path, "rb") as handle:
            check_size(os.fstat(handle.fileno()).st_size, limits)
            # Read one byte past the limit: a file that grew meanwhile is still refused.
            data = handle.read(limits.max_file_bytes + 1)
        parsed = parse_bytes(data, limits=limits)
    except OSError as exc:
        return FileAnalysis(path, None, error=f"Cannot read the file: {exc.strerror}.")
    except ParseError as exc:
        return FileAnalysis(path, None, error=exc.reason)
    return FileAnalysis(path, parsed, language=detect_language(parsed.body))
