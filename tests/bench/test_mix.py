"""The traffic stream and the cache models the real-traffic run replays it through."""

import shutil
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import mix
from bench.load import run_wrk
from newsdesk.middleware import reader_language

ARTICLE = "/articles/2024/05/a-story/"
OTHER = "/articles/2024/05/another-story/"


def test_the_stream_is_seeded_and_keeps_the_mix():
    articles = [f"/articles/2024/05/story-{n}/" for n in range(1000)]
    api = ["/api/v1/articles/?page_size=20"]
    stream = mix.build_stream(articles, ["/topics/syria/"], api, length=20_000)
    assert stream == mix.build_stream(articles, ["/topics/syria/"], api, length=20_000)
    kinds = Counter(mix.kind_of(path) for path in stream)
    reads = kinds["article"] + kinds["article, tracked"]
    assert abs(reads / len(stream) - mix.MIX["article"]) < 0.02
    assert abs(kinds["article, tracked"] / reads - mix.TRACKED_SHARE) < 0.02
    assert abs(kinds["home"] / len(stream) - mix.MIX["home"]) < 0.02
    # Zipf: the newest story is read far more than one deep in the archive.
    counts = Counter(mix.clean(path) for path in stream)
    assert counts[articles[0]] > 20 * max(counts[articles[500]], 1)


def test_tracking_parameters_share_the_clean_address():
    assert mix.clean(ARTICLE + "?utm_source=x&fbclid=1") == ARTICLE
    assert mix.clean("/api/v1/articles/?page_size=20&gclid=3") == (
        "/api/v1/articles/?page_size=20"
    )


def test_the_old_design_misses_tracked_reads_writes_and_each_new_minute():
    requests = [
        (0.0, ARTICLE),  # warm-up
        (10.0, ARTICLE),  # hit in both
        (11.0, ARTICLE + "?utm_source=newsletter"),  # old: bypassed
        (20.0, ARTICLE),  # after the write at 15: old misses
        (21.0, ARTICLE),  # old hits again
        (61.0, ARTICLE),  # a new validator interval: old misses
        (62.0, OTHER),  # first request: both miss
    ]
    models = mix.replay(requests, writes=[15.0], measured_from=5.0)
    assert models["ideal"] == {"requests": 6, "hit_ratio": round(5 / 6, 4)}
    assert models["global_version"] == {"requests": 6, "hit_ratio": round(2 / 6, 4)}


def test_misses_are_told_apart_first_requests_from_repeats():
    earlier = [[ARTICLE, "MISS"]]
    rows = [
        [ARTICLE + "?fbclid=1", "HIT"],
        [OTHER, "MISS"],
        [OTHER, "MISS"],
        ["/", "MISS"],
    ]
    explained = mix.explain(rows, verdict=1, earlier=earlier)
    assert explained["kinds"]["article, tracked"] == {"requests": 1, "hit": 1}
    assert explained["kinds"]["article"] == {
        "requests": 2,
        "miss, first request": 1,
        "miss, repeated": 1,
    }
    assert explained["repeated_misses"] == [(OTHER, 1)]


def test_access_log_lines_keep_only_reads(tmp_path):
    log = tmp_path / "access.log"
    log.write_text(
        "GET /?x=1 HTTP/1.1\t-\tHIT\t200\n"
        "POST /api/v1/articles/ HTTP/1.1\t-\t-\t201\n"
        "GET /robots.txt HTTP/1.1\t-\tHIT\t200\n"
    )
    assert mix.read_log(log, last=0) == [["/?x=1", "-", "HIT", "200"]]


def test_server_times_say_what_the_slow_tail_was():
    # 200 requests: hits of 1 ms, article misses of 80 ms, two home misses of 300 ms.
    rows = [[ARTICLE, "HIT", "", "200", "1000"] for _ in range(190)]
    rows += [
        [f"/articles/2024/05/s-{n}/", "MISS", "", "200", "80000"] for n in range(8)
    ]
    rows += [["/", "MISS", "", "200", "300000"] for _ in range(2)]
    explained = mix.explain(rows, verdict=1, earlier=[], seconds=4)
    assert explained["times"]["article"]["hit_p50"] == 1.0
    assert explained["times"]["article"]["miss_p50"] == 80.0
    assert explained["times"]["home"]["miss_p99"] == 300.0
    assert explained["times"]["home"]["hit_p50"] is None
    # The slowest 1 % of 200 requests: the two home misses.
    assert explained["slowest"] == {
        "requests": 2,
        "from_ms": 300.0,
        "by_kind": [("home miss", 2)],
    }


