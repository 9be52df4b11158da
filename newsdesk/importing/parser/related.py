"""Related reading: "Read also" lines, kept as links rather than body text."""

from __future__ import annotations

import re

from newsdesk.importing.parser.provenance import URL_RE
from newsdesk.importing.parser.text import ParsedRelatedLink

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


def parse_related(paragraph: str) -> ParsedRelatedLink | None:
    """A "Read also: …" line as a link, or None."""
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
    url_match = URL_RE.search(title)
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
