"""Parse a scraped plain-text article: body, headline, provenance, links, quotes, figures.

Plain Python with no Django imports, so an admin upload form or the API can
reuse it. Every string it returns is copied from the input (whitespace aside):
the parser removes and classifies, it never writes text of its own.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

__all__ = [
    "Attribution",
    "CandidateFigure",
    "FileAnalysis",
    "ParseError",
    "ParsedArticle",
    "ParsedQuote",
    "ParsedRelatedLink",
    "content_hash",
    "analyse_file",
    "decode",
    "detect_language",
    "normalise_text",
    "parse_bytes",
    "parse_text",
]


class ParseError(ValueError):
    """A file that cannot become an article; `reason` says why, for the report."""

    def __init__(self, reason: str, code: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


@dataclass(frozen=True)
class Attribution:
    """Who originally published the piece, from a line such as "Source: …"."""

    name: str
    domain: str = ""
    url: str = ""
    line: str = ""
    kept_in_body: bool = False


@dataclass(frozen=True)
class ParsedRelatedLink:
    """A "Read also" line: the linked headline, and whose blog it is from if said."""

    title: str
    url: str = ""
    via: str = ""
    line: str = ""


@dataclass(frozen=True)
class ParsedQuote:
    """Words in quotation marks attributed to a speaker."""

    text: str
    speaker: str = ""
    is_person: bool = True
    affiliation: str = ""
    title: str = ""
    attribution: str = ""
    paragraph: int = 0


@dataclass(frozen=True)
class CandidateFigure:
    """A number with what it counts, for an editor to confirm as a Figure."""

    text: str
    sentence: str
    low: int
    high: int
    qualifier: str = "exact"
    unit: str = ""
    metric: str = ""


@dataclass(frozen=True)
class ParsedArticle:
    headline: str
    headline_is_provisional: bool
    paragraphs: tuple[str, ...]
    content_hash: str
    attribution: Attribution | None = None
    related_links: tuple[ParsedRelatedLink, ...] = ()
    quotes: tuple[ParsedQuote, ...] = ()
    figures: tuple[CandidateFigure, ...] = ()
    bylines: tuple[str, ...] = ()
    removed: tuple[str, ...] = field(default=(), repr=False)

    @property
    def body(self) -> str:
        """The article text as Markdown: its paragraphs separated by blank lines."""
        return "\n\n".join(self.paragraphs)


# --- Decoding and normalising -----------------------------------------------


def decode(data: bytes) -> str:
    """Return the text of a file, or raise ParseError for binary or non-UTF-8 data."""
    if not data or not data.strip():
        raise ParseError("The file is empty.", "empty")
    if b"\x00" in data:
        raise ParseError(
            "The file is binary (it contains NUL bytes), not text.", "binary"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(
            f"The file is not UTF-8 text (invalid byte at position {exc.start}).",
            "not_utf8",
        ) from exc
    controls = len(_CONTROL_RE.findall(text))
    if controls > max(8, len(text) // 20):
        raise ParseError(
            "The file is binary (too many control characters), not text.", "binary"
        )
    return text


# Control characters (Unicode category Cc) other than tab and line breaks.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


_SPACE_RE = re.compile(r"[^\S\n]+")


def normalise_text(text: str) -> str:
    """NFC, Unix newlines, single spaces, no trailing blanks: what the hash covers."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_RE.sub(" ", text).replace("\v", "\n").replace("\f", "\n")
    lines = [_SPACE_RE.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def content_hash(text: str) -> str:
    """sha256 of the normalised text: the same article always hashes the same."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


# --- Blocks ------------------------------------------------------------------

_TERMINAL_PUNCT = tuple('.!?:;"”’)]…*')


def _split_paragraphs(text: str) -> list[str]:
    """Blank lines separate blocks; inside a block each line is a paragraph
    unless it was hard-wrapped (the next line starts in lower case)."""
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        current = ""
        for line in lines:
            if current and not current.endswith(_TERMINAL_PUNCT) and line[:1].islower():
                current = f"{current} {line}"
            else:
                if current:
                    paragraphs.append(current)
                current = line
        if current:
            paragraphs.append(current)
    return paragraphs


# --- Furniture ---------------------------------------------------------------

# A block matching one of these starts the page's tail (comments, teasers):
# it and everything after it are site furniture.
_TERMINAL_PATTERNS = [
    r"you (?:may|might) (?:also )?(?:like|enjoy|be interested in)",
    r"related(?: (?:posts?|articles?|stories|news|content|reading|coverage))?",
    r"more (?:stories|news|articles|from .{1,60})",
    r"recommended(?: (?:for you|stories|articles|reading))?",
    r"(?:most (?:popular|read|viewed)|trending(?: now)?|popular (?:posts|stories))",
    r"(?:latest|recent) (?:news|posts|stories|articles)",
    r"leave a (?:reply|comment|response)(?: cancel reply)?",
    r"(?:\d+ )?(?:comments?|responses?|replies)(?: \(\d+\))?",
    r"(?:join|start) the (?:discussion|conversation)",
    r"post navigation",
    r"about the (?:author|writer)",
    r"read next",
    r"(?:previous|next) (?:post|article|story|page)",
    r"what to read next",
    r"don[’']t miss",
    r"(?:also|read) (?:on|from) (?:our|the) (?:site|network)",
]

# Whole blocks that are site furniture wherever they appear.
_FURNITURE_PATTERNS = [
    # comment forms and policies
    r"your email address will not be published\.?.*",
    r"required fields are marked.*",
    r"(?:comment|name|email|e-mail|website)\s*\*?",
    r"save my name,? email,? and website in this browser.*",
    r"(?:post|submit) (?:a )?comment",
    r"cancel reply",
    r"notify me of (?:follow-up comments|new posts|new comments).*",
    r"this site uses akismet.*",
    r"comments? (?:are|is) (?:closed|moderated|disabled).*",
    r"comment policy\b.*",
    r"(?:please )?(?:read|see) our comment(?:ing)? (?:policy|guidelines).*",
    r"(?:all )?comments (?:are|will be) (?:subject to|reviewed|moderated|screened).*",
    r"we welcome (?:your )?comments.*",
    r"comments that (?:are|include|contain) .*(?:removed|deleted|published).*",
    r"by (?:commenting|posting a comment),? you agree.*",
    r"you must be logged in to post a comment.*",
    r"log ?in to (?:comment|reply).*",
    r"δ",
    # sharing
    r"share(?: this(?: (?:article|story|post|page))?)?\s*:?",
    r"share (?:on|via|to) [\w .+-]{1,40}",
    r"click to (?:share|email|print|tweet).*",
    r"(?:like|share) this:?",
    r"like loading\.*…?",
    r"loading\.*…?",
    r"(?:facebook|twitter|x|whatsapp|linkedin|telegram|pinterest|reddit|email|"
    r"print|tweet|copy link|pocket|tumblr|messenger)"
    r"(?:\s*[|,/•·]?\s*(?:facebook|twitter|x|whatsapp|linkedin|telegram|pinterest|"
    r"reddit|email|print|tweet|copy link|pocket|tumblr|messenger))*",
    r"print friendly,? pdf (?:&|and) email",
    r"sharing is caring.*",
    r"follow us on [\w ,.&]{1,60}",
    # subscribing
    r"subscribe(?: (?:to|for) [\w ’'.,&-]{1,80})?\s*[.!:]?",
    r"sign up (?:for|to) [\w ’'.,&-]{1,80}[.!:]?",
    r"(?:join|subscribe to) our (?:mailing list|newsletter).*",
    r"get (?:the latest|our) [\w ’'.,&-]{1,80} (?:in|to|delivered to) your inbox.*",
    r"enter your e-?mail(?: address)?.*",
    r"(?:never miss|don[’']t miss) a (?:story|post|thing).*",
    # metadata lines
    r"(?:tags?|tagged(?: with)?|topics?|categor(?:y|ies)|filed under|posted in|"
    r"keywords)\s*:.*",
    r"(?:posted|published|updated|last updated) (?:on|at|by)?\s*:?.{0,60}\d.{0,40}",
    r"(?:copyright )?©.*",
    r"copyright \d{4}.*",
    r"all rights reserved\.?",
    # agency credits ("Reporting by …" is also read as the byline)
    r"(?:additional )?(?:reporting|writing|editing|compiled|produced|translated)"
    r"(?: and \w+)? by .{2,200}",
    r"our standards: .*",
    # navigation and ads
    r"advertisements?",
    r"sponsored(?: content)?",
    r"(?:story|article) continues (?:below|after).*",
    r"continue reading(?: (?:the main story|below|after the advertisement))?\.*",
    r"skip to (?:main )?content",
    r"read more\.*…?",
    r"(?:photo|image) (?:gallery|slideshow)",
]

_TERMINAL_RE = re.compile(
    r"^(?:" + "|".join(_TERMINAL_PATTERNS) + r")\s*[:.…]?$", re.IGNORECASE
)
_FURNITURE_RE = re.compile(
    r"^(?:" + "|".join(_FURNITURE_PATTERNS) + r")$", re.IGNORECASE
)
_SYMBOLS_ONLY_RE = re.compile(r"^[\W_]+$")


def _is_furniture(paragraph: str) -> bool:
    return bool(_FURNITURE_RE.match(paragraph) or _SYMBOLS_ONLY_RE.match(paragraph))


# --- Provenance --------------------------------------------------------------

_URL_RE = re.compile(r"https?://[^\s<>\"”’)]+", re.IGNORECASE)
_DOMAIN_RE = re.compile(
    r"^(?:www\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}$", re.IGNORECASE
)

_ATTRIBUTION_RES = [
    re.compile(r"^source\s*[:|]\s*(?:\|\s*)?(?P<rest>.+)$", re.IGNORECASE),
    re.compile(
        r"^this (?:article|story|post|piece|report) is (?:re)?published (?:here )?"
        r"(?:with permission )?from (?P<rest>.+?)(?: under .*)?$",
        re.IGNORECASE,
    ),
    re.compile(
        r"^(?:this (?:article|story|post|piece|report|content) )?(?:was |is )?"
        r"(?:originally|first) (?:published|appeared|belongs|posted|ran|syndicated)"
        r"(?: (?:on|in|at|by|to|with))? (?P<rest>.+)$",
        re.IGNORECASE,
    ),
    re.compile(
        r"^(?:read|see|view) (?:the )?(?:full|original|complete) "
        r"(?:article|story|post|report|text)(?: (?:at|on|in|here))?\s*[:\-–—]?\s*(?P<rest>.+)$",
        re.IGNORECASE,
    ),
    re.compile(
        r"^(?:republished|reprinted|reproduced) (?:with permission )?(?:from|by) (?P<rest>.+)$",
        re.IGNORECASE,
    ),
]

_DATE_TAIL_RE = re.compile(
    r"(?:,| on)\s+(?:\w+ )?(?:\d{1,2} )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"[a-z]*\.? ?\d{0,2},? \d{4}\.?$",
    re.IGNORECASE,
)


def domain_of(value: str) -> str:
    """The bare host of a URL or domain, lower case, without "www."."""
    value = (value or "").strip().lower()
    if not value:
        return ""
    if "//" not in value:
        value = "//" + value
    try:
        host = urlsplit(value).hostname or ""
    except ValueError:
        return ""
    host = host.strip(".")
    return host[4:] if host.startswith("www.") else host


def _parse_attribution(paragraph: str) -> Attribution | None:
    for pattern in _ATTRIBUTION_RES:
        match = pattern.match(paragraph)
        if not match:
            continue
        rest = match.group("rest").strip()
        # "Source: | This article originally belongs to X" nests two forms.
        inner = _parse_attribution(rest) if pattern is _ATTRIBUTION_RES[0] else None
        if inner is not None:
            return Attribution(inner.name, inner.domain, inner.url, paragraph)
        # A publisher is named with a capital, or is a domain or URL: "First
        # appeared in court on Monday" is article text.
        if not (rest[:1].isupper() or _URL_RE.match(rest) or _DOMAIN_RE.match(rest)):
            return None
        return _attribution_from(rest, paragraph)
    return None


def _attribution_from(rest: str, line: str) -> Attribution | None:
    url_match = _URL_RE.search(rest)
    url = url_match.group(0).rstrip(".,;:") if url_match else ""
    name = rest
    if url:
        name = (
            rest[: url_match.start()].strip(" \t|()[]-–—:") or rest[url_match.end() :]
        )
    name = _DATE_TAIL_RE.sub("", name.strip())
    name = name.strip(" \t|()[]-–—:,.")
    if name.lower().startswith(("the website ", "the site ")):
        name = name.split(" ", 2)[2]
    domain = ""
    if url:
        domain = domain_of(url)
    elif _DOMAIN_RE.match(name):
        domain = domain_of(name)
    if not name and url:
        host = urlsplit(url).netloc.rsplit("@", 1)[-1].split(":", 1)[0]
        name = host[4:] if host.lower().startswith("www.") else host
    if not name or len(name) > 120 or len(name.split()) > 10:
        return None
    return Attribution(name=name, domain=domain, url=url, line=line)


_AGENCY_DATELINE_RE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z .,'’/-]{1,60}?)\s*\((?P<agency>Reuters|AP|AFP|"
    r"Associated Press|Agence France-Presse|Anadolu|ANI|dpa|EFE|UPI|Xinhua|Bloomberg|"
    r"ANSA|Kurdistan 24)\)\s*[-–—]+\s*"
)
_REPORTING_BY_RE = re.compile(r"^reporting by (?P<names>[^;.]+)", re.IGNORECASE)


def _merge_attribution(first: Attribution | None, second: Attribution) -> Attribution:
    """ "Originally published by X" and "Read Full Article at URL" describe one source."""
    if first is None:
        return second
    if first.domain and second.domain and first.domain != second.domain:
        return first
    name = first.name
    if _DOMAIN_RE.match(first.name) and not _DOMAIN_RE.match(second.name):
        name = second.name
    return Attribution(
        name=name,
        domain=first.domain or second.domain,
        url=first.url or second.url,
        line=first.line,
    )


# --- Related reading ---------------------------------------------------------

_RELATED_RE = re.compile(
    r"^(?:"
    r"(?:read|see) also|also read|also see|read more|more on this|see more"
    r"|related(?: (?:story|article|post|reading|content))?|recommended|further reading"
    r")\b(?P<sep>\s*[:\-–—|>»]+)?\s*"
    r"(?:from (?P<via>[^:]{1,80}?)[’'`]s? (?:blog|site|website|column|page|newsletter)"
    r"\s*[:\-–—|]?\s*)?"
    r"(?P<title>\S.*)$",
    re.IGNORECASE,
)


def _parse_related(paragraph: str) -> ParsedRelatedLink | None:
    match = _RELATED_RE.match(paragraph)
    if not match:
        return None
    lead = paragraph[: match.start("title")].lower()
    # "Read also X" needs no separator; the vaguer lead-ins need a colon or dash.
    if not match.group("sep") and not lead.startswith(
        ("read also", "also read", "see also")
    ):
        return None
    title = match.group("title").strip()
    url_match = _URL_RE.search(title)
    url = url_match.group(0).rstrip(".,;:") if url_match else ""
    if url:
        before = title[: url_match.start()].strip(" \t|()[]-–—:")
        title = before or title[url_match.end() :].strip(" \t|()[]-–—:")
    if not title and url:
        title = url
    if not title or len(title) > 300 or len(title.split()) > 40:
        return None
    via = (match.group("via") or "").strip()
    return ParsedRelatedLink(title=title, url=url, via=via, line=paragraph)


# --- Headline and byline -----------------------------------------------------

_HEADLINE_PREFIX_RE = re.compile(
    r"^(?:#{1,3}\s+|(?:headline|title)\s*:\s*)(?P<title>\S.*)$", re.I
)
_NAME_TOKEN = r"(?:[A-Z][\w’'.-]*|(?:al|el|bin|ibn|de|da|del|van|von|der|le|la)(?:-[A-Z][\w’'-]*)?)"
_NAME = rf"[A-Z][\w’'.-]*(?: {_NAME_TOKEN}){{0,4}}"
_BYLINE_RE = re.compile(
    rf"^(?i:by):?\s+(?P<names>{_NAME}(?:(?:,\s*| and | & ){_NAME})*)\s*(?:[,|–—-].*)?$"
)
_DATELINE_RE = re.compile(
    r"^(?:published|updated|posted)?\s*:?\s*(?:\w+day,?\s*)?"
    r"(?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*"
    r"(?:\d{1,2},?\s*)?\d{4}(?:[\s,]+(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?"
    r"(?:\s*[A-Z]{2,4})?)?\.?$",
    re.IGNORECASE,
)


_NOT_PEOPLE = frozenset(
    [
        "staff",
        "reporter",
        "reporters",
        "correspondent",
        "correspondents",
        "desk",
        "team",
        "agencies",
        "agency",
        "news",
        "editor",
        "editors",
        "editorial",
        "wire",
        "wires",
        "newsroom",
        "bureau",
    ]
)


def _byline_people(names: str) -> list[str]:
    """People named in a byline; "Al Jazeera Staff" and "news agencies" are not."""
    people = []
    for name in re.split(r",\s*|;\s*| and | & ", names):
        name = name.strip()
        if name and not {w.lower() for w in name.split()} & _NOT_PEOPLE:
            people.append(name)
    return people


def _looks_like_headline(paragraph: str) -> bool:
    words = paragraph.split()
    return (
        2 <= len(words) <= 25
        and len(paragraph) <= 200
        and not paragraph.endswith((".", ",", ";", ":", "…", "”", '"'))
        and not paragraph.startswith(("“", '"', "‘", "'", "-", "*"))
        and paragraph[:1].isupper()
    )


_ABBREVIATIONS = "".join(
    rf"(?<!\b{abbreviation}\.)"
    for abbreviation in (
        r"U\.S",
        r"U\.N",
        r"U\.K",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "St",
        "Gen",
        "Col",
        "Lt",
        "Sgt",
        "Capt",
        "Prof",
        "Sen",
        "Rep",
        "Gov",
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Sept",
        "Oct",
        "Nov",
        "Dec",
        "No",
        "vs",
        "approx",
    )
)
_SENTENCE_END_RE = re.compile(
    r"(?<=[.!?])" + _ABBREVIATIONS + r"[”\"’)]?\s+(?=[“\"‘(]?[A-Z0-9])"
)


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of a paragraph (a simple rule that is right for news prose)."""
    sentences, start = [], 0
    for match in _SENTENCE_END_RE.finditer(paragraph):
        end = match.start() + len(match.group(0).rstrip())
        sentences.append(paragraph[start:end].strip())
        start = match.end()
    sentences.append(paragraph[start:].strip())
    return [s for s in sentences if s]


def provisional_headline(paragraph: str, max_chars: int = 110) -> str:
    """The opening sentence, cut at a word boundary to at most `max_chars`."""
    sentence = split_sentences(paragraph)[0] if paragraph else ""
    sentence = sentence.strip(" “”\"‘’'")
    if len(sentence) > max_chars:
        cut = sentence[:max_chars]
        sentence = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return sentence.rstrip(" ,;:-–—.") or sentence


# --- Quotes ------------------------------------------------------------------

_SPEECH_VERBS = (
    r"said|says|added|adds|told|tells|stated|states|explained|explains|noted|notes|"
    r"warned|warns|argued|argues|wrote|writes|insisted|insists|recalled|recalls|"
    r"continued|continues|declared|declares|observed|observes|commented|comments|"
    r"asked|asks|claimed|claims|stressed|stresses|acknowledged|acknowledges|"
    r"concluded|concludes|announced|announces|cautioned|cautions|replied|replies|"
    r"explain|say|said in a statement"
)
_QUOTE_SPAN_RE = re.compile(r"“([^“”]+)”|\"([^\"]+)\"")
_PRONOUNS = {"he", "she", "they", "we", "i", "it"}
_ORG_WORDS = {
    "forces",
    "force",
    "ministry",
    "council",
    "watch",
    "army",
    "coalition",
    "group",
    "agency",
    "office",
    "department",
    "organization",
    "organisation",
    "committee",
    "news",
    "union",
    "party",
    "command",
    "state",
    "nations",
    "police",
    "government",
    "university",
    "college",
    "institute",
    "center",
    "centre",
    "observatory",
    "commission",
    "statement",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "officials",
    "authorities",
    "administration",
    "military",
    "report",
    "reports",
    "sdf",
    "isis",
    "unicef",
    "un",
    "who",
    "reuters",
    "amaq",
    "pentagon",
    "kremlin",
    "icrc",
}
_DETERMINERS_RE = re.compile(r"^(?:another|a|an|the|one|also)\s+", re.IGNORECASE)
_TITLE_ROLE_RE = re.compile(
    r"^(?P<title>[\w\s’'-]+?)\s+(?:for|at|of|with|from|in)\s+(?P<org>(?:the\s+)?[A-Z].*)$"
)
_PERSON_NAME_RE = re.compile(rf"^{_NAME}$")
_NAME_AT_END_RE = re.compile(
    rf"(?P<prefix>^|.*?\s)(?P<name>[A-Z][\w’'.-]*(?: {_NAME_TOKEN}){{0,4}})$"
)
_NAME_OF_ORG_RE = re.compile(
    rf"^(?P<name>[A-Z][\w’'.-]*(?: {_NAME_TOKEN}){{0,4}}?)\s+(?:of|from|at|with)\s+"
    r"(?P<org>(?:the\s+)?[A-Z].*)$"
)


@dataclass
class _Speaker:
    name: str = ""
    is_person: bool = True
    affiliation: str = ""
    title: str = ""
    attribution: str = ""


def _parse_speaker(phrase: str) -> _Speaker | None:
    """Understand "Emmanuel Karagiannis of King's College London, another security
    expert", "UNICEF spokesperson Juliette Touma", "Karagiannis", "the SDF"."""
    phrase = phrase.strip(" ,.;:—–-")
    if not phrase or len(phrase) > 200 or len(phrase.split()) > 25:
        return None
    first = phrase.split()[0]
    if first[:1].islower() and first not in ("the", "a", "an", *_PRONOUNS):
        return None  # "… is a phrase the minister said": not an attribution
    head, _, appositive = phrase.partition(", ")
    head = head.strip(" ,")
    appositive = appositive.strip(" ,.")
    speaker = _Speaker(attribution=appositive)
    if head.lower() in _PRONOUNS:
        return _Speaker(name=head.lower(), attribution=appositive)
    if appositive:
        appositive_bare = _DETERMINERS_RE.sub("", appositive)
        role = _TITLE_ROLE_RE.match(appositive_bare)
        if role and len(role.group("title").split()) <= 5:
            speaker.title = role.group("title").strip()
            speaker.affiliation = _DETERMINERS_RE.sub("", role.group("org").strip())
        elif len(appositive_bare.split()) <= 8:
            speaker.title = appositive_bare
    of_org = _NAME_OF_ORG_RE.match(head)
    if of_org and _is_person_name(of_org.group("name")):
        speaker.name = of_org.group("name")
        speaker.affiliation = _DETERMINERS_RE.sub("", of_org.group("org").strip())
        return speaker
    if head[:1].islower() or head.split()[0] in ("The",):
        speaker.name = head
        speaker.is_person = False
        return speaker
    at_end = _NAME_AT_END_RE.match(head)
    if at_end:
        name = at_end.group("name")
        prefix = at_end.group("prefix").strip()
        # "UNICEF spokesperson Juliette Touma": the capitalised run can swallow the
        # organisation; names do not contain all-capitals words.
        # Acronyms and capitalised job titles ("Executive Director") are not names.
        tokens = name.split()
        while len(tokens) > 1 and (
            (tokens[0].isupper() and len(tokens[0]) > 1) or _is_title_word(tokens[0])
        ):
            prefix = f"{prefix} {tokens.pop(0)}".strip()
        name = " ".join(tokens)
        last = prefix.split()[-1] if prefix else ""
        if _is_person_name(name) and (
            not prefix or last[:1].islower() or _is_title_word(last)
        ):
            speaker.name = name
            if prefix:
                words = prefix.split()
                org_words: list[str] = []
                while words and words[0][:1].isupper() and not _is_title_word(words[0]):
                    org_words.append(words.pop(0))
                if (
                    org_words
                    and words
                    and (
                        any(w.isupper() and len(w) > 1 for w in org_words)
                        or len(org_words) > 1
                    )
                ):
                    speaker.affiliation = speaker.affiliation or " ".join(org_words)
                    speaker.title = speaker.title or " ".join(words)
                else:
                    speaker.title = speaker.title or prefix
            return speaker
    speaker.name = head
    speaker.is_person = False
    return speaker


_TITLE_WORDS = frozenset(
    [
        "president",
        "minister",
        "prime",
        "foreign",
        "defense",
        "defence",
        "interior",
        "secretary",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "director",
        "executive",
        "general",
        "commander",
        "chief",
        "head",
        "officer",
        "ambassador",
        "envoy",
        "deputy",
        "senior",
        "chairman",
        "chairwoman",
        "chair",
        "professor",
        "prof",
        "dr",
        "mr",
        "mrs",
        "ms",
        "sheikh",
        "colonel",
        "col",
        "gen",
        "lt",
        "lieutenant",
        "major",
        "maj",
        "brig",
        "brigadier",
        "captain",
        "capt",
        "sgt",
        "sergeant",
        "senator",
        "sen",
        "governor",
        "gov",
        "mayor",
        "representative",
        "rep",
        "special",
        "coordinator",
        "analyst",
        "researcher",
        "expert",
        "official",
        "adviser",
        "advisor",
        "press",
        "media",
        "founder",
        "co-founder",
        "king",
        "queen",
        "prince",
        "emir",
        "commissioner",
        "high",
        "undersecretary",
        "attorney",
        "judge",
        "justice",
        "imam",
        "vice",
        "acting",
        "former",
    ]
)


def _is_title_word(word: str) -> bool:
    return word.lower().rstrip(".,") in _TITLE_WORDS


def _is_person_name(name: str) -> bool:
    tokens = name.split()
    if not tokens or len(tokens) > 5 or not _PERSON_NAME_RE.match(name):
        return False
    if any(t.lower().strip(".,") in _ORG_WORDS for t in tokens):
        return False
    return not any(t.isupper() and len(t) > 1 for t in tokens)


_AFTER_QUOTE_RE = re.compile(
    rf"^\s*[,—–-]?\s*(?:(?P<verb_first>{_SPEECH_VERBS})\s+(?P<speaker_after>[^!?;]+?(?=\.\s|[.!?;]?$))"
    rf"|(?P<speaker_before>[^“”\".!?;]+?)\s+(?:{_SPEECH_VERBS})(?:\s+[^.!?;“”\"]*)?"
    r"|according to (?P<according>[^.!?;]+?))\s*[.!?;,]",
)
_BEFORE_QUOTE_RE = re.compile(
    rf"(?:^|[.!?]\s+|”\s+)(?P<speaker>[^“”\".!?;]+?)\s+(?:{_SPEECH_VERBS})"
    r"(?:\s+(?:that|reporters|journalists|[A-Z][\w.]*(?: [A-Z][\w.]*){0,3}|on \w+"
    r"|in an? [\w ]{1,30}|to [\w ]{1,40}))?\s*[,:]?\s*$"
)
_SPEAKER_TAIL_RE = re.compile(r",?\s+(?:who|adding|noting|in a|on \w+day|told)\b.*$")


def _clean_quote_text(text: str) -> str:
    return text.strip().rstrip(",").strip()


_INTRODUCED_RE = re.compile(
    rf"(?:^|[.!?]\s+|,\s+|\bsaid\s+)(?P<name>[A-Z][\w’'.-]*(?: {_NAME_TOKEN}){{1,4}}),"
    r" (?P<appositive>(?:a|an|the) [^,.;“”\"]{3,100}),"
)


def _introduced_people(paragraphs: list[str]) -> dict[str, _Speaker]:
    """People introduced as "Siamand Ali, a spokesman for the SDF, told…", so a
    later quote by "Ali" finds them."""
    people: dict[str, _Speaker] = {}
    for paragraph in paragraphs:
        for match in _INTRODUCED_RE.finditer(paragraph):
            speaker = _parse_speaker(
                f"{match.group('name')}, {match.group('appositive')}"
            )
            if speaker and speaker.is_person and len(speaker.name.split()) > 1:
                people.setdefault(speaker.name, speaker)
    return people


def _extract_quotes(paragraphs: list[str]) -> list[ParsedQuote]:
    quotes: list[ParsedQuote] = []
    people = _introduced_people(paragraphs)
    last: _Speaker | None = None
    last_paragraph = -2
    for index, paragraph in enumerate(paragraphs):
        spans = [
            (m.start(), m.end(), m.group(1) if m.group(1) is not None else m.group(2))
            for m in _QUOTE_SPAN_RE.finditer(paragraph)
        ]
        # An opening mark that is never closed runs to the end of the paragraph.
        if not spans and paragraph.startswith("“") and "”" not in paragraph:
            spans = [(0, len(paragraph), paragraph[1:])]
        paragraph_speaker: _Speaker | None = None
        found: list[tuple[str, _Speaker | None]] = []
        for start, end, text in spans:
            speaker = None
            after = _AFTER_QUOTE_RE.match(paragraph[end:])
            if after:
                phrase = (
                    after.group("speaker_after")
                    or after.group("speaker_before")
                    or after.group("according")
                    or ""
                )
                phrase = _SPEAKER_TAIL_RE.sub("", phrase)
                speaker = _parse_speaker(phrase)
            if speaker is None:
                before = _BEFORE_QUOTE_RE.search(paragraph[:start])
                if before:
                    speaker = _parse_speaker(before.group("speaker"))
            if speaker is not None:
                paragraph_speaker = speaker
            found.append((text, speaker))
        for text, speaker in found:
            speaker = speaker or paragraph_speaker
            if speaker is None:
                # A paragraph that is one quote, right after a quoted speaker's
                # paragraph, continues that speaker (news convention).
                whole = paragraph.startswith(("“", '"')) and len(found) == 1
                if whole and last is not None and last_paragraph == index - 1:
                    speaker = last
                else:
                    continue
            speaker = _resolve(speaker, people, last)
            if speaker is None:
                continue
            text = _clean_quote_text(text)
            if len(text.split()) < 3:
                continue
            quotes.append(
                ParsedQuote(
                    text=text,
                    speaker=speaker.name,
                    is_person=speaker.is_person,
                    affiliation=speaker.affiliation,
                    title=speaker.title,
                    attribution=speaker.attribution,
                    paragraph=index,
                )
            )
            last, last_paragraph = speaker, index
    return quotes


def _resolve(
    speaker: _Speaker, people: dict[str, _Speaker], last: _Speaker | None
) -> _Speaker | None:
    """Pronouns name the last speaker; a surname names the person met earlier."""
    if speaker.name in _PRONOUNS:
        return last
    if not speaker.is_person:
        return speaker
    tokens = speaker.name.split()
    if len(tokens) == 1:
        for full_name, known in people.items():
            if full_name.split()[-1] == tokens[0]:
                return _Speaker(
                    name=full_name,
                    affiliation=known.affiliation,
                    title=known.title,
                    attribution=speaker.attribution,
                )
    known = people.get(speaker.name)
    if known is None:
        people[speaker.name] = speaker
    else:
        known.affiliation = known.affiliation or speaker.affiliation
        known.title = known.title or speaker.title
    return speaker


# --- Figures -----------------------------------------------------------------

_QUALIFIERS = {
    "about": "about",
    "around": "about",
    "approximately": "about",
    "roughly": "about",
    "some": "about",
    "an estimated": "about",
    "estimated": "about",
    "close to": "about",
    "nearly": "at_most",
    "almost": "at_most",
    "up to": "at_most",
    "fewer than": "at_most",
    "less than": "at_most",
    "under": "at_most",
    "as many as": "at_most",
    "at most": "at_most",
    "just under": "at_most",
    "no more than": "at_most",
    "more than": "at_least",
    "over": "at_least",
    "at least": "at_least",
    "upwards of": "at_least",
    "in excess of": "at_least",
    "just over": "at_least",
    "no fewer than": "at_least",
    "over than": "at_least",
}
_QUALIFIER_ALT = "|".join(
    sorted((re.escape(q) for q in _QUALIFIERS), key=len, reverse=True)
)
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_FIGURE_RE = re.compile(
    rf"(?:\b(?P<qualifier>{_QUALIFIER_ALT})\s+)?"
    rf"(?:(?P<between>between|from)\s+)?"
    rf"(?<![\w$€£¥.,:/-])(?P<low>{_NUMBER})"
    rf"(?:\s*(?:-|–|—|to|and)\s*(?P<high>{_NUMBER}))?"
    r"(?:\s+(?P<scale>thousand|million|billion))?"
    r"(?P<percent>\s*%|\s+per ?cent\b)?"
    r"(?![\w%$€£-]|[.,:/]\d)",
    re.IGNORECASE,
)
_HAS_DIGIT_RE = re.compile(r"\d")
_OF_GROUP_RE = re.compile(
    r"\s+of (?P<determiner>its|their|the|his|her|our|whom|them)\b"
)
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|"
    "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_MONTH_BEFORE_RE = re.compile(
    rf"\b(?:{_MONTHS})\.?\s*(?:\d{{1,2}},?\s*)?$", re.IGNORECASE
)
_MONTH_AFTER_RE = re.compile(rf"^\s*(?:{_MONTHS})\b", re.IGNORECASE)
_YEAR_CONTEXT_RE = re.compile(
    r"\b(?:in|since|during|of|by|until|till|from|to|before|after|early|late|mid|year|"
    r"summer|winter|spring|autumn|fall|between|and)\s*$",
    re.IGNORECASE,
)
_UNIT_STOP = {
    "a",
    "an",
    "the",
    "in",
    "on",
    "at",
    "from",
    "to",
    "for",
    "by",
    "with",
    "into",
    "onto",
    "after",
    "before",
    "since",
    "during",
    "including",
    "who",
    "which",
    "that",
    "whom",
    "whose",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "have",
    "has",
    "had",
    "will",
    "would",
    "could",
    "should",
    "may",
    "might",
    "can",
    "did",
    "do",
    "does",
    "said",
    "say",
    "says",
    "as",
    "than",
    "per",
    "across",
    "against",
    "while",
    "when",
    "where",
    "but",
    "if",
    "so",
    "not",
    "its",
    "their",
    "his",
    "her",
    "it",
    "they",
    "he",
    "she",
    "we",
    "you",
    "i",
    "this",
    "these",
    "those",
    "there",
    "here",
    "also",
    "still",
    "now",
    "then",
    "more",
    "less",
    "most",
    "between",
    "among",
    "amid",
    "according",
    "via",
    "out",
    "over",
    "under",
    "about",
    "around",
    "nearly",
    "almost",
    "some",
    "up",
    "down",
    "back",
    "each",
}
_SKIP_UNITS = {
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "hour",
    "hours",
    "minute",
    "minutes",
    "second",
    "seconds",
    "am",
    "a.m",
    "pm",
    "p.m",
    "km",
    "kilometres",
    "kilometers",
    "miles",
    "mile",
    "metres",
    "meters",
    "m",
    "cm",
    "mm",
    "kg",
    "times",
    "decades",
    "decade",
    "centuries",
    "century",
    "gmt",
    "utc",
    "st",
    "nd",
    "rd",
    "th",
    "bc",
    "ad",
}
_UNIT_VERBS = {
    "died",
    "die",
    "dies",
    "remain",
    "remains",
    "remained",
    "fled",
    "escaped",
    "broke",
    "live",
    "lived",
    "face",
    "faced",
    "languish",
    "languished",
    "went",
    "came",
}
_WORD_RE = re.compile(r"[A-Za-z][\w’'-]*")
_PEOPLE_WORDS = {
    "members",
    "fighters",
    "militants",
    "people",
    "civilians",
    "prisoners",
    "foreigners",
    "children",
    "women",
    "men",
    "soldiers",
    "troops",
    "jihadists",
    "terrorists",
    "sympathizers",
    "sympathisers",
    "suspects",
    "guards",
    "detainees",
    "inmates",
    "families",
    "individuals",
    "persons",
    "residents",
    "nationals",
    "combatants",
    "attackers",
    "insurgents",
    "recruits",
    "citizens",
    "boys",
    "girls",
    "minors",
    "militiamen",
    "personnel",
    "staff",
    "officers",
    "policemen",
    "wives",
    "relatives",
    "escapees",
    "fugitives",
    "hostages",
    "refugees",
    "migrants",
}
_METRIC_WORDS = [
    (
        "killed",
        (
            "dead",
            "killed",
            "deaths",
            "died",
            "dying",
            "fatalities",
            "bodies",
            "lives",
            "slain",
        ),
    ),
    ("injured", ("injured", "wounded", "hurt", "injuries")),
    ("recaptured", ("recaptured", "rearrested", "re-arrested", "recapture")),
    (
        "escaped",
        (
            "fled",
            "fleeing",
            "escaped",
            "escapees",
            "escaping",
            "fugitives",
            "escape",
            "broke out",
        ),
    ),
    ("abducted", ("abducted", "kidnapped", "hostages", "abduction")),
    ("displaced", ("displaced", "refugees", "evacuated", "homeless")),
    ("repatriated", ("repatriated", "repatriation", "returned home")),
    ("released", ("released", "freed")),
    (
        "detained",
        (
            "prisoners",
            "detainees",
            "inmates",
            "detained",
            "detaining",
            "held",
            "jailed",
            "imprisoned",
            "prison",
            "prisons",
            "detention",
            "captives",
            "custody",
            "arrested",
        ),
    ),
]


