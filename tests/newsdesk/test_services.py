"""Workflow services: transitions, permissions by role, optimistic locking, redirects."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from newsdesk import services
from newsdesk.models import (
    Article,
    ArticleRedirect,
    ArticleStatus,
    Comment,
    CommentStatus,
)
from tests.factories import ArticleFactory, CommentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def roles(request_fixture, *names):
    return [request_fixture.getfixturevalue(name) for name in names]


# --- permission matrix: role × workflow action ------------------------------------

ACTIONS = {
    "submit": (
        lambda: ArticleFactory(),
        lambda a, u: services.article_submit(article=a, user=u),
        ArticleStatus.IN_REVIEW,
    ),
    "publish": (
        lambda: ArticleFactory(in_review=True),
        lambda a, u: services.article_publish(article=a, user=u),
        ArticleStatus.PUBLISHED,
    ),
    "schedule": (
        lambda: ArticleFactory(in_review=True),
        lambda a, u: services.article_publish(
            article=a, user=u, publish_at=timezone.now() + datetime.timedelta(days=1)
        ),
        ArticleStatus.PUBLISHED,
    ),
    "retract": (
        lambda: ArticleFactory(published=True),
        lambda a, u: services.article_retract(
            article=a, user=u, note="Could not be verified."
        ),
        ArticleStatus.RETRACTED,
    ),
    "correct": (
        lambda: ArticleFactory(published=True),
        lambda a, u: services.correction_add(article=a, user=u, note="Fixed a date."),
        ArticleStatus.PUBLISHED,
    ),
}
ALLOWED = {
    "reporter": {"submit"},
    "editor": {"submit", "publish", "schedule", "retract", "correct"},
    "moderator": set(),
    "anonymous": set(),
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ALLOWED)
def test_permission_matrix_through_services(request, role, action):
    user = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
    make, run, expected_status = ACTIONS[action]
    article = make()
    before = (article.status, article.version)
    if action in ALLOWED[role]:
        run(article, user)
        article.refresh_from_db()
        assert article.status == expected_status
        assert article.version == before[1] + 1
    else:
        with pytest.raises(PermissionDenied):
            run(article, user)
        article.refresh_from_db()
        assert (article.status, article.version) == before


def test_publish_now_sets_first_published_and_goes_live(editor):
    article = ArticleFactory(in_review=True)
    services.article_publish(article=article, user=editor)
    assert Article.objects.published().filter(pk=article.pk).exists()
    assert article.first_published_at == article.publish_at


def test_schedule_keeps_article_hidden_until_its_time(editor):
    article = ArticleFactory()
    when = timezone.now() + datetime.timedelta(hours=3)
    services.article_publish(article=article, user=editor, publish_at=when)
    assert article.is_scheduled()
    assert not Article.objects.published().filter(pk=article.pk).exists()
    services.article_unschedule(article=article, user=editor)
    assert article.status == ArticleStatus.IN_REVIEW and article.publish_at is None


def test_retract_needs_a_note_and_a_published_article(editor):
    article = ArticleFactory(published=True)
    with pytest.raises(ValidationError) as err:
        services.article_retract(article=article, user=editor, note="  ")
    assert "Explain to readers" in str(err.value)
    draft = ArticleFactory()
    with pytest.raises(ValidationError, match="Only published articles"):
        services.article_retract(article=draft, user=editor, note="No.")


def test_retracted_article_cannot_be_republished(editor):
    article = ArticleFactory(retracted=True)
    with pytest.raises(ValidationError, match="cannot be published again"):
        services.article_publish(article=article, user=editor)


def test_provisional_headline_blocks_submit_and_publish(editor):
    article = ArticleFactory(needs_headline=True)
    with pytest.raises(ValidationError, match="headline"):
        services.article_submit(article=article, user=editor)
    with pytest.raises(ValidationError, match="headline"):
        services.article_publish(article=article, user=editor)


def test_publish_refuses_an_empty_body(editor):
    article = ArticleFactory(body="")
    with pytest.raises(ValidationError, match="body"):
        services.article_publish(article=article, user=editor)


def test_correction_marks_article_updated(editor):
    article = ArticleFactory(published=True)
    correction = services.correction_add(
        article=article, user=editor, note="Corrected the toll."
    )
    article.refresh_from_db()
    assert article.substantive_update_at == correction.published_at
    assert list(article.corrections.all()) == [correction]


# --- optimistic locking ------------------------------------------------------------


def test_second_save_from_same_version_is_refused_and_first_is_intact(editor, request):
    other = request.getfixturevalue("superuser")
    article = ArticleFactory(headline="Original")
    seen = article.version
    first = Article.objects.get(pk=article.pk)
    second = Article.objects.get(pk=article.pk)

    services.article_update(
        article=first, user=editor, data={"headline": "First"}, expected_version=seen
    )
    with pytest.raises(services.ArticleConflict) as err:
        services.article_update(
            article=second,
            user=other,
            data={"headline": "Second"},
            expected_version=seen,
        )

    message = err.value.messages[0]
    assert editor.username in message and "Nothing was saved" in message
    article.refresh_from_db()
    assert article.headline == "First"
    assert article.version == seen + 1


def test_update_cannot_change_workflow_fields(editor):
    article = ArticleFactory()
    with pytest.raises(ValidationError):
        services.article_update(
            article=article,
            user=editor,
            data={"status": "published"},
            expected_version=article.version,
        )
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT


def test_changing_published_slug_keeps_old_url_as_redirect(editor):
    article = ArticleFactory(published=True, slug="old-slug")
    old_path = article.get_absolute_url()
    services.article_update(
        article=article,
        user=editor,
        data={"slug": "new-slug"},
        expected_version=article.version,
    )
    redirect = ArticleRedirect.objects.get(old_path=old_path)
    assert redirect.article == article
    assert article.get_absolute_url().endswith("/new-slug/")


def test_changing_a_draft_slug_leaves_no_redirect(editor):
    article = ArticleFactory(slug="draft-slug")
    services.article_update(
        article=article,
        user=editor,
        data={"slug": "other"},
        expected_version=article.version,
    )
    assert not ArticleRedirect.objects.exists()


def test_article_create_sets_ordered_authors_and_unique_slug(reporter):
    people = PersonFactory.create_batch(3)
    first = services.article_create(
        user=reporter, headline="Same headline", body="x", authors=people[::-1]
    )
    second = services.article_create(user=reporter, headline="Same headline", body="y")
    assert [a.person for a in first.article_authors.all()] == people[::-1]
    assert first.slug == "same-headline" and second.slug == "same-headline-2"
    assert first.status == ArticleStatus.DRAFT and first.created_by == reporter


def test_body_is_rendered_and_sanitised_on_save():
    article = ArticleFactory(
        body="Hello <script>alert(1)</script> **bold** [x](javascript:alert(1))"
    )
    assert "<script>" not in article.body_html
    assert "<strong>bold</strong>" in article.body_html
    assert "javascript:" not in article.body_html.replace(
        "[x](javascript:alert(1))", ""
    )


# --- comments --------------------------------------------------------------------


def test_comment_waits_for_moderation_and_only_on_published(moderator, reporter):
    article = ArticleFactory(published=True)
    comment = services.comment_create(
        article=article, name="Reader", email="r@example.org", body="Thanks"
    )
    assert comment.status == CommentStatus.PENDING
    assert not Comment.objects.public().exists()

    with pytest.raises(PermissionDenied):
        services.comment_approve(comments=[comment], user=reporter)
    assert services.comment_approve(comments=[comment], user=moderator) == 1
    assert list(Comment.objects.public()) == [comment]

    with pytest.raises(ValidationError, match="published"):
        services.comment_create(
            article=ArticleFactory(), name="R", email="r@example.org", body="x"
        )


def test_comment_needs_valid_email():
    article = ArticleFactory(published=True)
    with pytest.raises(ValidationError) as err:
        services.comment_create(
            article=article, name="R", email="not-an-email", body="x"
        )
    assert "email" in err.value.message_dict


def test_spam_and_remove(moderator):
    comments = CommentFactory.create_batch(2)
    assert services.comment_mark_spam(comments=comments[:1], user=moderator) == 1
    assert services.comment_remove(comments=comments[1:], user=moderator) == 1
    assert set(Comment.objects.values_list("status", flat=True)) == {"spam", "removed"}


def test_reporter_cannot_change_a_published_article(reporter, editor):
    article = ArticleFactory(published=True, headline="As published")
    with pytest.raises(PermissionDenied, match="Only editors"):
        services.article_update(
            article=article,
            user=reporter,
            data={"headline": "Quietly changed"},
            expected_version=article.version,
        )
    article.refresh_from_db()
    assert article.headline == "As published"
    services.article_update(
        article=article,
        user=editor,
        data={"headline": "Edited"},
        expected_version=article.version,
    )
    article.refresh_from_db()
    assert article.headline == "Edited"


def test_moderator_cannot_write_articles(moderator):
    with pytest.raises(PermissionDenied):
        services.article_create(user=moderator, headline="Not mine to write")


def test_moderation_purges_the_articles_page(
    moderator, django_capture_on_commit_callbacks
):
    from newsdesk.http import tags as cache_tags

    comment = CommentFactory()
    tag = f"article:{comment.article_id}"
    cache_tags.bump([tag])
    before = cache_tags.tag_versions([tag])[tag]
    import time

    time.sleep(0.01)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_approve(comments=[comment], user=moderator)
    assert cache_tags.tag_versions([tag])[tag] > before
