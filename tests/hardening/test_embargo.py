"""An embargoed article never shows, whatever the desk does with it before it goes live.

Retracting an article that never went live withdraws it: it leaves the schedule
and goes back to review, and readers learn nothing of it (no 410, no headline).
Only an article retracted after going live answers 410 with its note.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from newsdesk import services
from newsdesk.models import Article, ArticleStatus
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SECRET = "Embargoed qzsecret headline"


def _scheduled(editor, *, hours: float = 2) -> Article:
    article = ArticleFactory(in_review=True, headline=SECRET, slug="qzsecret-slug")
    services.article_publish(
        article=article,
        user=editor,
        publish_at=timezone.now() + datetime.timedelta(hours=hours),
    )
    assert article.is_scheduled()
    return article


def _addresses(article: Article, url: str) -> list[str]:
    return [
        url,
        f"/articles/1999/01/{article.slug}/",
        f"/articles/2031/12/{article.slug}/",
    ]


def _assert_unknown(client, article: Article, urls: list[str]) -> None:
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, (url, response.status_code)
        body = response.content.decode()
        assert "qzsecret" not in body, url
        assert "retracted" not in body.lower(), url


def test_retracting_a_scheduled_article_withdraws_it_unseen(client, editor):
    article = _scheduled(editor)
    url = article.get_absolute_url()

    services.article_retract(article=article, user=editor, note="Story killed.")

    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW
    assert article.publish_at is None and article.first_published_at is None
    assert article.retraction_note == "" and article.retracted_at is None
    assert article.history.first().history_change_reason == (
        "Withdrawn before going live: Story killed."
    )
    assert not Article.objects.retracted_after_publishing().exists()
    _assert_unknown(client, article, _addresses(article, url))


def test_the_admin_retract_page_withdraws_a_scheduled_article(editor_client, editor):
    from django.test import Client

    article = _scheduled(editor)
    url = article.get_absolute_url()
    workflow = reverse("admin:newsdesk_article_workflow", args=[article.pk, "retract"])

    response = editor_client.post(
        workflow, {"note": "Story killed.", "version": article.version}, follow=True
    )

    assert response.status_code == 200
    assert "Withdrawn before going live" in response.content.decode()
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW
    _assert_unknown(Client(), article, _addresses(article, url))


def test_the_bulk_retract_action_withdraws_scheduled_and_retracts_live(
    editor_client, editor
):
    from django.test import Client

    embargoed = _scheduled(editor)
    embargoed_url = embargoed.get_absolute_url()
    live = ArticleFactory(published=True, headline="Live story")

    editor_client.post(
        reverse("admin:newsdesk_article_changelist"),
        {
            "action": "retract_selected",
            "_selected_action": [embargoed.pk, live.pk],
            "apply": "1",
            "note": "Sources withdrew.",
        },
    )

    embargoed.refresh_from_db()
    live.refresh_from_db()
    assert embargoed.status == ArticleStatus.IN_REVIEW
    assert live.status == ArticleStatus.RETRACTED
    reader = Client()
    _assert_unknown(reader, embargoed, _addresses(embargoed, embargoed_url))
    gone = reader.get(live.get_absolute_url())
    assert gone.status_code == 410
    assert "Sources withdrew." in gone.content.decode()


def test_a_withdrawn_embargo_can_be_scheduled_again_and_goes_live_then(editor, client):
    article = _scheduled(editor)
    services.article_retract(article=article, user=editor, note="Hold it.")
    services.article_publish(article=article, user=editor)
    assert client.get(article.get_absolute_url()).status_code == 200


def test_an_article_retracted_under_embargo_before_the_fix_stays_unknown(client):
    """Rows retracted while scheduled (publish time after the retraction) stay 404."""
    now = timezone.now()
    article = ArticleFactory(
        headline=SECRET,
        slug="qzsecret-slug",
        status=ArticleStatus.RETRACTED,
        publish_at=now + datetime.timedelta(days=1),
        first_published_at=now + datetime.timedelta(days=1),
        retracted_at=now,
        retraction_note="Killed before release.",
    )
    assert not Article.objects.retracted_after_publishing().exists()
    _assert_unknown(client, article, _addresses(article, article.get_absolute_url()))
    # Even once the publish time has passed.
    Article.objects.filter(pk=article.pk).update(
        publish_at=now + datetime.timedelta(seconds=1),
        retracted_at=now,
    )
    article.refresh_from_db()
    _assert_unknown(client, article, _addresses(article, article.get_absolute_url()))


def test_a_live_article_retracted_answers_410_at_its_address_only(client, editor):
    article = ArticleFactory(published=True, headline="Live then retracted")
    services.article_retract(article=article, user=editor, note="It was wrong.")
    assert Article.objects.retracted_after_publishing().filter(pk=article.pk).exists()
    url = article.get_absolute_url()

    response = client.get(url)
    assert response.status_code == 410
    assert "Live then retracted" in response.content.decode()
    assert "It was wrong." in response.content.decode()

    elsewhere = client.get(f"/articles/1999/01/{article.slug}/")
    assert elsewhere.status_code == 301
    assert elsewhere["Location"] == url


def test_rescheduling_an_embargo_moves_its_first_publication_time(editor):
    article = _scheduled(editor, hours=1)
    later = timezone.now() + datetime.timedelta(days=3)
    services.article_publish(article=article, user=editor, publish_at=later)
    article.refresh_from_db()
    assert article.first_published_at == later == article.publish_at


def test_an_embargo_that_lifted_and_was_then_retracted_answers_410(
    client, editor, clock
):
    article = _scheduled(editor, hours=1)
    assert client.get(article.get_absolute_url()).status_code == 404
    clock.advance(hours=2)
    assert client.get(article.get_absolute_url()).status_code == 200

    services.article_retract(article=article, user=editor, note="Readers saw it.")

    article.refresh_from_db()
    assert article.status == ArticleStatus.RETRACTED
    response = client.get(article.get_absolute_url())
    assert response.status_code == 410
    assert "Readers saw it." in response.content.decode()