def _guess_metric(unit: str, sentence: str) -> str:
    """What the number counts: the unit's own words first ("67 dead"), then the
    sentence's ("154 inmates were killed"); "prisoners" alone means detained."""
    unit_words = set(re.findall(r"[\w-]+", unit.lower()))
    for metric, words in _METRIC_WORDS:
        if metric != "detained" and any(w in unit_words for w in words):
            return metric
    if not unit_words & _PEOPLE_WORDS:
        return ""
    sentence_words = set(re.findall(r"[\w-]+", sentence.lower()))
    for metric, words in _METRIC_WORDS:
        if any(w in sentence_words for w in words):
            return metric
    return ""


def _to_int(number: str, scale: str | None) -> int | None:
    try:
        value = float(number.replace(",", ""))
    except ValueError:
        return None
    value *= _SCALES.get((scale or "").lower(), 1)
    if value != int(value) or value < 0 or value > 2_000_000_000:
        return None
    return int(value)


def _unit_after(sentence: str, position: int) -> tuple[str, int]:
    """The counted noun phrase right after a number, and where it ends."""
    words: list[str] = []
    end = position
    cursor = position
    pending: tuple[str, int] | None = None
    while len(words) < 6:
        match = re.match(r"\s+", sentence[cursor:])
        gap = match.end() if match else 0
        if gap == 0 and words:
            break
        match = _WORD_RE.match(sentence, cursor + gap)
        if not match:
            break
        word = match.group(0)
        lower = word.lower()
        if lower in ("and", "or", "of"):
            if not words or pending is not None:
                break
            pending = (word, match.end())
            cursor = match.end()
            continue
        if lower in _UNIT_STOP and not (word.isupper() and len(word) > 1):
            break
        if words and (
            lower in _UNIT_VERBS
            or (lower.endswith("ed") and lower not in _PEOPLE_WORDS)
        ):
            break
        if pending is not None:
            words.append(pending[0])
            pending = None
        words.append(word)
        end = match.end()
        cursor = match.end()
        if sentence[cursor : cursor + 1] in (",", ";", ":", ".", "!", "?", ")"):
            break
    return " ".join(words), end


