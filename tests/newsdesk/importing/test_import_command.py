"""`manage.py import_articles`: drafts with provenance, idempotent, atomic per file."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from incidents.models import FigureCandidate
from newsdesk.importing.importer import ArticleImporter
from newsdesk.models import Article, ArticleStatus, Person, Quote, RelatedLink, Source
from tests.factories import ArticleFactory, PersonFactory, SourceFactory

SEEDS = Path(__file__).resolve().parents[3] / "seeds"
NBC = "000_203f4d3e37727db9.txt"
COLELLA = "004_9bb2997c8907dc2d.txt"

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "incoming"
    folder.mkdir()
    for name in (NBC, COLELLA):
        shutil.copy(SEEDS / name, folder / name)
    return folder


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_articles", *args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args: str) -> tuple[str, CommandError]:
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(
            "import_articles", *args, "--no-progress", stdout=out, stderr=io.StringIO()
        )
    return out.getvalue(), caught.value


def test_import_creates_drafts_with_source_quotes_links_and_candidates(seed_dir):
    out, _ = run(str(seed_dir))

    assert "2 created, 0 updated, 0 unchanged, 0 failed." in out
    nbc = Article.objects.get(body__startswith="The Amaq statement")
    assert nbc.status == ArticleStatus.DRAFT
    assert nbc.publish_at is None
    assert nbc.needs_headline
    assert nbc.language == "en"
    assert nbc.content_hash and len(nbc.content_hash) == 64
    assert nbc.source.domain == "nbcnews.com"
    assert "Leave a Reply" not in nbc.body and "Source:" not in nbc.body
    assert nbc.body.count("\n\n") == 6
    assert (
        list(nbc.quotes.values_list("person__name", flat=True))
        == ["Emmanuel Karagiannis"] * 3
    )
    karagiannis = Person.objects.get(name="Emmanuel Karagiannis")
    assert karagiannis.affiliation == "King’s College London"
    assert list(
        FigureCandidate.objects.filter(article=nbc).values_list("text", flat=True)
    ) == [
        "dozens of attacks",
        "thousands of radicalized members",
        "around 35 percent of Syria",
        "40 percent of Iraq",
        "tens of thousands of ISIS members",
        "about 12,000 ISIS members and sympathizers",
    ]

    colella = Article.objects.get(body__startswith="The days just passed")
    links = list(colella.related_links.order_by("position"))
    assert [link.title[:25] for link in links] == [
        "Syria, Isis attack on a K",
        "The threat of drones is i",
    ]
    assert all(link.target is None for link in links)
    assert links[1].via.name == "Roberto Colella"
    assert colella.source is None
    assert colella.figure_candidates.count() == 6
    assert not Article.objects.published().exists()


def test_reimport_changes_nothing(seed_dir):
    run(str(seed_dir))
    counts = (
        Article.objects.count(),
        Source.objects.count(),
        Person.objects.count(),
        Quote.objects.count(),
        RelatedLink.objects.count(),
        FigureCandidate.objects.count(),
    )
    versions = list(Article.objects.order_by("pk").values_list("version", "updated_at"))

    out, _ = run(str(seed_dir))

    assert "0 created, 0 updated, 2 unchanged, 0 failed." in out
    assert counts == (
        Article.objects.count(),
        Source.objects.count(),
        Person.objects.count(),
        Quote.objects.count(),
        RelatedLink.objects.count(),
        FigureCandidate.objects.count(),
    )
    assert versions == list(
        Article.objects.order_by("pk").values_list("version", "updated_at")
    )


def test_same_content_with_other_line_endings_is_unchanged(seed_dir, tmp_path):
    run(str(seed_dir / NBC))
    copy = tmp_path / "copy.txt"
    copy.write_bytes((seed_dir / NBC).read_bytes().replace(b"\n", b"\r\n"))
    out, _ = run(str(copy))
    assert "1 unchanged" in out
    assert Article.objects.count() == 1


def test_existing_source_is_reused_whatever_the_spelling_of_its_domain(seed_dir):
    existing = SourceFactory(name="NBC News", domain="www.NBCNews.com")
    run(str(seed_dir / NBC))
    assert Source.objects.count() == 1
    assert Article.objects.get().source == existing


def test_existing_person_is_reused_by_name(seed_dir):
    person = PersonFactory(
        name="Emmanuel Karagiannis", affiliation="King's College London"
    )
    run(str(seed_dir / NBC))
    assert Person.objects.filter(name="Emmanuel Karagiannis").count() == 1
    assert set(Quote.objects.values_list("person", flat=True)) == {person.pk}


def test_related_link_resolves_to_an_article_with_that_headline(tmp_path):
    target = ArticleFactory(
        headline="Syria, Isis attack on a Kurdish prison to free hundreds of imprisoned "
        "terrorists: 67 dead and 80 fleeing jihadists"
    )
    shutil.copy(SEEDS / COLELLA, tmp_path / COLELLA)
    run(str(tmp_path / COLELLA))
    first = RelatedLink.objects.order_by("position").first()
    assert first.target == target


def test_an_imported_headline_resolves_earlier_unresolved_links(tmp_path):
    shutil.copy(SEEDS / COLELLA, tmp_path / COLELLA)
    run(str(tmp_path / COLELLA))
    (tmp_path / "drones.txt").write_text(
        "The threat of drones is increasingly real: Isis now knows how to adapt them "
        "for terrorist purposes\n\nDrones are cheap and easy to adapt.\n\nMore text here.",
        encoding="utf-8",
    )
    run(str(tmp_path / "drones.txt"))
    drones = Article.objects.get(headline__startswith="The threat of drones")
    assert not drones.needs_headline
    assert (
        RelatedLink.objects.get(title__startswith="The threat of drones").target
        == drones
    )


def test_name_only_source_that_is_unknown_stays_in_the_body_with_a_warning(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(
        "The prison was attacked.\n\nOriginally published by The Conversation", "utf-8"
    )
    out, _ = run(str(path))
    article = Article.objects.get()
    assert article.source is None
    assert article.body.endswith("Originally published by The Conversation")
    assert "not a known source" in out


def test_name_only_source_matches_an_existing_source_by_name(tmp_path):
    source = SourceFactory(name="The Conversation", domain="theconversation.com")
    path = tmp_path / "a.txt"
    path.write_text(
        "The prison was attacked.\n\nOriginally published by The Conversation", "utf-8"
    )
    run(str(path))
    article = Article.objects.get()
    assert article.source == source
    assert article.body == "The prison was attacked."


def test_read_full_article_url_becomes_original_url_and_source(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(
        "The prison was attacked.\n\nRead Full Article at https://www.example.com/news/1",
        "utf-8",
    )
    run(str(path))
    article = Article.objects.get()
    assert article.original_url == "https://www.example.com/news/1"
    assert article.source.domain == "example.com"


def test_a_new_text_of_the_same_original_url_updates_the_draft(tmp_path):
    path = tmp_path / "a.txt"
    tail = "\n\nRead Full Article at https://www.example.com/news/1"
    path.write_text("The prison was attacked." + tail, "utf-8")
    run(str(path))
    path.write_text("The prison was attacked at night." + tail, "utf-8")
    out, _ = run(str(path))
    assert "1 updated" in out
    article = Article.objects.get()
    assert article.body == "The prison was attacked at night."
    assert article.version == 2
    # The update is a second revision beside the import's first.
    assert list(
        article.history.order_by("history_date").values_list("history_type", "body")
    ) == [("+", "The prison was attacked."), ("~", "The prison was attacked at night.")]


def test_bad_files_are_reported_write_nothing_and_the_batch_goes_on(seed_dir):
    (seed_dir / "empty.txt").write_bytes(b"")
    (seed_dir / "latin1.txt").write_bytes(
        "Caf\xe9 attack in the city.".encode("latin-1")
    )
    (seed_dir / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00IHDR")
    (seed_dir / "furniture.txt").write_text("Leave a Reply\n\nShare this:\n", "utf-8")

    out, error = run_failing(str(seed_dir), "--json")

    report = json.loads(out)
    assert report["summary"] == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "failed": 4,
    }
    reasons = {
        Path(f["path"]).name: f["reason"]
        for f in report["files"]
        if f["status"] == "failed"
    }
    assert reasons == {
        "binary.txt": "The file is binary (it contains NUL bytes), not text.",
        "empty.txt": "The file is empty.",
        "furniture.txt": "No article text is left after removing site furniture.",
        "latin1.txt": "The file is not UTF-8 text (invalid byte at position 3).",
    }
    assert "4 of 6" in str(error)
    assert Article.objects.count() == 2


def test_exit_status_is_non_zero_when_a_file_failed(tmp_path):
    from django.core.management import ManagementUtility

    (tmp_path / "empty.txt").write_bytes(b"")
    utility = ManagementUtility(
        ["manage.py", "import_articles", str(tmp_path / "empty.txt")]
    )
    with (
        pytest.raises(SystemExit) as exited,
        mock.patch("sys.stderr", io.StringIO()) as err,
        mock.patch("sys.stdout", io.StringIO()),
    ):
        utility.execute()
    assert exited.value.code == 1
    assert "could not be imported" in err.getvalue()


def test_missing_paths_and_empty_globs_are_failures(tmp_path):
    out, _ = run_failing(str(tmp_path / "nope.txt"), str(tmp_path / "*.txt"))
    assert "No such file or directory." in out
    assert "No files match this pattern." in out


def test_globs_pick_files_and_each_file_counts_once(seed_dir):
    out, _ = run(str(seed_dir / "000_*.txt"), str(seed_dir / NBC))
    assert "1 created" in out
    assert Article.objects.count() == 1


def test_directories_only_take_text_files(seed_dir):
    (seed_dir / "newsroom.json").write_text("{}", "utf-8")
    (seed_dir / "nested").mkdir()
    shutil.copy(SEEDS / NBC, seed_dir / "nested" / "copy.txt")
    out, _ = run(str(seed_dir))
    assert "2 created, 0 updated, 1 unchanged, 0 failed." in out


def test_dry_run_writes_nothing_and_says_what_it_would_do(seed_dir):
    out, _ = run(str(seed_dir), "--dry-run")
    assert Article.objects.count() == 0
    assert Source.objects.count() == 0
    assert Person.objects.count() == 0
    assert "Would create:" in out
    assert "Dry run, nothing written: 2 would create" in out


def test_json_report_lists_every_file(seed_dir):
    out, _ = run(str(seed_dir), "--json")
    report = json.loads(out)
    assert report["dry_run"] is False
    assert report["summary"]["created"] == 2
    nbc = next(f for f in report["files"] if f["path"].endswith(NBC))
    assert nbc["status"] == "created"
    assert nbc["source"] == "Nbcnews.com"
    assert nbc["quotes"] == 3
    assert nbc["figure_candidates"] == 6
    assert nbc["needs_headline"] is True
    assert nbc["language"] == "en"
    assert Article.objects.filter(pk=nbc["article_id"]).exists()


def test_a_failure_mid_file_rolls_back_everything_from_that_file(seed_dir):
    with mock.patch.object(
        FigureCandidate.objects, "bulk_create", side_effect=RuntimeError("boom")
    ):
        outcome = ArticleImporter().import_path(seed_dir / NBC)
    assert outcome.status == "failed"
    assert outcome.reason == "Unexpected error (RuntimeError): boom."
    assert Article.objects.count() == 0
    assert Source.objects.count() == 0
    assert Person.objects.count() == 0
    assert Quote.objects.count() == 0


def test_a_database_error_mid_file_is_reported_and_writes_nothing(seed_dir):
    from django.db import DatabaseError

    with mock.patch.object(
        FigureCandidate.objects, "bulk_create", side_effect=DatabaseError("disk full")
    ):
        outcome = ArticleImporter().import_path(seed_dir / NBC)
    assert outcome.status == "failed"
    assert "disk full" in outcome.reason
    assert Article.objects.count() == 0
    assert Source.objects.count() == 0
    assert Quote.objects.count() == 0


def test_losing_the_race_to_a_parallel_import_counts_as_unchanged(seed_dir):
    first, second = ArticleImporter(), ArticleImporter()
    first.import_path(seed_dir / NBC)
    # The second importer looked for the hash before the first one had written it.
    original_filter = Article.objects.filter
    calls = {"n": 0}

    def stale_filter(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1 and "content_hash" in kwargs:
            return original_filter(pk=-1)
        return original_filter(*args, **kwargs)

    with mock.patch.object(Article.objects, "filter", side_effect=stale_filter):
        outcome = second.import_path(seed_dir / NBC)
    assert outcome.status == "unchanged"
    assert Article.objects.count() == 1


def test_created_by_is_the_given_user(seed_dir, editor):
    run(str(seed_dir / NBC), "--user", editor.username)
    assert Article.objects.get().created_by == editor


def test_unknown_user_is_refused(seed_dir):
    with pytest.raises(CommandError, match="No user named"):
        call_command(
            "import_articles", str(seed_dir), "--user", "ghost", stdout=io.StringIO()
        )


def test_large_batches_are_parsed_in_worker_processes_with_the_same_result(seed_dir):
    with mock.patch(
        "newsdesk.management.commands.import_articles.PARALLEL_MIN_FILES", 1
    ):
        out, _ = run(str(seed_dir), "--jobs", "1")
    assert "2 created" in out
    assert Article.objects.get(body__startswith="The Amaq").quotes.count() == 3


def test_a_file_repeated_in_one_batch_is_imported_once(seed_dir, tmp_path):
    (tmp_path / "copy.txt").write_bytes((seed_dir / NBC).read_bytes())
    out, _ = run(str(seed_dir / NBC), str(tmp_path / "copy.txt"))
    assert "1 created, 0 updated, 1 unchanged, 0 failed." in out


def write_scraped_files(folder: Path, count: int) -> None:
    """Distinct articles from one source, quoting one person, each with a figure."""
    folder.mkdir(exist_ok=True)
    for n in range(count):
        (folder / f"{n:03d}.txt").write_text(
            f"Fighters attacked prison number {n} at night and freed dozens of "
            "detainees. The guards were outnumbered.\n\n"
            "“We regained control of the prison after six days of fighting,” "
            "Omar Aziz of UNICEF, another researcher, said.\n\n"
            "Read Also Local militias secure camp in Roj\n\n"
            f"About {n + 1200:,} people were detained.\n\n"
            "Source: | This article originally belongs to Qamishli.Com",
            encoding="utf-8",
        )


@pytest.mark.parametrize("count", [10, 40])
def test_queries_per_file_do_not_grow_with_the_batch(tmp_path, count):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    write_scraped_files(tmp_path / "incoming", count)
    with CaptureQueriesContext(connection) as queries:
        out, _ = run(str(tmp_path / "incoming"))

    assert f"{count} created, 0 updated, 0 unchanged, 0 failed." in out
    assert Quote.objects.count() == RelatedLink.objects.count() == count
    assert FigureCandidate.objects.count() >= count
    # Each file: its insert inside the service's savepoint, and nothing else.
    # Whether its hash is new and its provisional slug free, and the people it
    # names, are looked up for the whole batch; its revisions (history and
    # ArticleRevision), quote, link and candidate rows go in with the batch's.
    assert len(queries) <= 30 + 3 * count
    inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) <= count + 10


def test_imported_drafts_have_their_first_revision(seed_dir):
    run(str(seed_dir))

    for article in Article.objects.all():
        revisions = list(article.history.all())
        assert [r.history_type for r in revisions] == ["+"]
        assert revisions[0].headline == article.headline
        assert revisions[0].body == article.body
        assert revisions[0].history_date == article.updated_at


def test_imported_drafts_get_one_revision_of_what_was_written(seed_dir, tmp_path):
    from newsdesk.models import ArticleRevision, RevisionKind
    from newsdesk.revisions.snapshot import article_snapshot, snapshots_equal

    shutil.copytree(seed_dir, tmp_path / "batch")
    write_scraped_files(tmp_path / "batch", 6)
    run(str(tmp_path / "batch"), "--batch-size", "4")

    articles = list(Article.objects.all())
    assert len(articles) == 8
    for article in articles:
        (revision,) = ArticleRevision.objects.filter(article=article)
        assert revision.kind == RevisionKind.SAVED
        assert revision.based_on_version == article.version
        # The revision holds the quotes, links and byline inserted with the batch.
        assert snapshots_equal(revision.snapshot, article_snapshot(article))
    nbc = next(a for a in articles if a.quotes.exists() and a.source_id)
    assert ArticleRevision.objects.get(article=nbc).snapshot["quotes"]


def test_a_new_text_of_a_draft_records_its_new_revision(tmp_path):
    from newsdesk.models import ArticleRevision
    from newsdesk.revisions.snapshot import article_snapshot, snapshots_equal

    first = tmp_path / "first.txt"
    first.write_text(
        "Clashes at the border\n\nFighting broke out at the border crossing on "
        "Monday, officials said, and the crossing was closed to traffic.\n\n"
        "Read Full Article at https://example.org/border",
        encoding="utf-8",
    )
    run(str(first))
    first.write_text(
        first.read_text(encoding="utf-8").replace("Monday", "Tuesday"),
        encoding="utf-8",
    )
    out, _ = run(str(first))

    assert "1 updated" in out
    article = Article.objects.get()
    revisions = list(ArticleRevision.objects.filter(article=article).order_by("id"))
    assert len(revisions) == 2
    assert "Monday" in revisions[0].snapshot["body"]
    assert snapshots_equal(revisions[1].snapshot, article_snapshot(article))


def test_a_new_text_later_in_the_same_batch_replaces_the_first(tmp_path):
    tail = "\n\nRead Full Article at https://www.example.com/news/1"
    (tmp_path / "a.txt").write_text(
        "“We will hold the prison,” Omar Aziz of UNICEF, a spokesperson, said." + tail,
        "utf-8",
    )
    (tmp_path / "b.txt").write_text(
        "“We lost the prison,” Omar Aziz of UNICEF, a spokesperson, said." + tail,
        "utf-8",
    )
    out, _ = run(str(tmp_path))
    assert "1 created, 1 updated" in out
    article = Article.objects.get()
    assert list(article.quotes.values_list("text", flat=True)) == ["We lost the prison"]


def test_a_bad_file_in_a_batch_is_reported_alone_and_the_others_are_written(seed_dir):
    from django.db import DatabaseError

    real_bulk_create = Quote.objects.bulk_create

    def refuse_nbc_quotes(rows, *args, **kwargs):
        rows = list(rows)
        if any(row.article.body.startswith("The Amaq") for row in rows):
            raise DatabaseError("disk full")
        return real_bulk_create(rows, *args, **kwargs)

    with mock.patch.object(Quote.objects, "bulk_create", side_effect=refuse_nbc_quotes):
        out, error = run_failing(str(seed_dir), "--json")

    report = {Path(f["path"]).name: f for f in json.loads(out)["files"]}
    assert report[NBC]["status"] == "failed"
    assert "disk full" in report[NBC]["reason"]
    assert report[COLELLA]["status"] == "created"
    colella = Article.objects.get()
    assert colella.pk == report[COLELLA]["article_id"]
    assert colella.figure_candidates.count() == 6
    assert colella.related_links.count() == 2
    assert colella.history.count() == 1
    assert not Person.objects.filter(name="Emmanuel Karagiannis").exists()
    assert not Source.objects.filter(domain="nbcnews.com").exists()
    assert "1 of 2" in str(error)


DRONES = (
    "The threat of drones is increasingly real: Isis now knows how to adapt them "
    "for terrorist purposes\n\nDrones are cheap and easy to adapt.\n\nMore text here."
)


def test_a_link_resolves_to_a_headline_imported_later_in_the_same_batch(tmp_path):
    shutil.copy(SEEDS / COLELLA, tmp_path / "a.txt")
    (tmp_path / "b.txt").write_text(DRONES, encoding="utf-8")
    run(str(tmp_path))
    drones = Article.objects.get(headline__startswith="The threat of drones")
    assert (
        RelatedLink.objects.get(title__startswith="The threat of drones").target
        == drones
    )


def test_a_link_written_in_one_batch_resolves_to_a_headline_in_a_later_one(tmp_path):
    shutil.copy(SEEDS / COLELLA, tmp_path / "a.txt")
    # A headline in the first batch makes the importer load the unresolved links
    # while the first file's link is not yet in the database.
    (tmp_path / "b.txt").write_text(
        "Kurdish forces retake the prison\n\nThe siege ended on Wednesday.", "utf-8"
    )
    (tmp_path / "c.txt").write_text(DRONES, encoding="utf-8")
    with mock.patch("newsdesk.importing.importer.WRITE_BATCH", 2):
        run(str(tmp_path))
    assert not Article.objects.get(headline__startswith="Kurdish").needs_headline
    drones = Article.objects.get(headline__startswith="The threat of drones")
    assert (
        RelatedLink.objects.get(title__startswith="The threat of drones").target
        == drones
    )


def test_html_rendered_by_the_workers_is_the_html_of_the_saved_body(seed_dir):
    from newsdesk.rendering import render_markdown

    with mock.patch(
        "newsdesk.management.commands.import_articles.PARALLEL_MIN_FILES", 1
    ):
        run(str(seed_dir), "--jobs", "1")
    assert Article.objects.count() == 2
    for article in Article.objects.all():
        assert article.body_html == render_markdown(article.body)


def test_html_rendered_ahead_from_another_body_is_not_used():
    from newsdesk.rendering import render_markdown

    article = ArticleFactory.build(body="The *new* text.")
    article.rendered_ahead = ("The old text.", "<p>The old text.</p>")
    article.save()
    assert article.body_html == render_markdown("The *new* text.")
    assert "old" not in article.body_html


def test_batch_size_one_commits_each_file_and_gives_the_same_drafts(seed_dir):
    run(str(seed_dir), "--batch-size", "1")
    assert Article.objects.count() == 2
    assert all(a.history.count() == 1 for a in Article.objects.all())
    out, _ = run(str(seed_dir), "--batch-size", "1", "--json")
    assert json.loads(out)["summary"]["unchanged"] == 2


def test_batch_size_below_one_is_refused_before_anything_is_read(seed_dir):
    _, error = run_failing(str(seed_dir), "--batch-size", "0")
    assert "--batch-size must be at least 1" in str(error)
    assert Article.objects.count() == 0


def test_an_update_refuses_a_draft_an_editor_saved_after_the_run_read_it(
    tmp_path, editor, monkeypatch
):
    from newsdesk import services

    path = tmp_path / "a.txt"
    tail = "\n\nRead Full Article at https://www.example.com/news/1"
    path.write_text("The prison was attacked." + tail, "utf-8")
    run(str(path))
    # The run reads the earlier import, then an editor saves it before the write.
    read_by_the_run = Article.objects.get()
    services.article_update(
        article=Article.objects.get(),
        user=editor,
        data={"body": "The editor's text."},
        expected_version=read_by_the_run.version,
    )
    monkeypatch.setattr(
        ArticleImporter, "_previous_version", lambda self, parsed: read_by_the_run
    )
    path.write_text("The prison was attacked at night." + tail, "utf-8")
    out, _ = run_failing(str(path))
    assert "changed by eddie-editor" in out
    article = Article.objects.get()
    assert article.body == "The editor's text."
    assert article.version == read_by_the_run.version + 1
