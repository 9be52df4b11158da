"""Files other than plain text: saved HTML pages, IPTC ninjs 2.x JSON, RSS/Atom feeds.

Each becomes one or more documents: text with blank lines between paragraphs,
plus what the file says about itself (title, authors, date, site, canonical
URL, language). The parser then reads the text as it reads a scraped file.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from newsdesk.importing.parser.text import ParseError, decode

# What each file name ending is read as; anything else is plain text.
KINDS = {
    ".html": "html",
    ".htm": "html",
    ".json": "ninjs",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}
_HTML_LANG_RE = re.compile(
    rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)"
)
_AUTHORS_SPLIT_RE = re.compile(r"\s*(?:;|,|\band\b|&)\s*")


@dataclass(frozen=True)
class Metadata:
    """What a page or a wire item says about itself."""

    title: str = ""
    authors: tuple[str, ...] = ()
    date: str = ""
    site_name: str = ""
    url: str = ""
    language: str = ""


@dataclass(frozen=True)
class Document:
    """One article's text from a file; `name` is the file, or file#entry in a feed."""

    name: str
    text: str
    meta: Metadata = field(default_factory=Metadata)


def kind_of(path: str) -> str:
    return KINDS.get(PurePath(path).suffix.lower(), "text")


def documents(path: str, data: bytes) -> list[Document]:
    """The articles in a file's bytes; raises ParseError when there are none."""
    kind = kind_of(path)
    if kind == "html":
        return [html_document(path, data)]
    if kind == "ninjs":
        return [ninjs_document(path, data)]
    if kind == "feed":
        return feed_documents(path, data)
    return [Document(path, decode(data))]


def html_document(name: str, data: bytes) -> Document:
    """The main text and metadata of a saved web page, by trafilatura."""
    import trafilatura

    if not data.strip():
        raise ParseError("The file is empty.", "empty")
    found = trafilatura.bare_extraction(
        data,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
    )
    if found is None or not (found.text or "").strip():
        raise ParseError("No article text was found in the HTML page.", "no_body")
    lang = _HTML_LANG_RE.search(data[:4096])
    meta = Metadata(
        title=(found.title or "").strip(),
        authors=_authors(found.author or ""),
        date=found.date or "",
        site_name=(found.sitename or "").strip(),
        url=found.url or "",
        language=lang.group(1).decode("ascii").lower() if lang else "",
    )
    return Document(name, _paragraphs(found.text), meta)


def ninjs_document(name: str, data: bytes) -> Document:
    """An IPTC ninjs 2.x item (1.x names are read too): headline, body, byline,
    uri, versioncreated, language and info source."""
    try:
        item = json.loads(decode(data))
    except ValueError as exc:
        raise ParseError(f"The file is not valid JSON ({exc}).", "not_ninjs") from exc
    if not isinstance(item, dict) or not isinstance(item.get("uri"), str):
        raise ParseError(
            "The JSON file is not a ninjs item: it has no “uri” string.", "not_ninjs"
        )
    headline = _role_value(item.get("headlines")) or _text(item.get("headline"))
    plain = _role_value(item.get("bodies"), "text/plain") or _text(
        item.get("body_text")
    )
    html = _role_value(item.get("bodies"), "text/html") or _text(item.get("body_html"))
    text = plain or (_html_text(html) if html else "")
    if not text.strip():
        raise ParseError("The ninjs item has no body text.", "no_body")
    sources = (
        item.get("infosources") if isinstance(item.get("infosources"), list) else []
    )
    source = next(
        (s.get("name") for s in sources if isinstance(s, dict) and s.get("name")), ""
    )
    uri = item["uri"]
    meta = Metadata(
        title=headline,
        authors=_authors(_text(item.get("by")) or _text(item.get("byline"))),
        date=_text(item.get("versioncreated")) or _text(item.get("firstcreated")),
        site_name=source or _text(item.get("copyrightholder")),
        url=uri if uri.startswith(("http://", "https://")) else "",
        language=_text(item.get("language")).lower(),
    )
    return Document(name, _paragraphs(text), meta)


def feed_documents(name: str, data: bytes) -> list[Document]:
    """Each entry of an RSS or Atom feed, once per entry id."""
    import feedparser

    feed = feedparser.parse(data)
    if not feed.entries:
        reason = "The file is not an RSS or Atom feed, or the feed has no entries."
        raise ParseError(reason, "not_feed")
    site = _text(feed.feed.get("title"))
    language = _text(feed.feed.get("language")).lower()
    found: list[Document] = []
    seen: set[str] = set()
    for entry in feed.entries:
        content = entry.get("content") or []
        html = (
            _text(content[0].get("value")) if content else _text(entry.get("summary"))
        )
        text = _html_text(html) if html else ""
        link = _text(entry.get("link"))
        entry_id = (
            _text(entry.get("id"))
            or link
            or hashlib.sha256(text.encode()).hexdigest()[:16]
        )
        if entry_id in seen or not text.strip():
            continue
        seen.add(entry_id)
        authors = [
            a.get("name", "") for a in entry.get("authors", []) if isinstance(a, dict)
        ]
        meta = Metadata(
            title=_text(entry.get("title")),
            authors=tuple(a for a in authors if a)
            or _authors(_text(entry.get("author"))),
            date=_text(entry.get("published") or entry.get("updated")),
            site_name=site,
            url=link if link.startswith(("http://", "https://")) else "",
            language=language,
        )
        found.append(Document(f"{name}#{entry_id}", _paragraphs(text), meta))
    if not found:
        raise ParseError("No entry of the feed has any text.", "no_body")
    return found


def _paragraphs(text: str) -> str:
    """One paragraph a line, as extractors give them, to blank-line separated."""
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def _html_text(html: str) -> str:
    """The paragraphs of an HTML fragment as text, one a line."""
    import lxml.html

    try:
        root = lxml.html.fromstring(f"<div>{html}</div>")
    except (ValueError, lxml.etree.ParserError):
        return ""
    blocks = root.xpath("//p|//h1|//h2|//h3|//h4|//li|//blockquote")
    if not blocks:
        return root.text_content()
    return "\n".join(" ".join(block.text_content().split()) for block in blocks)


def _role_value(items: object, contenttype: str = "") -> str:
    """The value of the main (or first) entry of a ninjs headlines/bodies array."""
    if not isinstance(items, list):
        return ""
    entries = [
        i for i in items if isinstance(i, dict) and isinstance(i.get("value"), str)
    ]
    if contenttype:
        entries = [
            i
            for i in entries
            if i.get("contenttype", "text/plain").startswith(contenttype)
        ]
    main = [i for i in entries if i.get("role") in (None, "main", "body")]
    chosen = (main or entries or [{}])[0]
    return chosen.get("value", "").strip()


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _authors(value: str) -> tuple[str, ...]:
    value = re.sub(r"^by\s+", "", value.strip(), flags=re.IGNORECASE)
    return tuple(a.strip() for a in _AUTHORS_SPLIT_RE.split(value) if a.strip())
