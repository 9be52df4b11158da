"""Limits and encodings through the command, and worker processes that die with it."""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from newsdesk.models import Article

ROOT = Path(__file__).resolve().parents[3]
TEXT = (
    "Prison attack leaves dozens dead\n\n"
    "Fighters stormed the prison on Thursday night, officials said.\n\n"
    "At least 74 people were killed in the fighting, the ministry said.\n\n"
    "Share this:\n\nFacebook Twitter"
)


def report(*args: str) -> dict:
    out = io.StringIO()
    with contextlib.suppress(CommandError):
        call_command("import_articles", *args, "--json", "--no-progress", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_files_import_like_utf8_ones(tmp_path, encoding):
    (tmp_path / "wide.txt").write_bytes(TEXT.encode(encoding))
    (file,) = report(str(tmp_path))["files"]
    assert file["status"] == "created", file
    article = Article.objects.get()
    assert article.headline == "Prison attack leaves dozens dead"
    assert "74 people" in article.body


@pytest.mark.django_db
@override_settings(NEWSDESK_IMPORT_MAX_FILE_BYTES=100)
def test_a_file_over_the_size_setting_fails_with_path_and_reason_writing_nothing(
    tmp_path,
):
    big = tmp_path / "big.txt"
    big.write_text(TEXT * 3)
    (file,) = report(str(big))["files"]
    assert file["status"] == "failed"
    assert file["path"] == str(big)
    assert "NEWSDESK_IMPORT_MAX_FILE_BYTES" in file["reason"]
    assert not Article.objects.exists()


@pytest.mark.django_db
@override_settings(NEWSDESK_IMPORT_MAX_PARAGRAPH_CHARS=40)
def test_cuts_are_warnings_and_removed_blocks_have_reasons_in_the_report(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT)
    (file,) = report(str(tmp_path))["files"]
    assert file["status"] == "created"
    assert any("NEWSDESK_IMPORT_MAX_PARAGRAPH_CHARS" in w for w in file["warnings"])
    reasons = {block["text"]: block["reason"] for block in file["removed"]}
    assert set(reasons) == {"Share this:", "Facebook Twitter"}
    assert all(reasons.values())
    article = Article.objects.get()
    assert all(len(p) <= 40 for p in article.body.split("\n\n"))


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table")
def test_sigkill_of_the_importer_leaves_no_worker_process_behind(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsdesk.settings_test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    for n in range(3000):
        (incoming / f"{n:04}.txt").write_text(
            f"Report number {n}\n\nFighters stormed prison {n} on Thursday, "
            f"officials said, and {n + 3} guards were hurt.\n\nMore text {n}."
        )
    importer = subprocess.Popen(
        [*manage, "import_articles", str(incoming), "--jobs", "2", "--no-progress"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and importer.poll() is None:
            workers = _children(importer.pid)
            if len(workers) >= 3:  # two workers and the resource tracker
                break
            time.sleep(0.05)
        assert len(workers) >= 3, "the import ended before its workers were seen"
        os.kill(importer.pid, signal.SIGKILL)
        importer.wait()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_alive(p) for p in workers):
            time.sleep(0.1)
        assert not [p for p in workers if _alive(p)]
    finally:
        if importer.poll() is None:
            importer.kill()
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.django_db
def test_a_line_repeated_across_the_batch_is_removed_as_the_sites_own(tmp_path):
    for n in range(3):
        (tmp_path / f"{n}.txt").write_text(
            f"Raid number {n} on the depot\n\n"
            f"Troops raided depot {n} on Thursday night, officials said on Friday.\n\n"
            "Northwire Daily Digest\n\n"
            f"More than {n + 10} rifles were seized in the raid, the army said."
        )
    files = report(str(tmp_path))["files"]
    assert [f["status"] for f in files] == ["created"] * 3
    for file in files:
        assert {
            "text": "Northwire Daily Digest",
            "reason": "repeated across the files of this batch",
        } in file["removed"]
    assert not Article.objects.filter(body__contains="Digest").exists()
