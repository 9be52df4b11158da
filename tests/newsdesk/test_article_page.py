"""The article page's read model: reused while valid, never showing what is hidden now."""

import datetime
import time

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from incidents.models import IncidentStatus
from newsdesk import services
from newsdesk.article_page import ARTICLE_PAGE_MAX_AGE, article_with_page
from newsdesk.http.purge import purge_now
from newsdesk.models import (
    Article,
    ArticleStatus,
    Comment,
    CommentStatus,
    Quote,
    StoredArticlePage,
    StoredArticlePageTag,
)
from newsdesk.revisions import services as revisions
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    FigureFactory,
    IncidentFactory,
    QuoteFactory,
    RecommendationFactory,
    RelatedLinkFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def _page(rf, article: Article, **headers):
    return article_with_page(slug=article.slug, request=rf.get("/", **headers))[1]


@pytest.fixture
def linked(rf):
    """A published article whose page links, relates and boxes other rows; stored."""
    topic = TopicFactory()
    article = ArticleFactory(published=True, topics=[topic])
    target = ArticleFactory(published=True, headline="Linked target piece")
    RelatedLinkFactory(article=article, target=target)
    sibling = ArticleFactory(published=True, topics=[topic], headline="Sibling piece")
    incident = IncidentFactory(title="Boxed incident")
    incident.articles.add(article)
    citing = ArticleFactory(published=True, headline="Citing piece")
    FigureFactory(incident=incident, article=citing, low=70, high=70)
    FigureFactory(incident=incident, low=67, high=67, claimant="Amaq")
    page = _page(rf, article)
    for text in ("Linked target piece", "Sibling piece", "Boxed incident", "and 70"):
        assert text in page.content
    return {
        "article": article,
        "target": target,
        "sibling": sibling,
        "incident": incident,
        "citing": citing,
    }


@pytest.mark.parametrize(
    ("row", "text"),
    [
        ("target", "Linked target piece"),
        ("sibling", "Sibling piece"),
        ("citing", "and 70"),
    ],
)
def test_a_stored_page_never_shows_an_article_unpublished_since(rf, linked, row, text):
    # A bulk update sends no signal: the visibility check alone must catch it.
    Article.objects.filter(pk=linked[row].pk).update(status=ArticleStatus.DRAFT)
    assert text not in _page(rf, linked["article"]).content


def test_a_stored_page_never_shows_an_incident_unpublished_since(rf, linked):
    type(linked["incident"]).objects.filter(pk=linked["incident"].pk).update(
        status=IncidentStatus.DRAFT
    )
    assert "Boxed incident" not in _page(rf, linked["article"]).content


def test_a_link_target_published_later_appears(rf):
    article = ArticleFactory(published=True)
    draft = ArticleFactory(headline="Not yet out")
    RelatedLinkFactory(article=article, target=draft)
    assert "Not yet out" not in _page(rf, article).content
    Article.objects.filter(pk=draft.pk).update(
        status=ArticleStatus.PUBLISHED, publish_at=article.publish_at
    )
    assert "Not yet out" in _page(rf, article).content


def test_a_stored_page_is_reused_while_nothing_changed(
    rf, linked, django_assert_num_queries
):
    # The row with its stored page and the visibility of what the page shows.
    with django_assert_num_queries(1):
        page = _page(rf, linked["article"])
    assert "Boxed incident" in page.content


def test_edits_to_what_a_page_shows_are_shown_next_time(rf, linked):
    article = linked["article"]
    QuoteFactory(article=article, text="A new quote, added after")
    FigureFactory(incident=linked["incident"], low=90, high=90, claimant="Other")
    RecommendationFactory(made_in=article, statement="Open the camps to monitors")
    content = _page(rf, article).content
    assert "A new quote, added after" in content
    assert "and 90" in content
    assert "Open the camps to monitors" in content


def test_pages_are_stored_per_origin(rf, linked):
    article = linked["article"]
    other = _page(rf, article, HTTP_HOST="localhost")
    assert "http://localhost/" in other.head
    assert "http://testserver/" in _page(rf, article).head


