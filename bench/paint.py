"""Largest Contentful Paint and page weight, measured in Chromium on loopback.

Each page is opened in a fresh browser context (nothing cached on the
client; the server's caches are warm from the load runs) with a
`PerformanceObserver` for `largest-contentful-paint` registered before the
page's own scripts. The reported LCP is the last candidate the browser gave
once the page had loaded and settled. Next to it: the bytes of HTML, CSS and
JavaScript the page fetched, compressed the way the page-weight test counts
them (gzip, level 6) and as they crossed the wire, images left out, and the
requests made to any other host (aborted: the benchmark never reaches the
internet).
"""

from __future__ import annotations

import contextlib
import gzip
import os
import statistics
from typing import Any
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# The page-weight budget of HTML + CSS + JS, compressed, without images.
WEIGHT_BUDGET = 60 * 1024
RUNS = 5
VIEWPORT = {"width": 1280, "height": 800}
SETTLE_MS = 300

_OBSERVE = """
window.__lcp = null;
new PerformanceObserver((list) => {
  const entries = list.getEntries();
  const last = entries[entries.length - 1];
  window.__lcp = {
    ms: last.startTime,
    size: last.size,
    element: last.element ? last.element.tagName.toLowerCase() : "",
    url: last.url || "",
  };
}).observe({type: "largest-contentful-paint", buffered: true});
"""
_TEXT_TYPES = ("document", "stylesheet", "script")
# What holds up the first paint when it comes from elsewhere (map tiles do not).
_BLOCKING_TYPES = ("document", "stylesheet", "script", "font")


def available() -> str:
    """Why paint cannot be measured here, or "" when it can."""
    if not os.path.exists(CHROMIUM):
        return f"no Chromium at {CHROMIUM}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    return ""


def _one_load(browser: Any, url: str, origin: str) -> dict[str, Any]:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.add_init_script(_OBSERVE)
    bodies: dict[str, bytes] = {}
    foreign: list[str] = []

    def route(route: Any) -> None:
        if urlsplit(route.request.url).netloc != origin:
            foreign.append(f"{route.request.resource_type} {route.request.url}")
            route.abort()
        else:
            route.continue_()

    def finished(response: Any) -> None:
        if response.request.resource_type in _TEXT_TYPES:
            # A redirect or an aborted response has no body.
            with contextlib.suppress(Exception):
                bodies[response.url] = response.body()

    page.route("**/*", route)
    page.on("response", finished)
    try:
        response = page.goto(url, wait_until="load")
        page.wait_for_timeout(SETTLE_MS)
        lcp = page.evaluate("window.__lcp")
        wire = page.evaluate(
            """() => {
              const nav = performance.getEntriesByType("navigation")[0];
              let bytes = nav ? nav.transferSize : 0;
              for (const r of performance.getEntriesByType("resource")) {
                if (r.initiatorType === "link" || r.initiatorType === "script")
                  bytes += r.transferSize;
              }
              return bytes;
            }"""
        )
    finally:
        context.close()
    return {
        "status": response.status if response else None,
        "lcp": lcp,
        "wire_bytes": wire,
        "compressed_bytes": sum(
            len(gzip.compress(body, compresslevel=6)) for body in bodies.values()
        ),
        "files": len(bodies),
        "foreign": foreign,
    }


def measure_paint(
    base: str, pages: dict[str, str], runs: int = RUNS, *, browser: Any = None
) -> dict:
    """LCP (median and worst of `runs` loads) and page weight per page.

    Launches Chromium unless given a playwright `browser`.
    """
    reason = available()
    if reason:
        return {"available": False, "reason": reason}
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS
            )
            try:
                return measure_paint(base, pages, runs, browser=launched)
            finally:
                launched.close()
    origin = urlsplit(base).netloc
    results: dict[str, Any] = {"available": True, "runs": runs, "pages": {}}
    for name, path in pages.items():
        loads = [_one_load(browser, base + path, origin) for _ in range(runs)]
        paints = [load["lcp"]["ms"] for load in loads if load["lcp"]]
        last = loads[-1]
        results["pages"][name] = {
            "url": path,
            "status": last["status"],
            "lcp_ms": round(statistics.median(paints), 1) if paints else None,
            "lcp_worst_ms": round(max(paints), 1) if paints else None,
            "lcp_element": (last["lcp"] or {}).get("element", ""),
            "compressed_bytes": last["compressed_bytes"],
            "wire_bytes": last["wire_bytes"],
            "files": last["files"],
            "foreign_requests": sorted(set(last["foreign"])),
            "foreign_blocking": sorted(
                {f for f in last["foreign"] if f.split()[0] in _BLOCKING_TYPES}
            ),
            "within_budget": last["compressed_bytes"] <= WEIGHT_BUDGET,
        }
    return results
