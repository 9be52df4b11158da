"""The benchmark's targets judge what was measured, including whether it worked."""

from bench.targets import evaluate_targets, import_target

IMPORTED = {
    "available": True,
    "files": 1000,
    "created": 1000,
    "seconds": 2.5,
    "exit_status": 0,
}


def _import_targets(imported: dict) -> list[dict]:
    return [
        t
        for t in evaluate_targets(
            {
                "phases": [{"database": "sqlite", "articles": 10, "scenarios": {}}],
                "import": imported,
            }
        )
        if t["target"].startswith("Import")
    ]


def test_a_fast_complete_import_meets_the_target():
    [target] = _import_targets(IMPORTED)
    assert target["met"] is True
    assert target["value"] == 400.0


def test_an_import_that_failed_does_not_meet_the_target_however_fast():
    target = import_target({**IMPORTED, "exit_status": 1, "created": 0, "seconds": 0.2})
    assert target["met"] is False
    assert target["value"] == 0.0
    assert "0 of 1,000 files imported, exit status 1" in target["where"]


def test_the_rate_counts_created_drafts_not_files_offered():
    target = import_target({**IMPORTED, "created": 600, "seconds": 2.0})
    assert target["value"] == 300.0
    assert target["met"] is False, "400 files were not imported"


def test_a_slow_complete_import_misses_the_target():
    target = import_target({**IMPORTED, "seconds": 10.0})
    assert (target["value"], target["met"]) == (100.0, False)


def _phase(database: str, articles: int, **scenarios) -> dict:
    return {"database": database, "articles": articles, "scenarios": scenarios}


def _single(p95: float) -> dict:
    return {
        "available": True,
        "latency_ms": {"p50": p95, "p95": p95 * 4},
        "single": {"requests": 100, "latency_ms": {"p50": p95 / 2, "p95": p95}},
    }


def _named(targets: list[dict], start: str) -> list[dict]:
    return [t for t in targets if t["target"].startswith(start)]


def test_search_is_judged_one_connection_at_a_time_on_postgresql():
    targets = evaluate_targets(
        {
            "phases": [
                _phase("postgresql", 10, site_search_fresh=_single(20)),
                _phase("postgresql", 1000, site_search_fresh=_single(60)),
            ]
        }
    )
    [target] = _named(targets, "Site search page, every kind, searched every time, one")
    assert (target["value"], target["met"]) == (60, False)
    assert "1,000 articles" in target["where"]


def test_sqlite_search_is_judged_against_the_small_archive():
    targets = evaluate_targets(
        {
            "phases": [
                _phase("sqlite", 10, site_search_fresh=_single(20)),
                _phase("sqlite", 1000, site_search_fresh=_single(30)),
            ]
        }
    )
    [target] = [t for t in targets if "within 2 ×" in t["target"]]
    assert (target["value"], target["met"]) == (1.5, True)


def test_paint_targets_count_the_page_weight_and_blocking_requests():
    page = {
        "lcp_ms": 400.0,
        "compressed_bytes": 70 * 1024,
        "foreign_blocking": ["stylesheet https://fonts.example/font.css"],
    }
    phase = _phase("sqlite", 10)
    phase["paint"] = {"available": True, "pages": {"article": page}}
    targets = evaluate_targets({"phases": [phase]})
    [weight] = _named(targets, "Article page HTML + CSS + JS")
    [lcp] = _named(targets, "Largest Contentful Paint of the article page")
    assert weight["met"] is False
    assert lcp["met"] is False, "a render-blocking request to another host"
