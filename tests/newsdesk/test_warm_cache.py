"""`warm_cache`: every page the sitemaps list asked once, bounded, errors counted."""

import io
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command

from newsdesk import warming
from tests.factories import ArticleFactory

SITEMAP = '<?xml version="1.0" encoding="UTF-8"?>\n<{kind} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</{kind}>'


def _sitemap(kind: str, locations: list[str]) -> bytes:
    tag = "sitemap" if kind == "sitemapindex" else "url"
    items = "".join(f"<{tag}><loc>{loc}</loc></{tag}>" for loc in locations)
    return SITEMAP.format(kind=kind, items=items).encode()


class FakeSite:
    """Answers `pages[path] = (status, body, delay)`; 404 otherwise; records asks."""

    def __init__(self, pages: dict[str, tuple[int, bytes, float]]) -> None:
        self.pages = pages
        self.asked: list[tuple[str, str]] = []
        self.in_flight = self.most_in_flight = 0
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with site.lock:
                    site.asked.append(
                        (self.path, self.headers.get("Accept-Language", ""))
                    )
                    site.in_flight += 1
                    site.most_in_flight = max(site.most_in_flight, site.in_flight)
                status, body, delay = site.pages.get(self.path, (404, b"", 0.0))
                time.sleep(delay)
                with site.lock:
                    site.in_flight -= 1
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(body)))
                    self.send_header("X-Edge-Cache", "MISS")
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up (a timeout)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site():
    pages = {f"/articles/{n}/": (200, b"ok", 0.05) for n in range(12)}
    pages["/"] = (200, b"home", 0.0)
    pages["/sitemap.xml"] = (
        200,
        _sitemap(
            "sitemapindex",
            [
                "http://news.example/sitemap-articles.xml",
                "http://news.example/sitemap-articles.xml?p=2",
            ],
        ),
        0.0,
    )
    urls = [f"http://news.example/articles/{n}/" for n in range(12)]
    pages["/sitemap-articles.xml"] = (200, _sitemap("urlset", urls[:6]), 0.0)
    pages["/sitemap-articles.xml?p=2"] = (200, _sitemap("urlset", urls[6:]), 0.0)
    fake = FakeSite(pages)
    yield fake
    fake.close()


def test_every_listed_page_is_asked_once_at_most_n_at_a_time(site):
    report = warming.warm(site.url, concurrency=3, rate=0)
    pages = [path for path, _ in site.asked if not path.startswith("/sitemap")]
    assert sorted(pages) == sorted(["/"] + [f"/articles/{n}/" for n in range(12)])
    assert pages[0] == "/"  # the front page first
    assert 2 <= site.most_in_flight <= 3
    assert report.sitemaps == 3 and report.found == 13
    assert report.requested == report.ok == 13
    assert report.verdicts == {"MISS": 13}
    assert "13 requests for 13 pages from 3 sitemaps" in report.summary()


def test_the_rate_is_bounded(site):
    began = time.monotonic()
    report = warming.warm(site.url, concurrency=8, rate=20, limit=6)
    # 7 starts at most 20 a second: at least 6 gaps of 50 ms.
    assert time.monotonic() - began >= 0.3
    assert report.requested == 7


def test_languages_warm_every_page_in_the_first_and_the_newest_in_the_others(site):
    warming.warm(
        site.url, languages=["en", "fr", "ar"], extra_limit=2, concurrency=2, rate=0
    )
    asked = [ask for ask in site.asked if not ask[0].startswith("/sitemap")]
    assert len([a for a in asked if a[1] == "en"]) == 13
    assert sorted(a[0] for a in asked if a[1] == "fr") == ["/", "/articles/0/"]
    assert sorted(a[0] for a in asked if a[1] == "ar") == ["/", "/articles/0/"]


def test_errors_and_timeouts_are_counted_not_raised(site):
    site.pages["/articles/3/"] = (500, b"", 0.0)
    site.pages["/articles/4/"] = (200, b"slow", 2.0)
    del site.pages["/sitemap-articles.xml?p=2"]  # a section page that fails
    site.pages["/sitemap-articles.xml"] = (
        200,
        site.pages["/sitemap-articles.xml"][1] + b"<not xml",
        0.0,
    )
    report = warming.warm(site.url, timeout=0.5, rate=0)
    assert len(report.sitemap_errors) == 2  # unparseable, and a 404
    assert report.requested == 1  # only the front page was left to ask

    site.pages["/sitemap-articles.xml"] = (
        200,
        _sitemap("urlset", [f"http://x/articles/{n}/" for n in range(6)]),
        0.0,
    )
    report = warming.warm(site.url, timeout=0.5, rate=0)
    assert report.requested == 7
    assert report.statuses[500] == 1
    assert sum(report.errors.values()) == 1  # the slow page timed out
    assert report.ok == 5
    assert ("/articles/3/", "") not in report.warmed
    assert "failed" in report.summary()


def test_an_edge_that_is_down_stops_the_warm_up_with_a_clear_error():
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="stopped early"):
        call_command(
            "warm_cache",
            "--url",
            "http://127.0.0.1:9",
            "--timeout",
            "0.5",
            stdout=out,
            stderr=err,
        )
    assert "Sitemap not read: /sitemap.xml" in err.getvalue()
    assert "failed" in out.getvalue()


def test_no_edge_named_is_a_usage_error(settings):
    settings.NEWSDESK_VARNISH_URLS = []
    with pytest.raises(CommandError, match="--url"):
        call_command("warm_cache")


@pytest.mark.django_db(transaction=True)
def test_the_command_warms_the_sites_own_sitemaps(live_server):
    published = ArticleFactory.create_batch(3, published=True)
    draft = ArticleFactory(headline="Not yet")
    out = io.StringIO()
    call_command(
        "warm_cache",
        *(
            "--url",
            live_server.url,
            "--rate",
            "0",
            "--page",
            "/",
            "--page",
            "/incidents/",
        ),
        stdout=out,
    )
    text = out.getvalue()
    assert f"Warmed {live_server.url}:" in text
    assert "statuses 200 ×" in text and "cache MISS ×" in text
    # Everything it asked is now stored: asked again, each page is a hit.
    listed = {a.get_absolute_url() for a in published}
    client = warming.Client(live_server.url)
    verdicts = {
        path: client.get(path)[1].get("X-Cache")
        for path in sorted({"/", "/incidents/", *listed})
    }
    assert set(verdicts.values()) == {"HIT"}, verdicts
    again = warming.warm(live_server.url, rate=0, front_pages=["/", "/incidents/"])
    paths = {path for path, _ in again.warmed}
    assert again.verdicts == {"HIT": again.requested}
    assert listed <= paths
    assert draft.get_absolute_url() not in paths
