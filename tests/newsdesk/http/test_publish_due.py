"""`publish_due`: scheduled articles' tags are purged once their time has passed."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from newsdesk.http import tags as cache_tags
from newsdesk.models import Article
from tests.factories import ArticleFactory, TopicFactory

pytestmark = pytest.mark.django_db


def _run() -> str:
    out = io.StringIO()
    call_command("publish_due", stdout=out)
    return out.getvalue()


def _release(article, seconds_ago: int = 5) -> None:
    Article.objects.filter(pk=article.pk).update(
        publish_at=timezone.now() - datetime.timedelta(seconds=seconds_ago)
    )


def test_a_passed_embargo_purges_the_articles_tags_once():
    topic = TopicFactory(slug="camps")
    due = ArticleFactory(scheduled=True, topics=[topic])
    waiting = ArticleFactory(scheduled=True)
    tracked = [f"article:{due.pk}", "list:articles", "list:topic:camps"]
    assert "0 article(s)" in _run()

    # Its time passes after that run (a minute later in production).
    _release(due, seconds_ago=0)
    cache_tags.ensure_versions([*tracked, f"article:{waiting.pk}"])
    before = cache_tags.tag_versions(tracked)
    untouched = cache_tags.tag_versions([f"article:{waiting.pk}"])
    assert "1 article(s)" in _run()
    after = cache_tags.tag_versions(tracked)
    assert all(after[tag] > before[tag] for tag in tracked)
    assert cache_tags.tag_versions([f"article:{waiting.pk}"]) == untouched

    # Idempotent: the next minute's run finds nothing new.
    assert "0 article(s)" in _run()
    assert cache_tags.tag_versions(tracked) == after


def test_the_first_run_looks_back_over_its_window():
    late = ArticleFactory(scheduled=True)
    old = ArticleFactory(published=True)
    _release(late, seconds_ago=120)
    _release(old, seconds_ago=3600)
    assert "1 article(s)" in _run()


def test_drafts_and_retracted_articles_are_not_released():
    ArticleFactory(publish_at=timezone.now() - datetime.timedelta(seconds=5))
    ArticleFactory(retracted=True)
    assert "0 article(s)" in _run()