def test_a_stored_page_sees_an_embargo_lift_and_its_own_article_go(rf, clock):
    """The stored query reads the time of each request, not of the page's building."""
    article = ArticleFactory(published=True)
    embargoed = ArticleFactory(
        scheduled=True, headline="Embargoed analysis", publish_at=clock.now
    )
    Article.objects.filter(pk=embargoed.pk).update(
        publish_at=clock.now + datetime.timedelta(hours=1)
    )
    RelatedLinkFactory(article=article, target=embargoed)
    assert "Embargoed analysis" not in _page(rf, article).content
    clock.advance(hours=2)
    assert "Embargoed analysis" in _page(rf, article).content
    Article.objects.filter(pk=article.pk).update(
        publish_at=clock.now + datetime.timedelta(hours=1)
    )
    assert _page(rf, article) is None


def test_comments_under_a_stored_page_follow_moderation_by_any_path(rf, linked):
    """The stored comments are checked against the comments' state in the same
    query: a change no purge announced (a bulk update) is seen too."""
    article = linked["article"]
    comment = CommentFactory(article=article, body="Approved later")
    assert "Approved later" not in _page(rf, article).html()
    Comment.objects.filter(pk=comment.pk).update(status=CommentStatus.APPROVED)
    cache.clear()
    assert "Approved later" in _page(rf, article).html()
    assert "Approved later" in StoredArticlePage.objects.get(pk=article.pk).comments
    Comment.objects.filter(pk=comment.pk).update(status=CommentStatus.REMOVED)
    cache.clear()
    assert "Approved later" not in _page(rf, article).html()


def test_a_comment_approved_in_place_of_one_removed_is_seen(rf, linked):
    """Same count, same newest comment: the last moderation still tells."""
    article = linked["article"]
    earlier = timezone.now() - datetime.timedelta(days=1)
    older = CommentFactory(article=article, body="Older comment")
    middle = CommentFactory(
        article=article, body="Middle comment", status=CommentStatus.APPROVED
    )
    CommentFactory(
        article=article, body="Newest comment", status=CommentStatus.APPROVED
    )
    Comment.objects.exclude(pk=older.pk).update(moderated_at=earlier)
    html = _page(rf, article).html()
    assert "Middle comment" in html and "Older comment" not in html
    # The older one approved as the middle one is removed: the count and the
    # newest comment stay the same; the last moderation changes.
    Comment.objects.filter(pk=middle.pk).update(status=CommentStatus.REMOVED)
    Comment.objects.filter(pk=older.pk).update(
        status=CommentStatus.APPROVED, moderated_at=timezone.now()
    )
    html = _page(rf, article).html()
    assert "Older comment" in html and "Middle comment" not in html


# --- The page stored in the database: read on a cache miss ------------------


def test_a_cache_miss_reads_the_stored_page_in_one_query(
    rf, linked, django_assert_num_queries
):
    built = _page(rf, linked["article"])
    assert StoredArticlePage.objects.filter(pk=linked["article"].pk).exists()
    cache.clear()
    # The row with its stored page and the visibility of what the page shows.
    with django_assert_num_queries(1):
        page = _page(rf, linked["article"])
    assert page.content == built.content and page.html("") == built.html("")
    assert page.tags == built.tags and f"incident:{linked['incident'].pk}" in page.tags


@pytest.mark.parametrize(
    ("row", "text"),
    [
        ("target", "Linked target piece"),
        ("sibling", "Sibling piece"),
        ("citing", "and 70"),
    ],
)
def test_a_stored_page_read_with_the_cache_empty_never_shows_what_was_unpublished(
    rf, linked, row, text
):
    Article.objects.filter(pk=linked[row].pk).update(status=ArticleStatus.DRAFT)
    cache.clear()
    assert text not in _page(rf, linked["article"]).content


