"""Saved HTML pages, IPTC ninjs 2.x items and RSS/Atom feeds import as drafts."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from newsdesk.models import Article, ArticleStatus

pytestmark = pytest.mark.django_db
FORMATS = Path(__file__).resolve().parent / "formats"


def report(*args: str) -> dict:
    out = io.StringIO()
    with contextlib.suppress(CommandError):
        call_command("import_articles", *args, "--json", "--no-progress", stdout=out)
    return json.loads(out.getvalue())


def test_an_html_page_becomes_a_draft_with_its_metadata():
    (file,) = report(str(FORMATS / "frontier_daily.html"))["files"]
    assert file["status"] == "created", file
    assert file["published"] == "2026-03-03"
    article = Article.objects.get()
    assert article.status == ArticleStatus.DRAFT
    assert article.headline == "Gunmen storm Dalvek prison, freeing inmates"
    assert not article.needs_headline
    assert article.language == "en"
    assert article.source.name == "Frontier Daily"
    assert article.source.domain == "frontierdaily.example"
    assert article.original_url == (
        "https://www.frontierdaily.example/world/2026/03/dalvek-prison"
    )
    assert list(article.authors.values_list("name", flat=True)) == ["Lena Farouk"]
    assert article.body.startswith("Gunmen stormed the central prison")
    assert "Follow us on WhatsApp" not in article.body
    assert "Most read" not in article.body and "Home" not in article.body
    assert list(article.quotes.values_list("person__name", flat=True)) == ["Karl Berg"]
    assert "At least 74 people" in article.body
    assert article.figure_candidates.filter(text="At least 74 people").exists()


def test_directories_take_html_pages_by_default(tmp_path):
    shutil.copy(FORMATS / "frontier_daily.html", tmp_path / "page.html")
    (tmp_path / "notes.json").write_text("{}")
    files = report(str(tmp_path))["files"]
    assert [f["status"] for f in files] == ["created"]


def test_a_ninjs_item_becomes_a_draft():
    (file,) = report(str(FORMATS / "wire_item.json"))["files"]
    assert file["status"] == "created", file
    article = Article.objects.get()
    assert article.headline == "Ceasefire talks in Sarev stall over prisoner lists"
    assert article.original_url == (
        "https://newswire.example/items/2026/ceasefire-sarev-4411"
    )
    assert article.source.name == "Newswire"
    assert set(article.authors.values_list("name", flat=True)) == {
        "Samir Qadri",
        "Ruth Gallo",
    }
    assert article.body.count("\n\n") == 2
    assert list(article.quotes.values_list("person__name", flat=True)) == [
        "Hannah Okafor"
    ]
    assert article.figure_candidates.get().qualifier == "at_most"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("not json", "not valid JSON"),
        ('{"headlines": [{"value": "No uri"}]}', "no “uri”"),
        ('{"uri": "urn:x", "bodies": []}', "no body text"),
    ],
)
def test_a_bad_ninjs_file_is_reported_and_writes_nothing(tmp_path, content, reason):
    path = tmp_path / "bad.json"
    path.write_text(content)
    (file,) = report(str(path))["files"]
    assert file["status"] == "failed"
    assert file["path"] == str(path)
    assert reason in file["reason"]
    assert not Article.objects.exists()


def test_each_feed_entry_becomes_one_draft_deduplicated_by_entry_id():
    files = report(str(FORMATS / "security_feed.rss"))["files"]
    assert [f["path"].rsplit("#", 1)[1] for f in files] == [
        "borderdesk-1001",
        "borderdesk-1002",
    ]
    assert [f["status"] for f in files] == ["created", "created"]
    kaval = Article.objects.get(original_url__endswith="kaval-rockets")
    assert kaval.headline == "Rockets hit border town as shelling resumes"
    assert kaval.source.name == "Border Desk"
    assert kaval.source.domain == "borderdesk.example"
    again = report(str(FORMATS / "security_feed.rss"))["files"]
    assert [f["status"] for f in again] == ["unchanged", "unchanged"]
    assert Article.objects.count() == 2


def test_an_atom_feed_entry_imports_with_its_author():
    (file,) = report(str(FORMATS / "updates.atom"))["files"]
    assert file["status"] == "created", file
    article = Article.objects.get()
    assert article.headline == "Besieged towns of the Ardan plain face famine"
    assert list(article.authors.values_list("name", flat=True)) == ["Elena Marchetti"]
    assert article.original_url == "https://reliefwatch.example/news/ardan-famine"


def test_a_file_that_is_not_a_feed_is_reported(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text("<html><body>Not a feed</body></html>")
    (file,) = report(str(path))["files"]
    assert file["status"] == "failed"
    assert "not an RSS or Atom feed" in file["reason"]