# --- Readers' languages ------------------------------------------------------


def test_readers_pages_carry_the_languages_browsers_send():
    articles = [f"/articles/2024/05/story-{n}/" for n in range(1000)]
    api = ["/api/v1/articles/?page_size=20"]
    stream = mix.build_stream(articles, ["/topics/syria/"], api, length=20_000)
    pages = [item for item in stream if not item.startswith("/api/")]
    assert all("\t" not in item for item in stream if item.startswith("/api/"))
    folded = Counter(mix.fold_language(mix.parts(item)[1]) for item in pages)
    expected = Counter()
    for header, share in mix.READER_LANGUAGES:
        expected[mix.fold_language(header)] += share
    for code, share in expected.items():
        assert abs(folded[code] / len(pages) - share) < 0.015, code
    assert 0.8 < folded["en"] / len(pages) < 0.86  # most readers read English
    assert {"ar", "fr", "de", "es", "tr"} <= set(folded)
    # The languages come from their own seed: the paths are the same stream.
    paths = [mix.parts(item)[0] for item in stream]
    assert paths == [
        mix.parts(item)[0]
        for item in mix.build_stream(articles, ["/topics/syria/"], api, length=20_000)
    ]


def test_the_bench_folds_languages_as_the_app_and_the_edge_do(rf, settings):
    assert tuple(code for code, _ in settings.LANGUAGES) == mix.SITE_LANGUAGES
    headers = [header for header, _ in mix.READER_LANGUAGES]
    headers += ["fr-CA", "pt-BR,pt;q=0.9", "*", "de;q=0.9"]
    for header in headers:
        request = rf.get("/", HTTP_ACCEPT_LANGUAGE=header)
        assert mix.fold_language(header) == reader_language(request), header


def test_each_language_a_page_is_kept_in_is_its_own_variant():
    assert mix.clean(f"{ARTICLE}?utm_source=x\tfr-FR,fr;q=0.9") == f"{ARTICLE}\tfr"
    # English, an unsupported language and no header share one copy.
    assert mix.clean(f"{ARTICLE}\ten-GB,en;q=0.9") == ARTICLE
    assert mix.clean(f"{ARTICLE}\tnl-NL,nl;q=0.9,en;q=0.8") == ARTICLE
    assert mix.clean(ARTICLE) == ARTICLE
    # The API is in one language whatever the reader's.
    assert mix.clean("/api/v1/articles/\tar") == "/api/v1/articles/"
    # A French reader's first request misses, though English readers had it.
    models = mix.replay(
        [(0.0, ARTICLE), (10.0, f"{ARTICLE}\tfr"), (11.0, f"{ARTICLE}\tfr-FR")],
        writes=[],
        measured_from=5.0,
    )
    assert models["ideal"] == {"requests": 2, "hit_ratio": 0.5}
    earlier = [[ARTICLE, "HIT", "", "200", "1000", "en-US"]]
    rows = [
        [ARTICLE, "MISS", "", "200", "9000", "fr-FR,fr;q=0.9"],
        [ARTICLE, "HIT", "", "200", "1000", "-"],
    ]
    explained = mix.explain(rows, verdict=1, earlier=earlier, language=5)
    assert explained["kinds"]["article"] == {
        "requests": 2,
        "hit": 1,
        "miss, first request": 1,
    }


def test_wrk_sends_each_lines_accept_language(tmp_path):
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed")
    seen: list[tuple[str, str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            seen.append(
                (
                    self.path,
                    self.headers.get("Accept-Language", ""),
                    self.headers.get("Host", ""),
                )
            )
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stream = tmp_path / "stream.txt"
    stream.write_text(f"/fr/\t{mix.READER_LANGUAGES[6][0]}\n/none/\n")
    try:
        run_wrk(
            f"http://127.0.0.1:{server.server_port}/",
            duration=1,
            connections=1,
            threads=1,
            headers={"Host": "news.example"},
            paths=[f"@{stream}", "start=0", "stride=1"],
        )
    finally:
        server.shutdown()
        server.server_close()
    asked = {path: (language, host) for path, language, host in seen}
    assert asked["/fr/"] == (mix.READER_LANGUAGES[6][0], "news.example")
    assert asked["/none/"] == ("", "news.example")
