"""Review with comments: request changes, the author's dashboard, resubmission notes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from newsdesk import review, services
from newsdesk.models import ArticleStatus, ReviewNote, ReviewVerdict
from tests import factories as f
from tests.newsdesk.admin.test_admin import _change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(reporter):
    article = f.ArticleFactory(
        headline="Shelling resumes near the prison", created_by=reporter
    )
    services.article_submit(article=article, user=reporter)
    article.refresh_from_db()
    return article


def _workflow(client, article, action, **data):
    url = reverse("admin:newsdesk_article_workflow", args=[article.pk, action])
    return client.post(url, {"version": article.version, **data})


def test_request_changes_sends_the_draft_back_with_the_comment(editor, submitted):
    note = review.article_request_changes(
        article=submitted, user=editor, comment="Name the source of the toll."
    )
    submitted.refresh_from_db()
    assert submitted.status == ArticleStatus.DRAFT
    assert note.verdict == ReviewVerdict.CHANGES_REQUESTED
    assert note.addressed_to == submitted.created_by
    assert note.snapshot["headline"] == "Shelling resumes near the prison"
    assert list(review.changes_requested_of(submitted.created_by)) == [note]


def test_request_changes_needs_a_comment_and_writes_nothing(editor, submitted):
    with pytest.raises(ValidationError) as exc:
        review.article_request_changes(article=submitted, user=editor, comment="  ")
    assert "comment" in exc.value.message_dict
    submitted.refresh_from_db()
    assert submitted.status == ArticleStatus.IN_REVIEW
    assert not ReviewNote.objects.exists()


def test_reporters_cannot_request_changes_or_approve(reporter, submitted):
    with pytest.raises(PermissionDenied):
        review.article_request_changes(article=submitted, user=reporter, comment="x")
    with pytest.raises(PermissionDenied):
        review.article_approve(article=submitted, user=reporter)
    submitted.refresh_from_db()
    assert submitted.status == ArticleStatus.IN_REVIEW
    assert not ReviewNote.objects.exists()


def test_only_articles_in_review_can_be_reviewed(editor):
    draft = f.ArticleFactory()
    with pytest.raises(ValidationError):
        review.article_request_changes(article=draft, user=editor, comment="More.")
    with pytest.raises(ValidationError):
        review.article_approve(article=draft, user=editor)


def test_a_stale_version_is_refused(editor, submitted):
    with pytest.raises(services.ArticleConflict):
        review.article_request_changes(
            article=submitted,
            user=editor,
            comment="More.",
            expected_version=submitted.version - 1,
        )
    assert not ReviewNote.objects.exists()


def test_resubmission_says_what_changed_since_the_request(editor, reporter, submitted):
    request = review.article_request_changes(
        article=submitted, user=editor, comment="Add the second author; fix headline."
    )
    submitted.refresh_from_db()
    submitted.headline = "Shelling stops near the prison"
    services.article_save(
        article=submitted,
        user=reporter,
        expected_version=submitted.version,
        is_new=False,
    )
    services.article_set_authors(
        article=submitted,
        authors=[f.PersonFactory(name="Emmanuel Karagiannis")],
        user=reporter,
    )
    answer = review.article_submit(article=submitted, user=reporter)
    submitted.refresh_from_db()
    assert submitted.status == ArticleStatus.IN_REVIEW
    assert answer.verdict == ReviewVerdict.RESUBMITTED
    assert "Headline changed (1 word added, 1 word removed)" in answer.comment
    assert "author Emmanuel Karagiannis added" in answer.comment
    request.refresh_from_db()
    assert request.answered_at is not None and request.answer == answer
    assert list(review.changes_requested_of(reporter)) == []


def test_first_submission_adds_no_note(reporter):
    article = f.ArticleFactory(created_by=reporter)
    assert review.article_submit(article=article, user=reporter) is None
    assert not ReviewNote.objects.exists()


# -- through the admin ---------------------------------------------------------------


def test_editor_requests_changes_in_the_admin_and_the_author_sees_it(
    client, editor, reporter, submitted
):
    client.force_login(editor)
    change = client.get(reverse("admin:newsdesk_article_change", args=[submitted.pk]))
    assert "Request changes" in change.content.decode()
    response = _workflow(
        client, submitted, "request_changes", comment="Name the <b>source</b>."
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ArticleStatus.DRAFT

    client.force_login(reporter)
    dashboard = client.get(reverse("admin:index")).content.decode()
    assert "Changes requested of you" in dashboard
    assert "Name the &lt;b&gt;source&lt;/b&gt;." in dashboard
    form = client.get(reverse("admin:newsdesk_article_change", args=[submitted.pk]))
    assert "Name the &lt;b&gt;source&lt;/b&gt;." in form.content.decode()
    history = client.get(reverse("admin:newsdesk_article_history", args=[submitted.pk]))
    html = history.content.decode()
    assert "Changes requested" in html and "waiting for the author" in html


def test_request_changes_without_comment_shows_the_field_error(
    editor_client, submitted
):
    response = _workflow(editor_client, submitted, "request_changes", comment="")
    assert response.status_code == 200
    assert response.context["form"].errors["comment"]
    submitted.refresh_from_db()
    assert submitted.status == ArticleStatus.IN_REVIEW


def test_reporter_cannot_request_changes_in_the_admin(reporter_client, submitted):
    change = reporter_client.get(
        reverse("admin:newsdesk_article_change", args=[submitted.pk])
    )
    assert "request_changes" not in change.content.decode()
    response = _workflow(reporter_client, submitted, "request_changes", comment="No.")
    assert response.status_code == 200  # the form again, with the refusal
    assert "Only editors can request changes." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == ArticleStatus.IN_REVIEW
    assert not ReviewNote.objects.exists()


def test_approve_in_the_admin(editor_client, submitted):
    response = _workflow(editor_client, submitted, "approve", comment="Good to go.")
    assert response.status_code == 302
    note = ReviewNote.objects.get()
    assert note.verdict == ReviewVerdict.APPROVED and note.comment == "Good to go."
    submitted.refresh_from_db()
    assert submitted.status == ArticleStatus.IN_REVIEW


def test_resubmitting_through_the_admin_reports_the_changes(
    client, editor, reporter, submitted
):
    review.article_request_changes(article=submitted, user=editor, comment="Shorter.")
    submitted.refresh_from_db()
    client.force_login(reporter)
    url = reverse("admin:newsdesk_article_change", args=[submitted.pk])
    saved = client.post(
        url, _change_form_data(submitted, standfirst="What happened at the prison.")
    )
    assert saved.status_code == 302
    submitted.refresh_from_db()
    response = _workflow(client, submitted, "submit")
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Standfirst changed" in page
    history = client.get(reverse("admin:newsdesk_article_history", args=[submitted.pk]))
    assert "Changed since changes were requested: Standfirst changed" in (
        history.content.decode()
    )
