"""An XSS payload corpus and the HTML checks that prove none of it became markup."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from bs4 import BeautifulSoup

MARK = "XSSMARK"

# Filter-evasion vectors in the OWASP cheat-sheet style; each runs
# `window.__xss` (or a dialog) if it ever reaches the page as markup.
PAYLOADS = (
    f"<script>window.__xss=1;alert('{MARK}')</script>",
    f"<img src=x onerror=\"window.__xss=1;alert('{MARK}')\">",
    f"</script><script>window.__xss=1;alert('{MARK}')</script>",
    f'"></title></textarea></script><svg onload=window.__xss=1//{MARK}>',
    f"<svg><script>window.__xss=1//{MARK}</script></svg>",
    f"<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1//{MARK}>",
    f'" onmouseover="window.__xss=1" data-x="{MARK}',
    f"' onfocus='window.__xss=1' autofocus data-x='{MARK}",
    f"javascript:window.__xss=1//{MARK}",
    f"JaVaScRiPt:alert('{MARK}')",
    f"&#106;avascript:alert('{MARK}')",
    f"[click {MARK}](javascript:window.__xss=1)",
    f"[click {MARK}](JAVASCRIPT:alert(1))",
    f"[click {MARK}](java\tscript:alert(1))",
    f'![img {MARK}](x" onerror="window.__xss=1)',
    f'<a href="javascript:window.__xss=1">{MARK}</a>',
    f'<iframe src="javascript:window.__xss=1">{MARK}</iframe>',
    f'<object data="javascript:window.__xss=1">{MARK}</object>',
    f'<base href="https://evil.example/">{MARK}',
    f'<meta http-equiv="refresh" content="0;url=javascript:window.__xss=1">{MARK}',
    f"<body onload=window.__xss=1>{MARK}",
    f"<details open ontoggle=window.__xss=1>{MARK}",
    f"%3Cscript%3Ewindow.__xss=1%3C/script%3E{MARK}",
    f"&lt;script&gt;window.__xss=1&lt;/script&gt;{MARK}",
    f"<!--<script>window.__xss=1</script>-->{MARK}",
    f"\\u003cscript\\u003ewindow.__xss=1\\u003c/script\\u003e{MARK}",
    f"{{{{7*7}}}}{{% debug %}}{MARK}",
    f'=HYPERLINK("https://evil.example","{MARK}")',
    f"<style>@import 'https://evil.example/x.css';</style>{MARK}",
    f'<form action="javascript:window.__xss=1"><button>{MARK}</button></form>',
)

# URL fields: values that pass for a URL but try to escape the attribute.
URL_PAYLOADS = (
    f'https://evil.example/"onmouseover="window.__xss=1"x="{MARK}',
    f"https://evil.example/'><script>window.__xss=1</script>{MARK}",
    f"javascript:window.__xss=1//{MARK}",
    f"https://evil.example/</script><script>window.__xss=1</script>{MARK}",
)

DANGEROUS_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "poster",
    "background",
    "content",
}
SCRIPT_URL_RE = re.compile(r"^\s*(javascript|vbscript|data:text/html)", re.IGNORECASE)
DATA_TYPES = {"application/ld+json", "application/json"}


def _compact(value: str) -> str:
    # Browsers ignore tabs, newlines and control characters inside a scheme.
    return re.sub(r"[\x00-\x20]", "", value)


def html_problems(html: str, *, nonce: str | None = None) -> list[str]:
    """Every injected element, handler or script URL in `html`, described."""
    soup = BeautifulSoup(html, "html5lib")
    problems: list[str] = []
    for element in soup.find_all(True):
        name = element.name.lower()
        if name in DANGEROUS_TAGS:
            problems.append(f"<{name}> element")
        if name == "meta" and str(element.get("http-equiv", "")).lower() == "refresh":
            problems.append("meta refresh")
        if name == "script":
            kind = str(element.get("type", "")).lower()
            src = element.get("src")
            text = element.string or ""
            if src is not None:
                if MARK in src or not src.startswith("/"):
                    problems.append(f"script src {src!r}")
            elif kind in DATA_TYPES:
                if MARK in text and "<" in text:
                    problems.append("markup inside a data script")
            elif MARK in text or (nonce is not None and element.get("nonce") != nonce):
                problems.append(f"inline script {text[:80]!r}")
        for attribute, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            lowered = attribute.lower()
            if lowered.startswith("on"):
                problems.append(f"event handler {lowered}={value[:60]!r} on <{name}>")
            if lowered in URL_ATTRIBUTES or lowered.endswith(":href"):
                target = value
                if lowered == "content":
                    refresh = str(element.get("http-equiv", "")).lower() == "refresh"
                    target = value.split("url=", 1)[-1] if refresh else ""
                if SCRIPT_URL_RE.match(_compact(target)):
                    problems.append(f"script URL in {lowered} on <{name}>")
            if lowered == "autofocus" and MARK in str(element):
                problems.append("injected autofocus")
            if lowered.startswith("data-x"):
                problems.append("injected attribute data-x")
    return problems


def json_ld_problems(html: str) -> list[str]:
    """JSON-LD blocks that do not parse or that carry a raw `</script`."""
    problems: list[str] = []
    blocks = re.findall(
        r"<script[^>]*application/ld\+json[^>]*>(.*?)</script>",
        html,
        flags=re.DOTALL | re.IGNORECASE,
    )
    for block in blocks:
        if "<!--" in block or "</" in block.lower():
            problems.append("raw markup inside JSON-LD")
        try:
            json.loads(block)
        except ValueError as error:
            problems.append(f"JSON-LD does not parse: {error}")
    return problems


def feed_problems(xml: str) -> list[str]:
    """Feed entries whose text, read as HTML by a feed reader, holds markup."""
    problems: list[str] = []
    try:
        root = ET.fromstring(xml.encode())
    except ET.ParseError as error:
        return [f"feed does not parse: {error}"]
    entries = [
        element
        for element in root.iter()
        if element.tag.rsplit("}", 1)[-1] in {"item", "entry"}
    ]
    for entry in entries:
        for element in entry.iter():
            tag = element.tag.rsplit("}", 1)[-1]
            # Readers render these as HTML; titles are plain text (Atom type
            # "text"), so escaped markup there stays text.
            if tag in {"description", "summary", "content"}:
                text = element.text or ""
                problems += [f"{tag}: {p}" for p in html_problems(text)]
            for attribute, value in element.attrib.items():
                if attribute == "href" and SCRIPT_URL_RE.match(_compact(value)):
                    problems.append(f"script URL in feed link {value!r}")
    for link in root.iter("link"):
        if SCRIPT_URL_RE.match(_compact(link.text or "")):
            problems.append("script URL in feed link")
    return problems
