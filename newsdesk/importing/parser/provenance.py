"""Provenance: who first published a scraped piece, from its trailer or dateline."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from newsdesk.importing.parser.text import Attribution
from newsdesk.importing.parser.wordlists import lines

URL_RE = re.compile(r"https?://[^\s<>\"”’)]+", re.IGNORECASE)
DOMAIN_RE = re.compile(
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
        # "… originally published in Spanish by X": the language is not the source.
        r"(?: in [a-z]+(?= by\b))?"
        r"(?: (?:on|in|at|by|to|with))? (?P<rest>.+)$",
        re.IGNORECASE,
    ),
    re.compile(
        r"^(?:read|view|see) (?:this|the) (?:full )?"
        r"(?:article|story|statement|report|post|piece|release)(?: in full)?"
        r" (?:on|at)\s*[:\-–—]?\s*(?P<rest>.+)$",
        re.IGNORECASE,
    ),
    re.compile(
        r"^(?:distributed|syndicated|supplied|provided) by (?P<rest>.+?)"
        r"(?: (?:via|through|on) .*)?$",
        re.IGNORECASE,
    ),
    re.compile(
        r"^(?:continue|keep) reading(?: (?:this|the) (?:article|story|report))?"
        r"(?: (?:on|at))\s*[:\-–—]?\s*(?P<rest>.+)$",
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


def parse_attribution(paragraph: str) -> Attribution | None:
    """The source named by a provenance line ("Source: …", "Originally published by …")."""
    for pattern in _ATTRIBUTION_RES:
        match = pattern.match(paragraph)
        if not match:
            continue
        rest = match.group("rest").strip()
        # "Source: | This article originally belongs to X" nests two forms.
        inner = parse_attribution(rest) if pattern is _ATTRIBUTION_RES[0] else None
        if inner is not None:
            return Attribution(inner.name, inner.domain, inner.url, paragraph)
        # A publisher is named with a capital, or is a domain or URL: "First
        # appeared in court on Monday" is article text. "… on the website of our
        # partner Kessa Radio, kessa.example": the words before the name go.
        if not (rest[:1].isupper() or URL_RE.match(rest) or DOMAIN_RE.match(rest)):
            rest = _named_publisher(rest)
            if not rest:
                return None
        return _attribution_from(rest, paragraph)
    return None


# A domain written without a scheme inside a line: "Safe Ground (safeground.org)".
_BARE_DOMAIN_RE = re.compile(
    r"(?<![\w@.-])(?P<domain>(?:www\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
    r"[a-z]{2,24})(?:/[^\s)\]]*)?(?![\w@-])",
    re.IGNORECASE,
)
# "… and is republished here with permission": not part of the publisher's name.
_PERMISSION_TAIL_RE = re.compile(
    r",?\s+(?:and|which)\s+(?:is|was|has been)\s+(?:re)?(?:published|posted|used).*$",
    re.IGNORECASE,
)


_CAPITALISED_RE = re.compile(r"\b[A-Z]")


def _named_publisher(rest: str) -> str:
    """From the first capitalised word of `rest`, when `rest` also gives a domain
    or URL (so it names a publisher); else ""."""
    if not (URL_RE.search(rest) or _BARE_DOMAIN_RE.search(rest)):
        return ""
    capital = _CAPITALISED_RE.search(rest)
    domain = URL_RE.search(rest) or _BARE_DOMAIN_RE.search(rest)
    start = min(capital.start() if capital else len(rest), domain.start())
    return rest[start:].strip()


def _attribution_from(rest: str, line: str) -> Attribution | None:
    rest = _PERMISSION_TAIL_RE.sub("", rest)
    url_match = URL_RE.search(rest)
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
    elif DOMAIN_RE.match(name):
        domain = domain_of(name)
    elif bare := _BARE_DOMAIN_RE.search(name):
        domain = domain_of(bare.group("domain"))
        without = (name[: bare.start()] + " " + name[bare.end() :]).strip()
        name = without.strip(" \t|()[]-–—:,.") or bare.group("domain")
    if not name and url:
        host = urlsplit(url).netloc.rsplit("@", 1)[-1].split(":", 1)[0]
        name = host[4:] if host.lower().startswith("www.") else host
    if not name or len(name) > 120 or len(name.split()) > 10:
        return None
    return Attribution(name=name, domain=domain, url=url, line=line)


AGENCY_DATELINE_RE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z .,'’/-]{1,60}?)\s*\((?P<agency>"
    + "|".join(re.escape(agency) for agency in lines("agencies"))
    + r")\)\s*[-–—]+\s*"
)


def merge_attribution(first: Attribution | None, second: Attribution) -> Attribution:
    """ "Originally published by X" and "Read Full Article at URL" describe one source."""
    if first is None:
        return second
    if first.domain and second.domain and first.domain != second.domain:
        return first
    name = first.name
    if DOMAIN_RE.match(first.name) and not DOMAIN_RE.match(second.name):
        name = second.name
    return Attribution(
        name=name,
        domain=first.domain or second.domain,
        url=first.url or second.url,
        line=first.line,
    )