def _extract_figures(sentences: list[str]) -> list[CandidateFigure]:
    figures: list[CandidateFigure] = []
    for sentence in sentences:
        if not _HAS_DIGIT_RE.search(sentence):
            continue
        previous_end, previous_qualifier = -1, "exact"
        for match in _FIGURE_RE.finditer(sentence):
            low_text, high_text = match.group("low"), match.group("high")
            if match.group("between") and not high_text:
                continue
            before = sentence[: match.start("low")]
            after = sentence[match.end() :]
            plain = re.fullmatch(r"\d{4}", low_text) and not high_text
            if plain and 1800 <= int(low_text) <= 2100:
                near = before[: len(before) - len(match.group("qualifier") or "")]
                if (
                    _YEAR_CONTEXT_RE.search(near)
                    or _MONTH_BEFORE_RE.search(near)
                    or not after.strip()
                    or after.lstrip()[:1] in ",.;:)"
                ):
                    continue
            if _MONTH_BEFORE_RE.search(before) or _MONTH_AFTER_RE.match(after):
                continue
            scale = match.group("scale")
            low = _to_int(low_text, scale)
            high = _to_int(high_text, scale) if high_text else low
            if low is None or high is None:
                continue
            if high < low:
                # "67-70" reads as a range; "2014-15" and similar are not counts.
                continue
            if match.group("percent"):
                # The unit as written: "percent", "per cent" or "%", with "of Syria".
                unit_end = match.end()
                of = re.match(r"\s+of\b", sentence[unit_end:])
                if of:
                    rest, rest_end = _unit_after(sentence, unit_end + of.end())
                    if rest:
                        unit_end = rest_end
                unit = sentence[match.start("percent") : unit_end].strip()
            else:
                unit, unit_end = _unit_after(sentence, match.end())
                if not unit:
                    # "121 of its fighters", "40 of the guards"
                    of = _OF_GROUP_RE.match(sentence, match.end())
                    if of:
                        unit_end = of.end()
                        if of.group("determiner") not in ("them", "whom"):
                            rest, unit_end = _unit_after(sentence, of.end())
                            if not rest:
                                unit_end = match.end()
                        unit = sentence[match.end() : unit_end].strip()
            if not unit:
                continue
            first = unit.split()[0].lower().rstrip(".")
            if first in _SKIP_UNITS:
                continue
            qualifier_text = (match.group("qualifier") or "").lower()
            qualifier = _QUALIFIERS.get(qualifier_text, "exact")
            if high_text and low != high:
                qualifier = "exact" if not qualifier_text else qualifier
            joined = sentence[previous_end : match.start()].strip().lower()
            if (
                not qualifier_text
                and previous_end >= 0
                and joined in ("and", "or", ",")
            ):
                qualifier = previous_qualifier
            start = (
                match.start("qualifier")
                if qualifier_text
                else match.start("between" if match.group("between") else "low")
            )
            text = sentence[start:unit_end].strip()
            figures.append(
                CandidateFigure(
                    text=text[:300],
                    sentence=sentence,
                    low=low,
                    high=high,
                    qualifier=qualifier,
                    unit=unit[:100],
                    metric=_guess_metric(unit, sentence),
                )
            )
            previous_end, previous_qualifier = unit_end, qualifier
    return figures