def test_a_stored_page_read_with_the_cache_empty_drops_an_unpublished_incident(
    rf, linked
):
    type(linked["incident"]).objects.filter(pk=linked["incident"].pk).update(
        status=IncidentStatus.DRAFT
    )
    cache.clear()
    assert "Boxed incident" not in _page(rf, linked["article"]).content


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": ArticleStatus.DRAFT},
        {"status": ArticleStatus.IN_REVIEW},
        {"status": ArticleStatus.RETRACTED},
        {"publish_at": timezone.now() + datetime.timedelta(days=1)},
    ],
)
def test_no_stored_page_is_served_for_an_article_no_longer_published(
    rf, client, linked, hidden
):
    article = linked["article"]
    assert client.get(article.get_absolute_url()).status_code == 200
    assert StoredArticlePage.objects.filter(pk=article.pk).exists()
    Article.objects.filter(pk=article.pk).update(**hidden)
    cache.clear()
    assert article_with_page(slug=article.slug, request=rf.get("/")) == (None, None)
    assert client.get(article.get_absolute_url()).status_code in (404, 410)


def test_a_write_to_what_a_page_shows_deletes_the_stored_page(
    rf, linked, django_capture_on_commit_callbacks
):
    article = linked["article"]
    other = ArticleFactory(published=True)
    _page(rf, other)
    with django_capture_on_commit_callbacks(execute=True):
        services.quote_save(
            quote=Quote(article=article, text="A quote added after", position=9),
            user=None,
        )
    assert not StoredArticlePage.objects.filter(pk=article.pk).exists()
    assert StoredArticlePage.objects.filter(pk=other.pk).exists()
    cache.clear()
    assert "A quote added after" in _page(rf, article).content


def test_a_purge_of_a_shown_rows_tag_deletes_only_the_pages_showing_it(rf, linked):
    article, other = linked["article"], ArticleFactory(published=True)
    _page(rf, article)
    _page(rf, other)
    purge_now({f"incident:{linked['incident'].pk}"})
    assert not StoredArticlePage.objects.filter(pk=article.pk).exists()
    assert StoredArticlePage.objects.filter(pk=other.pk).exists()
    assert StoredArticlePageTag.objects.filter(page_id=other.pk).exists()
    assert not StoredArticlePageTag.objects.filter(page_id=article.pk).exists()
    purge_now({"all"})
    assert not StoredArticlePage.objects.exists()


def test_a_page_stored_while_a_purge_ran_is_deleted_by_its_reader(
    rf, linked, monkeypatch
):
    """A write commits and purges while a reader stores the page it built from
    the rows as they were: the purge found nothing to delete, so the reader's
    own check after its write deletes the page."""
    from newsdesk import article_page

    article, target = linked["article"], linked["target"]
    StoredArticlePage.objects.filter(pk=article.pk).delete()
    write = article_page._write_page

    def purged_meanwhile(page, *, replacing):
        purge_now({f"article:{target.pk}"})
        write(page, replacing=replacing)

    monkeypatch.setattr(article_page, "_write_page", purged_meanwhile)
    assert "Linked target piece" in _page(rf, article).content
    assert not StoredArticlePage.objects.filter(pk=article.pk).exists()
    assert not StoredArticlePageTag.objects.filter(page_id=article.pk).exists()
    monkeypatch.setattr(article_page, "_write_page", write)
    _page(rf, article)
    assert StoredArticlePage.objects.filter(pk=article.pk).exists()


def test_a_stored_page_is_read_without_the_cache_tags(rf, linked, monkeypatch):
    """A purge deletes the pages it names, so a read needs no tag versions."""
    from newsdesk.http import tags

    _page(rf, linked["article"])

    def unexpected(names):
        raise AssertionError(f"tag versions read: {sorted(names)[:3]}")

    monkeypatch.setattr(tags, "tag_versions", unexpected)
    assert "Linked target piece" in _page(rf, linked["article"]).content


def test_a_page_built_from_another_version_is_built_again(rf, linked):
    article = linked["article"]
    _page(rf, article)
    StoredArticlePage.objects.filter(pk=article.pk).update(content="Old content")
    Article.objects.filter(pk=article.pk).update(version=article.version + 1)
    cache.clear()
    assert "Old content" not in _page(rf, article).content


def test_an_old_stored_page_is_built_again(rf, linked):
    article = linked["article"]
    _page(rf, article)
    StoredArticlePage.objects.filter(pk=article.pk).update(
        content="Old content", built_at=time.time() - ARTICLE_PAGE_MAX_AGE - 1
    )
    assert "Old content" not in _page(rf, article).content


