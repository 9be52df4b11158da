"""Review with comments of a live article's pending changes: approve and publish, or
request changes, which go back to their author still pending; the resubmission
says what changed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from newsdesk import review, services
from newsdesk.models import ArticleRevision, ReviewNote, ReviewVerdict, RevisionKind
from newsdesk.revisions import services as revisions
from tests.factories import ArticleFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def live():
    return ArticleFactory(
        published=True, headline="Prison attack enters third day", body="Live body."
    )


@pytest.fixture
def submitted(live, reporter):
    revisions.article_save_pending(
        article=live, snapshot={"headline": "Prison retaken"}, user=reporter
    )
    revisions.article_submit_changes(article=live, user=reporter)
    return live


def _pending(article):
    return ArticleRevision.objects.pending().get(article=article)


def _workflow(client, article, action, **data):
    url = reverse("admin:newsdesk_article_workflow", args=[article.pk, action])
    return client.post(url, {"version": article.version, **data})


def _change_url(article):
    return reverse("admin:newsdesk_article_change", args=[article.pk])


# -- the services ---------------------------------------------------------------------


def test_request_changes_returns_them_to_the_author_still_pending(
    editor, reporter, submitted
):
    note = review.article_request_pending_changes(
        article=submitted, user=editor, comment="Say who retook it."
    )
    pending = _pending(submitted)
    assert pending.submitted_at is None and pending.submitted_by is None
    assert pending.snapshot["headline"] == "Prison retaken"
    submitted.refresh_from_db()
    assert submitted.headline == "Prison attack enters third day"
    assert submitted.is_published()
    assert note.verdict == ReviewVerdict.CHANGES_REQUESTED
    assert note.addressed_to == reporter
    assert note.snapshot["headline"] == "Prison retaken"
    assert list(review.changes_requested_of(reporter)) == [note]


def test_request_changes_is_refused_without_writing(editor, reporter, live, submitted):
    pending = _pending(submitted)
    with pytest.raises(ValidationError) as caught:
        review.article_request_pending_changes(
            article=submitted, user=editor, comment=" "
        )
    assert "comment" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        review.article_request_pending_changes(
            article=submitted, user=reporter, comment="Me too."
        )
    with pytest.raises(services.ArticleConflict):
        review.article_request_pending_changes(
            article=submitted,
            user=editor,
            comment="Stale.",
            expected_pending=pending.pk + 1,
        )
    pending.refresh_from_db()
    assert pending.submitted_at is not None
    assert not ReviewNote.objects.exists()


def test_only_submitted_changes_can_be_sent_back(editor, live):
    revisions.article_save_pending(
        article=live, snapshot={"headline": "Not submitted"}, user=editor
    )
    with pytest.raises(ValidationError, match="not waiting for review"):
        review.article_request_pending_changes(article=live, user=editor, comment="Hm.")
    assert not ReviewNote.objects.exists()


def test_resubmission_says_what_changed_since_the_request(editor, reporter, submitted):
    request = review.article_request_pending_changes(
        article=submitted, user=editor, comment="Add the author."
    )
    author = PersonFactory(name="Emmanuel Karagiannis")
    revisions.article_save_pending(
        article=submitted,
        snapshot={
            "headline": "Prison retaken by the SDF",
            "authors": [{"id": author.pk, "label": author.name}],
        },
        user=reporter,
    )
    pending, answer = review.article_submit_changes(article=submitted, user=reporter)
    assert pending.submitted_by == reporter
    assert answer.verdict == ReviewVerdict.RESUBMITTED
    assert answer.addressed_to == editor
    assert "Headline changed" in answer.comment
    assert "author Emmanuel Karagiannis added" in answer.comment
    assert answer.snapshot["headline"] == "Prison retaken by the SDF"
    request.refresh_from_db()
    assert request.answer == answer
    assert list(review.changes_requested_of(reporter)) == []


def test_approving_publishes_and_records_the_approval(editor, reporter, submitted):
    review.article_request_pending_changes(
        article=submitted, user=editor, comment="Source?"
    )
    revisions.article_submit_changes(article=submitted, user=reporter)
    revision, note = review.article_approve_changes(
        article=submitted, user=editor, comment="Good, thanks."
    )
    submitted.refresh_from_db()
    assert submitted.headline == "Prison retaken"
    assert revision.kind == RevisionKind.PUBLISHED
    assert note.verdict == ReviewVerdict.APPROVED
    assert (note.addressed_to, note.comment) == (reporter, "Good, thanks.")
    # An approval answers the request the author never resubmitted for.
    assert not ReviewNote.objects.open_requests().exists()


def test_approving_with_a_time_schedules_the_changes(editor, submitted):
    at = timezone.now() + datetime.timedelta(hours=2)
    revision, note = review.article_approve_changes(
        article=submitted, user=editor, publish_at=at
    )
    assert revision.kind == RevisionKind.PENDING and revision.publish_at == at
    assert note.verdict == ReviewVerdict.APPROVED
    submitted.refresh_from_db()
    assert submitted.headline == "Prison attack enters third day"


def test_publishing_unsubmitted_changes_records_no_approval(editor, live):
    revisions.article_save_pending(
        article=live, snapshot={"headline": "Editor's own"}, user=editor
    )
    _, note = review.article_approve_changes(article=live, user=editor)
    assert note is None
    assert not ReviewNote.objects.exists()


def test_reporters_cannot_approve_changes(reporter, submitted):
    with pytest.raises(PermissionDenied):
        review.article_approve_changes(article=submitted, user=reporter)
    submitted.refresh_from_db()
    assert submitted.headline == "Prison attack enters third day"
    assert _pending(submitted).submitted_at is not None


def test_return_changes_only_by_the_submitter_or_an_editor(reporter, submitted):
    colleague = UserFactory(username="ravi-reporter", role="reporter")
    with pytest.raises(PermissionDenied):
        revisions.article_return_changes(article=submitted, user=colleague)
    revisions.article_return_changes(article=submitted, user=reporter)
    assert _pending(submitted).submitted_at is None
    with pytest.raises(ValidationError, match="not waiting for review"):
        revisions.article_return_changes(article=submitted, user=reporter)


# -- through the admin ----------------------------------------------------------------


def test_round_trip_in_the_admin(client, editor, reporter, submitted):
    client.force_login(editor)
    form = client.get(_change_url(submitted)).content.decode()
    assert "Approve and publish" in form and "Request changes" in form
    assert "Submitted for review by rita-reporter" in form
    dashboard = client.get(reverse("admin:index")).content.decode()
    assert "Prison attack enters third day" in dashboard
    assert "changes to the live article from rita-reporter" in dashboard
    listing = client.get(reverse("admin:newsdesk_article_changelist") + "?mine=review")
    assert submitted in listing.context["cl"].result_list

    page = client.get(
        reverse(
            "admin:newsdesk_article_workflow",
            args=[submitted.pk, "request_pending_changes"],
        )
    ).content.decode()
    assert "Headline changed" in page and "Compare with live" in page
    response = _workflow(
        client,
        submitted,
        "request_pending_changes",
        comment="Name the <b>force</b>.",
        pending_seen=_pending(submitted).pk,
    )
    assert response.status_code == 302
    assert _pending(submitted).submitted_at is None

    client.force_login(reporter)
    dashboard = client.get(reverse("admin:index")).content.decode()
    assert "Changes requested of you" in dashboard
    assert "Name the &lt;b&gt;force&lt;/b&gt;." in dashboard
    mine = client.get(reverse("admin:newsdesk_article_changelist") + "?mine=requested")
    assert list(mine.context["cl"].result_list) == [submitted]
    form = client.get(_change_url(submitted)).content.decode()
    assert "Name the &lt;b&gt;force&lt;/b&gt;." in form
    assert "Submit changes for review" in form
    history = client.get(
        reverse("admin:newsdesk_article_history", args=[submitted.pk])
    ).content.decode()
    assert "Changes requested" in history and "waiting for the author" in history

    revisions.article_save_pending(
        article=submitted, snapshot={"headline": "SDF retakes prison"}, user=reporter
    )
    response = _workflow(client, submitted, "submit_changes")
    assert response.status_code == 302
    answer = ReviewNote.objects.get(verdict=ReviewVerdict.RESUBMITTED)

    client.force_login(editor)
    form = client.get(_change_url(submitted)).content.decode()
    assert "Resubmitted after review" in form
    assert "Compare with the version you reviewed" in form
    request_note = ReviewNote.objects.get(verdict=ReviewVerdict.CHANGES_REQUESTED)
    compare = client.get(
        reverse("admin:newsdesk_article_revisions_compare", args=[submitted.pk]),
        {"from": f"review-{request_note.pk}", "to": f"review-{answer.pk}"},
    )
    assert compare.status_code == 200
    html = compare.content.decode()
    assert "As reviewed when changes were requested" in html
    assert "As resubmitted" in html
    assert compare.context["comparison"].changes

    response = _workflow(
        client,
        submitted,
        "publish_changes",
        comment="Thanks.",
        pending_seen=_pending(submitted).pk,
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.headline == "SDF retakes prison"
    assert ReviewNote.objects.get(verdict=ReviewVerdict.APPROVED).comment == "Thanks."


def test_reporter_cannot_review_through_the_admin(reporter_client, submitted):
    form = reporter_client.get(_change_url(submitted)).content.decode()
    assert "Approve and publish" not in form and "Request changes" not in form
    assert "Withdraw from review" in form
    for action, data in (
        ("request_pending_changes", {"comment": "Self-review."}),
        ("publish_changes", {}),
    ):
        response = _workflow(reporter_client, submitted, action, **data)
        assert response.status_code == 200
        assert "Only editors can" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.headline == "Prison attack enters third day"
    assert _pending(submitted).submitted_at is not None
    assert not ReviewNote.objects.exists()


def test_reporter_withdraws_changes_from_review(reporter_client, submitted):
    response = _workflow(reporter_client, submitted, "withdraw_changes")
    assert response.status_code == 302
    assert _pending(submitted).submitted_at is None


def test_request_changes_without_comment_shows_the_field_error(
    editor_client, submitted
):
    response = _workflow(editor_client, submitted, "request_pending_changes")
    assert response.status_code == 200
    assert response.context["form"].errors["comment"]
    assert _pending(submitted).submitted_at is not None


def test_review_of_changes_saved_after_the_page_opened_is_refused(
    editor_client, reporter, submitted
):
    seen = _pending(submitted).pk
    revisions.article_save_pending(
        article=submitted, snapshot={"headline": "Changed again"}, user=reporter
    )
    response = _workflow(editor_client, submitted, "publish_changes", pending_seen=seen)
    assert response.status_code == 200
    assert "after you opened it" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.headline == "Prison attack enters third day"
    assert not ReviewNote.objects.exists()