# --- Language ----------------------------------------------------------------


def detect_language(text: str, *, max_chars: int = 400) -> str:
    """The language of `text` as a BCP 47 tag ("und" when it cannot be told).

    Looks at a bounded prefix with two detector trials (langdetect's default is
    seven), so a long article costs no more than a short one; seeded, so the
    answer is the same on every run.
    """
    sample = text[:max_chars]
    if len(text) > max_chars and " " in sample:
        sample = sample.rsplit(" ", 1)[0]
    if not _LETTERS_RE.search(sample):
        return "und"
    from langdetect import DetectorFactory
    from langdetect.detector_factory import init_factory
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    init_factory()
    from langdetect import detector_factory

    try:
        detector = detector_factory._factory.create()
        detector.n_trial = 2
        detector.append(sample)
        code = detector.detect()
    except LangDetectException:
        return "und"
    language, _, region = code.partition("-")
    return f"{language}-{region.upper()}" if region else language


_LETTERS_RE = re.compile(r"[^\W\d_]{2,}")


# --- The whole article -------------------------------------------------------


def parse_bytes(data: bytes) -> ParsedArticle:
    """Parse a file's bytes; raises ParseError for an empty, binary or non-UTF-8 file."""
    return parse_text(decode(data))


def parse_text(text: str) -> ParsedArticle:
    """Parse scraped article text; raises ParseError when no article text remains."""
    normalised = normalise_text(text)
    if not normalised.strip():
        raise ParseError("The file is empty.", "empty")
    paragraphs = _split_paragraphs(normalised)

    body: list[str] = []
    removed: list[str] = []
    related: list[tuple[int, ParsedRelatedLink]] = []
    bylines: list[str] = []
    attribution: Attribution | None = None
    headline = ""
    in_tail = False
    for paragraph in paragraphs:
        found = _parse_attribution(paragraph)
        if found is not None:
            attribution = _merge_attribution(attribution, found)
            removed.append(paragraph)
            continue
        if in_tail:
            removed.append(paragraph)
            continue
        if _TERMINAL_RE.match(paragraph):
            in_tail = True
            removed.append(paragraph)
            continue
        if _is_furniture(paragraph):
            credit = _REPORTING_BY_RE.match(paragraph)
            if credit:
                bylines.extend(_byline_people(credit.group("names")))
            removed.append(paragraph)
            continue
        link = _parse_related(paragraph)
        if link is not None:
            related.append((len(body), link))
            removed.append(paragraph)
            continue
        if not body or (
            len(body) == 1 and not headline and _looks_like_headline(body[0])
        ):
            # Bylines and datelines sit above the text, under any headline line.
            byline = _BYLINE_RE.match(paragraph)
            if byline:
                bylines.extend(_byline_people(byline.group("names")))
                removed.append(paragraph)
                continue
            if _DATELINE_RE.match(paragraph):
                removed.append(paragraph)
                continue
        if not body and not headline:
            marked = _HEADLINE_PREFIX_RE.match(paragraph)
            if marked:
                headline = marked.group("title").strip()
                continue
        body.append(paragraph)

    if not headline and len(body) >= 2 and _looks_like_headline(body[0]):
        headline = body.pop(0)
    if not body:
        raise ParseError(
            "No article text is left after removing site furniture.", "no_body"
        )
    opening = body[0]
    dateline = _AGENCY_DATELINE_RE.match(opening)
    if dateline:
        # "BEIRUT (Reuters) - …": the wire is the original publisher.
        opening = opening[dateline.end() :]
        if attribution is None:
            agency = dateline.group("agency")
            attribution = Attribution(name=agency, line=agency, kept_in_body=True)
    provisional = not headline
    if provisional:
        headline = provisional_headline(opening) or provisional_headline(body[0])

    quotes = _extract_quotes(body)
    sentences_by_block: list[tuple[int, int, list[str]]] = [
        (index, 1, split_sentences(paragraph)) for index, paragraph in enumerate(body)
    ]
    sentences_by_block += [(index, 0, [link.title]) for index, link in related]
    sentences_by_block.sort(key=lambda item: (item[0], item[1]))
    figures = _extract_figures([s for _, _, block in sentences_by_block for s in block])

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
    )


@dataclass(frozen=True)
class FileAnalysis:
    """One file parsed and its language detected, or the reason it cannot be."""

    path: str
    article: ParsedArticle | None
    language: str = ""
    error: str = ""
    # The body as HTML when a worker process rendered it ahead of the import.
    body_html: str = ""


def analyse_file(path: str) -> FileAnalysis:
    """Read, parse and detect the language of one file.

    Needs no database, so a batch can run it in worker processes.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return FileAnalysis(path, None, error=f"Cannot read the file: {exc.strerror}.")
    try:
        parsed = parse_bytes(data)
    except ParseError as exc:
        return FileAnalysis(path, None, error=exc.reason)
    return FileAnalysis(path, parsed, language=detect_language(parsed.body))