@override_settings(NEWSDESK_CACHE_BYPASS_PARAM="fresh")
def test_the_bypass_parameter_reads_the_stored_page_or_rebuilds_it(client, linked):
    article = linked["article"]
    url = article.get_absolute_url()
    client.get(url)
    stored = StoredArticlePage.objects.get(pk=article.pk)
    stored.before = stored.before.replace("Boxed incident", "Kept incident")
    stored.save()
    assert "Kept incident" in client.get(f"{url}?fresh=1").content.decode()
    rebuilt = client.get(f"{url}?fresh=rebuild").content.decode()
    assert "Kept incident" not in rebuilt and "Boxed incident" in rebuilt
    assert "Kept incident" not in StoredArticlePage.objects.get(pk=article.pk).before


def test_a_pending_revision_of_a_live_article_never_reaches_its_stored_page(
    client, rf, linked, editor, django_capture_on_commit_callbacks
):
    article = Article.objects.get(pk=linked["article"].pk)
    client.get(article.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        revisions.article_save_pending(
            article=article,
            user=editor,
            snapshot={"headline": "Pending headline not live"},
        )
    cache.clear()
    assert "Pending headline not live" not in _page(rf, article).head
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Pending headline not live" not in html


# --- The API detail item, kept with the stored page -------------------------


def _api(client, article):
    response = client.get(f"/api/v1/articles/{article.pk}/")
    assert response.status_code in (200, 404)
    return response


def test_an_api_detail_miss_reads_the_item_kept_with_the_page(
    client, linked, django_assert_num_queries
):
    article = linked["article"]
    client.get(article.get_absolute_url())
    first = _api(client, article).json()
    assert StoredArticlePage.objects.get(pk=article.pk).api_item
    cache.clear()
    # The row with the kept item and the visibility of what it shows.
    with django_assert_num_queries(1):
        again = _api(client, article).json()
    assert again == first and [r["title"] for r in again["related"]]


def test_a_kept_api_item_never_shows_a_link_target_unpublished_since(client, linked):
    article = linked["article"]
    client.get(article.get_absolute_url())
    titles = [r["title"] for r in _api(client, article).json()["related"]]
    assert "Linked target piece" in titles
    Article.objects.filter(pk=linked["target"].pk).update(status=ArticleStatus.DRAFT)
    cache.clear()
    after = _api(client, article).json()
    assert "Linked target piece" not in [r["title"] for r in after["related"]]


def test_a_kept_api_item_never_shows_an_incident_unpublished_since(client, linked):
    article = linked["article"]
    client.get(article.get_absolute_url())
    assert _api(client, article).json()["incidents"] == [linked["incident"].pk]
    type(linked["incident"]).objects.filter(pk=linked["incident"].pk).update(
        status=IncidentStatus.DRAFT
    )
    cache.clear()
    assert _api(client, article).json()["incidents"] == []


def test_no_kept_api_item_is_served_for_an_article_no_longer_published(client, linked):
    article = linked["article"]
    client.get(article.get_absolute_url())
    _api(client, article)
    Article.objects.filter(pk=article.pk).update(status=ArticleStatus.RETRACTED)
    cache.clear()
    assert _api(client, article).status_code == 404


def test_a_kept_api_item_of_an_earlier_change_is_built_again(client, linked):
    article = linked["article"]
    client.get(article.get_absolute_url())
    _api(client, article)
    Article.objects.filter(pk=article.pk).update(
        headline="Changed by a bulk update", updated_at=timezone.now()
    )
    cache.clear()
    assert _api(client, article).json()["headline"] == "Changed by a bulk update"


def test_a_comment_posted_never_stores_the_page_only_a_read_does(client):
    """Each comment's write purges the page: posts storing it would only race
    each other (and the purge) to write and delete the same rows."""
    article = ArticleFactory(published=True)
    cache.clear()
    posted = client.post(
        f"{article.get_absolute_url()}comments/",
        {"name": "Reader", "email": "reader@mail.example", "body": "Thanks."},
    )
    assert posted.status_code == 302
    assert Comment.objects.filter(article=article).count() == 1
    assert not StoredArticlePage.objects.filter(article=article).exists()

    assert client.get(article.get_absolute_url()).status_code == 200
    assert StoredArticlePage.objects.filter(article=article).exists()
