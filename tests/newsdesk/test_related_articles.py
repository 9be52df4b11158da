"""Related articles ("You may also like"): the same ranking at a bounded cost."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsdesk.models import Article
from newsdesk.selectors import (
    RELATED_CANDIDATES,
    RELATED_COUNT,
    RELATED_SOURCE_WEIGHT,
    RELATED_TOPIC_WEIGHT,
    article_for_public,
    article_related,
)
from tests.factories import ArticleFactory, SourceFactory, TopicFactory
from tests.query_plans import require_sqlite, sqlite_plans

pytestmark = pytest.mark.django_db


def _selection_reading_everything(article: Article) -> list[int]:
    """The ranking as it was before the source index: every published article
    sharing a topic or the source read and sorted in Python."""
    visible = [
        a
        for a in Article.objects.prefetch_related("topics").exclude(pk=article.pk)
        if a.status == "published" and a.publish_at <= timezone.now()
    ]
    newest = sorted(visible, key=lambda a: (a.publish_at, a.pk), reverse=True)
    topic_ids = {t.pk for t in article.topics.all()}
    scores: dict[int, list] = {}
    with_topic = [a for a in newest if topic_ids & {t.pk for t in a.topics.all()}]
    for other in with_topic[:RELATED_CANDIDATES]:
        shared = len(topic_ids & {t.pk for t in other.topics.all()})
        entry = scores.setdefault(other.pk, [0, other.publish_at, other.pk])
        entry[0] += shared * RELATED_TOPIC_WEIGHT
    if article.source_id:
        same_source = [a for a in newest if a.source_id == article.source_id]
        for other in same_source[:RELATED_CANDIDATES]:
            entry = scores.setdefault(other.pk, [0, other.publish_at, other.pk])
            entry[0] += RELATED_SOURCE_WEIGHT
    return [pk for _, _, pk in sorted(scores.values(), reverse=True)[:RELATED_COUNT]]


@pytest.fixture
def busy_source():
    """A source with more articles than the ranking reads, newest ones unpublished."""
    source, topic = SourceFactory(), TopicFactory()
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    articles = []
    for n in range(RELATED_CANDIDATES + 20):
        # Pairs share a publish time, so ties go to the higher id.
        articles.append(
            ArticleFactory(
                published=True,
                source=source,
                publish_at=now - (2 + n // 2) * hour,
                topics=[topic] if n % 25 == 7 else [],
            )
        )
    # Newer than every published one: the source's index meets them first.
    for _ in range(3):
        ArticleFactory(source=source, publish_at=now - hour / 2)  # drafts
        ArticleFactory(source=source, scheduled=True)
        ArticleFactory(source=source, retracted=True, publish_at=now - hour / 2)
    ArticleFactory(source=source)  # a draft with no publish time
    ArticleFactory(published=True, source=SourceFactory(), topics=[topic])
    ArticleFactory(published=True, headline="Unconnected piece")
    return articles


def test_the_source_s_newest_published_articles_are_picked_as_before(busy_source):
    # The newest, the oldest (its source neighbours all newer), and ones sharing
    # the topic, whose topic neighbours rank above the source's.
    for article in (busy_source[0], busy_source[-1], busy_source[7], busy_source[32]):
        page = article_for_public(slug=article.slug)

        related = [a.pk for a in article_related(article=page)]

        assert related == _selection_reading_everything(page)
        assert len(related) == RELATED_COUNT
        assert all(
            a.status == "published" and a.publish_at <= timezone.now()
            for a in Article.objects.filter(pk__in=related)
        )


def test_a_source_only_article_gets_its_source_s_newest_published_in_order(
    busy_source,
):
    article = busy_source[-1]  # shares no topic
    page = article_for_public(slug=article.slug)

    related = article_related(article=page)

    # The first published pair shares a publish time: the higher id first.
    expected = [busy_source[1], busy_source[0], busy_source[3], busy_source[2]]
    assert [a.pk for a in related] == [a.pk for a in expected]


def test_the_query_count_does_not_grow_with_the_source(busy_source):
    source = busy_source[0].source
    page = article_for_public(slug=busy_source[0].slug)
    with CaptureQueriesContext(connection) as before:
        first = article_related(article=page)
    for _ in range(30):
        ArticleFactory(
            published=True,
            source=source,
            publish_at=timezone.now() - datetime.timedelta(days=30),
        )
    with CaptureQueriesContext(connection) as after:
        again = article_related(article=page)

    assert [a.pk for a in again] == [a.pk for a in first]
    assert len(after) == len(before)
    (ranking,) = [q["sql"] for q in after if 'AS "weight"' in q["sql"]]
    assert f"LIMIT {RELATED_CANDIDATES}" in ranking


def test_sqlite_reads_the_source_s_candidates_in_order_from_its_index():
    """Reading every article of the source and sorting them grew with the
    archive (387 rows at 100,000 articles)."""
    require_sqlite()
    source = SourceFactory()
    article = ArticleFactory(published=True, source=source)
    ArticleFactory(published=True, source=source, headline="Same outlet")
    page = article_for_public(slug=article.slug)

    with sqlite_plans() as plans:
        related = article_related(article=page)

    assert [a.headline for a in related] == ["Same outlet"]
    (steps,) = [steps for sql, steps in plans if 'AS "weight"' in sql]
    assert any(
        "article_source_pub_idx (source_id=? AND status=? AND publish_at<?)" in s
        for s in steps
    )
    assert not [s for s in steps if "TEMP B-TREE" in s]
