"""The one visibility gate: every status × publish time past / now / future."""

import datetime

import pytest
from django.utils import timezone

from newsdesk.models import Article, ArticleStatus
from tests.factories import ArticleFactory

NOW = timezone.now()
TIMES = {
    "past": NOW - datetime.timedelta(minutes=5),
    "now": NOW,
    "future": NOW + datetime.timedelta(minutes=5),
    "none": None,
}


@pytest.mark.django_db
@pytest.mark.parametrize("status", ArticleStatus.values)
@pytest.mark.parametrize("when", TIMES)
def test_published_gate_every_status_and_time(status, when, monkeypatch):
    publish_at = TIMES[when]
    if publish_at is None and status in (
        ArticleStatus.PUBLISHED,
        ArticleStatus.RETRACTED,
    ):
        pytest.skip(
            "the database refuses a published or retracted article without a time"
        )
    article = ArticleFactory(status=status, publish_at=publish_at)
    monkeypatch.setattr(timezone, "now", lambda: NOW)

    expected = status == ArticleStatus.PUBLISHED and when in ("past", "now")
    assert Article.objects.published().filter(pk=article.pk).exists() is expected
    assert article.is_published() is expected
    assert article.is_scheduled() is (
        status == ArticleStatus.PUBLISHED and when == "future"
    )


@pytest.mark.django_db
def test_database_refuses_published_article_without_publish_time():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        ArticleFactory(status=ArticleStatus.PUBLISHED, publish_at=None)


@pytest.mark.django_db
def test_scheduled_queryset_and_display_status():
    scheduled = ArticleFactory(scheduled=True)
    live = ArticleFactory(published=True)
    assert list(Article.objects.scheduled()) == [scheduled]
    assert scheduled.display_status == "Scheduled"
    assert live.display_status == "Published"
