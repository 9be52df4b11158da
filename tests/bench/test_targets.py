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
