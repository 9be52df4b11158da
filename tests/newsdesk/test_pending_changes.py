"""Staged edits of live articles: the services, and readers keeping the live text."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from newsdesk import services
from newsdesk.models import Article, ArticleRevision, RevisionKind
from newsdesk.revisions import services as revisions
from newsdesk.revisions.snapshot import article_snapshot
from tests.factories import ArticleFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def live():
    return ArticleFactory(published=True, headline="Live headline", body="Live body.")


def _stage(article, user, **changes):
    return revisions.article_save_pending(article=article, snapshot=changes, user=user)


def test_saving_pending_changes_leaves_the_live_row_alone(live, editor):
    version = live.version
    pending = _stage(live, editor, headline="Pending headline")
    live.refresh_from_db()
    assert live.headline == "Live headline"
    assert live.version == version
    assert pending.kind == RevisionKind.PENDING
    assert pending.snapshot["headline"] == "Pending headline"
    assert pending.snapshot["body"] == "Live body."
    assert pending.based_on_version == version
    # The live version before the first staged change is kept to compare with.
    assert live.revisions.filter(kind=RevisionKind.PUBLISHED).count() == 1


def test_a_second_save_replaces_the_pending_changes_and_keeps_the_first(live, editor):
    first = _stage(live, editor, headline="One")
    second = _stage(live, editor, body="Two.")
    assert second.snapshot["headline"] == "One"
    first.refresh_from_db()
    assert first.kind == RevisionKind.PROPOSED
    assert ArticleRevision.objects.pending().filter(article=live).get() == second


def test_a_save_that_changes_nothing_records_nothing(live, editor):
    pending = _stage(live, editor, headline="One")
    assert _stage(live, editor, headline="One") == pending
    assert _stage(live, editor, headline="Live headline") is None
    pending.refresh_from_db()
    assert pending.kind == RevisionKind.DISCARDED
    assert live.revisions.count() == 2


def test_a_stale_pending_save_is_refused(live, editor, reporter):
    _stage(live, reporter, headline="Reporter's")
    with pytest.raises(services.ArticleConflict, match="rita-reporter saved pending"):
        revisions.article_save_pending(
            article=live,
            snapshot={"headline": "Editor's"},
            user=editor,
            expected_pending=0,
        )
    assert ArticleRevision.objects.pending().get().snapshot["headline"] == "Reporter's"


def test_invalid_pending_changes_are_refused_with_the_field(live, editor):
    with pytest.raises(ValidationError) as caught:
        _stage(live, editor, original_url="not a url")
    assert "original_url" in caught.value.message_dict
    assert not ArticleRevision.objects.pending().exists()


def test_only_live_articles_take_pending_changes(editor):
    draft = ArticleFactory()
    with pytest.raises(ValidationError, match="edit a draft article directly"):
        _stage(draft, editor, headline="x")


def test_editor_publishes_changes_now(live, editor):
    author = PersonFactory(name="Emmanuel Karagiannis")
    _stage(
        live,
        editor,
        headline="New headline",
        authors=[{"id": author.pk, "label": author.name}],
    )
    revision = revisions.article_publish_changes(article=live, user=editor)
    live.refresh_from_db()
    assert live.headline == "New headline"
    assert live.byline == [author]
    assert revision.kind == RevisionKind.PUBLISHED
    assert revision.published_by == editor
    assert not ArticleRevision.objects.pending().exists()
    assert live.is_published()


def test_reporter_proposes_and_submits_but_cannot_publish(live, reporter, editor):
    pending = _stage(live, reporter, headline="Proposed")
    revisions.article_submit_changes(article=live, user=reporter)
    pending.refresh_from_db()
    assert pending.submitted_by == reporter
    with pytest.raises(ValidationError, match="already waiting"):
        revisions.article_submit_changes(article=live, user=reporter)
    with pytest.raises(PermissionDenied):
        revisions.article_publish_changes(article=live, user=reporter)
    live.refresh_from_db()
    assert live.headline == "Live headline"
    revisions.article_publish_changes(article=live, user=editor)
    live.refresh_from_db()
    assert live.headline == "Proposed"


def test_discard_returns_to_the_live_version(live, reporter, editor):
    _stage(live, editor, headline="Editor's idea")
    with pytest.raises(PermissionDenied):
        revisions.article_discard_changes(article=live, user=reporter)
    revision = revisions.article_discard_changes(article=live, user=editor)
    assert revision.kind == RevisionKind.DISCARDED
    assert not ArticleRevision.objects.pending().exists()
    live.refresh_from_db()
    assert live.headline == "Live headline"
    with pytest.raises(ValidationError, match="no pending changes"):
        revisions.article_discard_changes(article=live, user=editor)


def test_scheduled_changes_wait_for_their_time_then_publish_due_applies_them(
    live, editor, clock
):
    _stage(live, editor, headline="At noon")
    at = timezone.now() + datetime.timedelta(hours=1)
    revisions.article_publish_changes(article=live, user=editor, publish_at=at)
    call_command("publish_due", stdout=io.StringIO())
    live.refresh_from_db()
    assert live.headline == "Live headline"
    clock.advance(hours=1, seconds=1)
    call_command("publish_due", stdout=io.StringIO())
    live.refresh_from_db()
    assert live.headline == "At noon"
    assert live.revisions.get(kind=RevisionKind.PUBLISHED, publish_at=at)


def test_edits_made_live_since_are_kept_when_changes_are_published(live, editor):
    _stage(live, editor, headline="Staged")
    services.article_update(
        article=Article.objects.get(pk=live.pk),
        user=editor,
        data={"body": "Edited live meanwhile."},
        expected_version=None,
    )
    revisions.article_publish_changes(article=live, user=editor)
    live.refresh_from_db()
    assert (live.headline, live.body) == ("Staged", "Edited live meanwhile.")


def test_changes_are_not_published_over_a_live_edit_of_the_same_part(live, editor):
    _stage(live, editor, headline="Staged")
    services.article_update(
        article=Article.objects.get(pk=live.pk),
        user=editor,
        data={"headline": "Changed live meanwhile"},
        expected_version=None,
    )
    with pytest.raises(services.ArticleConflict, match="same parts: headline"):
        revisions.article_publish_changes(article=live, user=editor)
    live.refresh_from_db()
    assert live.headline == "Changed live meanwhile"
    # Saved again against the new live version, they publish.
    _stage(live, editor, headline="Staged again")
    revisions.article_publish_changes(article=live, user=editor)
    live.refresh_from_db()
    assert live.headline == "Staged again"


def test_a_correction_does_not_block_publishing_changes(live, editor):
    _stage(live, editor, headline="Staged")
    services.correction_add(article=live, user=editor, note="Fixed a date.")
    revisions.article_publish_changes(article=live, user=editor)
    live.refresh_from_db()
    assert live.headline == "Staged"
    assert live.substantive_update_at is not None


def test_retracting_sets_the_pending_changes_aside(live, editor):
    _stage(live, editor, headline="Staged")
    services.article_retract(article=live, user=editor, note="Unverifiable.")
    revision = live.revisions.get(kind=RevisionKind.DISCARDED)
    assert "retracted" in revision.note
    assert article_snapshot(live)["headline"] == "Live headline"
