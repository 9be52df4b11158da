"""Cursor pages of the article API name their window: a write purges the pages it changes.

A new story changes the first page (and a page whose span of positions it
falls into); every older page a client paged through stays cached, and an
edit of an article purges the pages showing it by the article's own tag.
"""

import datetime
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from newsdesk import services
from newsdesk.http import tags as cache_tags
from newsdesk.models import Article
from newsdesk.revisions.services import article_set_topics
from tests.factories import ArticleFactory, TopicFactory

pytestmark = pytest.mark.django_db

HEAD = cache_tags.head(cache_tags.LIST_ARTICLES)
UTC = datetime.UTC


def _tags(response) -> set[str]:
    return set(response["Surrogate-Key"].split())


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


@pytest.fixture
def archive():
    """Seven published articles two days apart, newest first; pages of two."""
    now = timezone.now()
    syria = TopicFactory(slug="syria", name="Syria")
    articles = [
        ArticleFactory(
            published=True,
            publish_at=now - datetime.timedelta(hours=1, days=2 * n),
            headline=f"Archive story {n}",
            topics=[syria],
        )
        for n in range(7)
    ]
    return {"articles": articles, "syria": syria, "now": now}


def _pages(client, first: str, count: int) -> list[str]:
    """The URLs of the first `count` pages, following `next` links."""
    urls, url = [], first
    for _ in range(count):
        urls.append(url)
        url = _path(client.get(url).json()["next"])
    return urls


def _cached(client, url: str) -> bool:
    return client.get(url)["X-Cache"] == "HIT"


def _warm(client, urls: list[str]) -> None:
    for url in urls:
        client.get(url)
        assert _cached(client, url), url


def test_a_first_page_names_the_head_and_an_older_page_only_its_window(client, archive):
    pages = _pages(client, "/api/v1/articles/?page_size=2", 4)
    first, second, last = pages[0], pages[1], pages[3]
    articles = archive["articles"]

    head_page = _tags(client.get(first))
    assert HEAD in head_page
    assert "list:articles" not in head_page
    assert {f"article:{a.pk}" for a in articles[:2]} <= head_page

    older = _tags(client.get(second))
    assert HEAD not in older and "list:articles" not in older
    assert {f"article:{a.pk}" for a in articles[2:4]} <= older
    assert f"article:{articles[0].pk}" not in older
    # Its span: from the cursor (article 1, 2 days back) to article 3 (6 days).
    days = {t for t in older if ":publish_at:d:" in t}
    assert len(days) == 5, older
    # The last page is open at its end: an older story would join it.
    assert HEAD in _tags(client.get(last))


def test_publishing_a_story_purges_the_first_page_and_keeps_older_pages(
    client, editor, archive
):
    pages = _pages(client, "/api/v1/articles/?page_size=2", 3)
    _warm(client, pages)
    draft = ArticleFactory(headline="Breaking: fresh report")

    services.article_publish(article=draft, user=editor)

    first = client.get(pages[0])
    assert first["X-Cache"] == "MISS"
    assert first.json()["results"][0]["headline"] == "Breaking: fresh report"
    for url in pages[1:]:
        assert _cached(client, url), url


def test_a_backdated_story_purges_the_page_whose_window_it_falls_into(
    client, editor, archive
):
    pages = _pages(client, "/api/v1/articles/?page_size=2", 3)
    _warm(client, pages)
    draft = ArticleFactory(headline="Backdated report")

    # Between articles 2 and 3: on the second page.
    services.article_publish(
        article=draft,
        user=editor,
        publish_at=archive["now"] - datetime.timedelta(days=5),
    )

    second = client.get(pages[1])
    assert second["X-Cache"] == "MISS"
    assert "Backdated report" in [r["headline"] for r in second.json()["results"]]
    assert _cached(client, pages[2])


def test_editing_an_article_purges_only_the_pages_showing_it(client, editor, archive):
    pages = _pages(client, "/api/v1/articles/?page_size=2", 3)
    _warm(client, pages)
    shown = Article.objects.get(pk=archive["articles"][3].pk)

    services.article_update(
        article=shown,
        user=editor,
        data={"headline": "Corrected headline"},
        expected_version=shown.version,
    )

    second = client.get(pages[1])
    assert second["X-Cache"] == "MISS"
    assert "Corrected headline" in [r["headline"] for r in second.json()["results"]]
    assert _cached(client, pages[0])
    assert _cached(client, pages[2])


def test_an_article_joining_a_topic_purges_that_lists_page_holding_it(
    client, editor, archive
):
    iraq = TopicFactory(slug="iraq", name="Iraq")
    for article in archive["articles"][::2]:  # articles 0, 2, 4, 6
        article_set_topics(article=article, topics=[iraq], user=None)
    pages = _pages(client, "/api/v1/articles/?topic=iraq&page_size=1", 3)
    _warm(client, pages)
    assert [client.get(url).json()["results"][0]["id"] for url in pages] == [
        a.pk for a in archive["articles"][0:6:2]
    ]

    # Article 3 lies between articles 2 (page 2) and 4 (page 3).
    joining = archive["articles"][3]
    article_set_topics(article=joining, topics=[iraq], user=None)

    third = client.get(pages[2])
    assert third["X-Cache"] == "MISS"
    assert third.json()["results"][0]["id"] == joining.pk
    assert _cached(client, pages[1])


def test_a_search_page_names_the_whole_collection(client, archive):
    tags = _tags(client.get("/api/v1/articles/?q=archive&page_size=2"))
    assert "list:articles" in tags


def test_a_page_names_the_row_after_it_whose_presence_makes_the_next_link(
    client, archive
):
    first = _tags(client.get("/api/v1/articles/?page_size=2"))
    assert f"article:{archive['articles'][2].pk}" in first


@pytest.mark.parametrize(
    ("low", "high"),
    [
        ((2026, 12, 1, 9), (2026, 12, 1, 14)),  # hours
        ((2026, 11, 20, 9), (2026, 12, 1, 14)),  # days
        ((2025, 3, 1, 0), (2026, 12, 1, 14)),  # months
        ((2016, 1, 1, 0), (2026, 12, 1, 14)),  # years
    ],
)
def test_a_position_inside_a_window_purges_it_and_one_outside_does_not(low, high):
    low = datetime.datetime(*low, tzinfo=UTC)
    high = datetime.datetime(*high, 30, tzinfo=UTC)
    named = set(
        cache_tags.window_tags(
            "list:articles", "publish_at", [low, high], open_end=False
        )
    )
    span = high - low
    for k in range(11):
        inside = low + span * k / 10
        purged = cache_tags.window_purge("list:articles", {"publish_at": inside})
        assert purged & named, inside
    for outside in (
        low - span - datetime.timedelta(days=400),
        high + span * 2 + datetime.timedelta(days=400),
    ):
        purged = cache_tags.window_purge("list:articles", {"publish_at": outside})
        assert not purged & named, outside


def test_a_window_too_wide_to_name_names_none():
    wide = [
        datetime.datetime(1900, 1, 1, tzinfo=UTC),
        datetime.datetime(2026, 1, 1, tzinfo=UTC),
    ]
    assert (
        cache_tags.window_tags("list:articles", "publish_at", wide, open_end=False)
        is None
    )
    ids = cache_tags.window_tags("list:articles", "id", [1234, 1250], open_end=False)
    assert ids == [f"list:articles:id:e1:{k}" for k in (123, 124, 125)]
    purged = cache_tags.window_purge("list:articles", {"id": 1241})
    assert "list:articles:id:e1:124" in purged and HEAD in purged
