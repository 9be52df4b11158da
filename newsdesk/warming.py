"""Warm the caches after a deploy or an edge flush: ask for every public page once.

`warm` walks the site's sitemaps (the index, each section and each page of
a long section) through the edge, collects the pages they list, and asks for
the front pages first and then each page once, at most `concurrency` at a
time and at most `rate` a second, so the edge (and the app's cache behind
it) holds the site before readers arrive. Readers' languages are warmed as
the edge keys them: each page in the first of `languages`, and the first
`extra_limit` pages (the front pages and the newest articles, the sitemap's
order) in the others.

Nothing here touches the database: it is an HTTP client of the public site,
so it warms exactly what readers will be served, wherever the edge is.
Errors and timeouts are counted, never raised; after `max_errors` failures
in a row (the edge or the app is down) it stops and says so.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ElementTree
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# Pages readers land on that a sitemap does not list.
FRONT_PAGES = ("/",)
USER_AGENT = "newsdesk-warm-cache"
# The edge's verdict headers (Varnish's, then the app's own).
VERDICT_HEADERS = ("X-Edge-Cache", "X-Cache")


@dataclass
class WarmReport:
    """What a warm-up did: pages found, asked, their statuses and cache verdicts."""

    sitemaps: int = 0
    sitemap_errors: list[str] = field(default_factory=list)
    found: int = 0
    requested: int = 0
    statuses: Counter = field(default_factory=Counter)
    verdicts: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    stopped: str = ""
    warmed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> int:
        return sum(n for status, n in self.statuses.items() if 200 <= status < 400)

    def summary(self) -> str:
        rate = self.requested / self.seconds if self.seconds else 0.0
        text = (
            f"{self.requested:,} requests for {self.found:,} pages from "
            f"{self.sitemaps:,} sitemaps in {self.seconds:.1f} s ({rate:.1f}/s): "
            f"{self.ok:,} answered"
        )
        if self.statuses:
            text += ", statuses " + _counts(self.statuses)
        if self.verdicts:
            text += ", cache " + _counts(self.verdicts)
        if self.errors:
            text += ", failed " + _counts(self.errors)
        if self.sitemap_errors:
            text += f", {len(self.sitemap_errors)} sitemaps unreadable"
        if self.stopped:
            text += f"; stopped: {self.stopped}"
        return text


def _counts(counter: Counter) -> str:
    return ", ".join(f"{key} ×{n:,}" for key, n in sorted(counter.items(), key=str))


class _Pace:
    """At most `rate` starts a second across threads (0: no limit)."""

    def __init__(self, rate: float) -> None:
        self.gap = 1 / rate if rate > 0 else 0.0
        self.next = time.monotonic()
        self.lock = threading.Lock()

    def wait(self) -> None:
        if not self.gap:
            return
        with self.lock:
            now = time.monotonic()
            start = max(self.next, now)
            self.next = start + self.gap
        if start > now:
            time.sleep(start - now)


class Client:
    """GETs under `base_url`, sent with `host` as the Host header when given."""

    def __init__(self, base_url: str, *, host: str = "", timeout: float = 10.0):
        self.base = base_url.rstrip("/")
        self.host = host
        self.timeout = timeout

    def get(
        self, path: str, *, language: str = "", read: bool = False
    ) -> tuple[int, dict[str, str], bytes]:
        headers = {"User-Agent": USER_AGENT}
        if self.host:
            headers["Host"] = self.host
        if language:
            headers["Accept-Language"] = language
        request = urllib.request.Request(self.base + path, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                body = answer.read() if read else _drain(answer)
                return answer.status, dict(answer.headers.items()), body
        except urllib.error.HTTPError as error:
            error.read()
            return error.code, dict(error.headers.items()), b""


def _drain(answer) -> bytes:
    while answer.read(65536):
        pass
    return b""


def local_path(location: str) -> str:
    """The path and query of a sitemap's `<loc>` (asked under the edge's address)."""
    parts = urlsplit(location.strip())
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def sitemap_pages(
    client: Client, index: str, report: WarmReport, *, limit: int = 0
) -> list[str]:
    """Every page the sitemaps under `index` list, in their order (no repeats)."""
    pages: dict[str, None] = {}
    todo = [index]
    seen: set[str] = set()
    while todo and not (limit and len(pages) >= limit):
        path = todo.pop(0)
        if path in seen:
            continue
        seen.add(path)
        try:
            status, _headers, body = client.get(path, read=True)
            if status != 200:
                raise ValueError(f"answered {status}")
            root = ElementTree.fromstring(body)
        except (OSError, ValueError, ElementTree.ParseError) as error:
            report.sitemap_errors.append(f"{path}: {type(error).__name__}: {error}")
            continue
        report.sitemaps += 1
        if root.tag == f"{SITEMAP_NS}sitemapindex":
            todo += [
                local_path(loc.text or "")
                for loc in root.iter(f"{SITEMAP_NS}loc")
                if loc.text
            ]
            continue
        for loc in root.iter(f"{SITEMAP_NS}loc"):
            if loc.text:
                pages[local_path(loc.text)] = None
    found = list(pages)
    return found[:limit] if limit else found


def plan(
    pages: Sequence[str],
    *,
    languages: Sequence[str] = ("",),
    extra_limit: int = 0,
) -> list[tuple[str, str]]:
    """(path, Accept-Language) to ask: every page in the first language, then
    the first `extra_limit` pages in each other one."""
    languages = list(languages) or [""]
    asks = [(path, languages[0]) for path in pages]
    for language in languages[1:]:
        asks += [(path, language) for path in pages[:extra_limit]]
    return asks


def warm(
    base_url: str,
    *,
    host: str = "",
    sitemap: str = "/sitemap.xml",
    front_pages: Iterable[str] = FRONT_PAGES,
    languages: Sequence[str] = ("",),
    extra_limit: int = 1000,
    limit: int = 0,
    concurrency: int = 4,
    rate: float = 0.0,
    timeout: float = 10.0,
    max_errors: int = 50,
    progress: Callable[[WarmReport], None] | None = None,
    progress_every: int = 5000,
) -> WarmReport:
    """Ask for the front pages and every page the sitemaps list, once each."""
    report = WarmReport()
    front_pages = list(front_pages)
    began = time.monotonic()
    client = Client(base_url, host=host, timeout=timeout)
    listed = sitemap_pages(client, sitemap, report, limit=limit) if sitemap else []
    pages = list(dict.fromkeys([*front_pages, *listed]))
    report.found = len(pages)
    asks = plan(pages, languages=languages, extra_limit=extra_limit)
    pace = _Pace(rate)
    lock = threading.Lock()
    failures_in_a_row = 0
    stop = threading.Event()

    def ask(item: tuple[str, str]) -> None:
        nonlocal failures_in_a_row
        if stop.is_set():
            return
        path, language = item
        pace.wait()
        try:
            status, headers, _ = client.get(path, language=language)
        except (OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            with lock:
                report.requested += 1
                report.errors[type(reason).__name__] += 1
                failures_in_a_row += 1
                if max_errors and failures_in_a_row >= max_errors:
                    report.stopped = f"{failures_in_a_row} requests in a row failed"
                    stop.set()
            return
        verdict = next(
            (headers[name] for name in VERDICT_HEADERS if headers.get(name)), ""
        )
        with lock:
            report.requested += 1
            report.statuses[status] += 1
            if verdict:
                report.verdicts[verdict.upper()] += 1
            if status < 500:
                failures_in_a_row = 0
                report.warmed.append((path, language))
            else:
                failures_in_a_row += 1
                if max_errors and failures_in_a_row >= max_errors:
                    report.stopped = f"{failures_in_a_row} answers in a row were 5xx"
                    stop.set()
            if progress and report.requested % progress_every == 0:
                report.seconds = time.monotonic() - began
                progress(report)

    # The front pages (the most read) are warm before the sitemaps' pages start.
    front = set(front_pages)
    first = [item for item in asks if item[0] in front]
    rest = [item for item in asks if item[0] not in front]
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        for batch in (first, rest):
            for _ in pool.map(ask, batch):
                pass
    report.seconds = round(time.monotonic() - began, 1)
    return report
