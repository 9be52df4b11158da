"""Revisions in the admin: compare any two, compare with live, restore into pending."""

from __future__ import annotations

import pytest
from django.urls import reverse

from newsdesk import services
from newsdesk.models import Article, ArticleRevision, RevisionKind
from newsdesk.revisions import services as revisions
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(editor):
    article = f.ArticleFactory(
        published=True,
        headline="Shelling resumes near the prison",
        body="Fighters freed dozens of detainees.",
    )
    return article


def _stage(article, user, **changes):
    return revisions.article_save_pending(article=article, snapshot=changes, user=user)


def _compare(client, article, **params):
    url = reverse("admin:newsdesk_article_revisions_compare", args=[article.pk])
    return client.get(url, params)


def test_compare_with_live_is_one_click_from_the_change_form(
    editor_client, editor, live
):
    _stage(live, editor, headline="Shelling stops near the prison")
    form = editor_client.get(reverse("admin:newsdesk_article_change", args=[live.pk]))
    link = (
        reverse("admin:newsdesk_article_revisions_compare", args=[live.pk])
        + "?from=live&amp;to=pending"
    )
    assert link in form.content.decode()
    page = _compare(editor_client, live, **{"from": "live", "to": "pending"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "<del>resumes</del>" in html and "<ins>stops</ins>" in html
    assert "Live version" in html and "Pending changes" in html


def test_any_two_revisions_side_by_side_with_labels(editor_client, editor):
    person = f.PersonFactory(name="Emmanuel Karagiannis")
    topic = f.TopicFactory(name="Syria")
    article = services.article_create(
        user=editor, headline="Attack on the prison", topics=[topic]
    )
    services.article_set_authors(article=article, authors=[person], user=editor)
    article.refresh_from_db()
    article.topics.clear()
    article.headline = "Attack on Ghweiran prison"
    services.article_save(
        article=article, user=editor, expected_version=article.version, is_new=False
    )
    first, *_, last = article.revisions.order_by("created_at", "id")
    listing = editor_client.get(
        reverse("admin:newsdesk_article_revisions", args=[article.pk])
    )
    assert listing.status_code == 200
    assert f'value="{first.pk}"' in listing.content.decode()
    html = _compare(
        editor_client, article, **{"from": first.pk, "to": last.pk}
    ).content.decode()
    assert "Author Emmanuel Karagiannis added" in html
    assert "<ins>Ghweiran</ins>" in html
    assert f"“{person.pk}”" not in html


def test_unknown_or_foreign_revisions_are_404(editor_client, editor, live):
    other = f.ArticleFactory()
    services.article_save(
        article=other, user=editor, expected_version=other.version, is_new=False
    )
    other.standfirst = "Changed."
    services.article_save(
        article=other, user=editor, expected_version=other.version, is_new=False
    )
    foreign = other.revisions.first()
    assert _compare(editor_client, live, to=foreign.pk).status_code == 404
    assert _compare(editor_client, live, to="nope").status_code == 404
    assert _compare(editor_client, live, to="pending").status_code == 404  # none


def test_restore_of_a_live_article_stages_pending_changes(editor_client, editor, live):
    _stage(live, editor, headline="First rewrite")
    revisions.article_publish_changes(article=live, user=editor)
    live.refresh_from_db()
    assert live.headline == "First rewrite"
    old = (
        live.revisions.filter(kind=RevisionKind.PUBLISHED)
        .order_by("created_at", "id")
        .first()
    )
    assert old.snapshot["headline"] == "Shelling resumes near the prison"
    url = reverse("admin:newsdesk_article_revision_restore", args=[live.pk, old.pk])
    assert editor_client.get(url).status_code == 405  # a POST only
    response = editor_client.post(url)
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.headline == "First rewrite"  # readers keep the live version
    pending = ArticleRevision.objects.pending().get(article=live)
    assert pending.snapshot["headline"] == "Shelling resumes near the prison"
    assert Article.objects.published().get(pk=live.pk).headline == "First rewrite"


def test_restore_of_a_draft_is_an_edit(editor_client, editor):
    article = services.article_create(user=editor, headline="First headline")
    article.headline = "Second headline"
    services.article_save(
        article=article, user=editor, expected_version=article.version, is_new=False
    )
    first = article.revisions.order_by("created_at", "id").first()
    assert first.snapshot["headline"] == "First headline"
    editor_client.post(
        reverse("admin:newsdesk_article_revision_restore", args=[article.pk, first.pk])
    )
    article.refresh_from_db()
    assert article.headline == "First headline"


def test_a_reporter_restoring_a_live_article_never_publishes(
    client, reporter, editor, live
):
    _stage(live, editor, headline="Rewrite")
    revisions.article_publish_changes(article=live, user=editor)
    old = (
        live.revisions.filter(kind=RevisionKind.PUBLISHED)
        .order_by("created_at", "id")
        .first()
    )
    client.force_login(reporter)
    response = client.post(
        reverse("admin:newsdesk_article_revision_restore", args=[live.pk, old.pk])
    )
    assert response.status_code in (302, 403)
    live.refresh_from_db()
    assert live.headline == "Rewrite"
    assert Article.objects.published().get(pk=live.pk).headline == "Rewrite"


def test_restoring_a_retracted_article_is_refused(editor_client, editor):
    article = f.ArticleFactory(retracted=True)
    revision = ArticleRevision.objects.create(
        article=article,
        kind=RevisionKind.SAVED,
        snapshot={"headline": "x"},
        based_on_version=1,
    )
    response = editor_client.post(
        reverse(
            "admin:newsdesk_article_revision_restore", args=[article.pk, revision.pk]
        )
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline != "x"


def test_markup_in_a_revision_is_shown_as_text(editor_client, editor, live):
    _stage(live, editor, headline='Shelling <script>alert("x")</script> resumes')
    html = _compare(editor_client, live, **{"from": "live", "to": "pending"})
    body = html.content.decode()
    assert '<script>alert("x")' not in body
    assert "&lt;script&gt;" in body
