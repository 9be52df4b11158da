"""The article page's read model: reused while valid, never showing what is hidden now."""

import datetime

import pytest

from incidents.models import IncidentStatus
from newsdesk.article_page import article_with_page
from newsdesk.models import Article, ArticleStatus, Comment, CommentStatus
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
    with django_assert_num_queries(1):  # the row, counting what is visible
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


def test_comments_under_a_stored_page_are_read_on_each_request(rf, linked):
    article = linked["article"]
    comment = CommentFactory(article=article, body="Approved later")
    row, page = article_with_page(slug=article.slug, request=rf.get("/"))
    assert "Approved later" not in [c.body for c in page.comments()]
    Comment.objects.filter(pk=comment.pk).update(status=CommentStatus.APPROVED)
    row, page = article_with_page(slug=article.slug, request=rf.get("/"))
    assert [c.body for c in page.comments()] == ["Approved later"]
