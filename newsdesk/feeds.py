"""RSS 2.0 and Atom feeds: latest articles, per topic, corrections.

Other apps add feeds of their own (incidents: per incident) with `ArticleItems`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape

from newsdesk.http import tags
from newsdesk.http.conditional import public_page
from newsdesk.models import Article, Correction, Topic
from newsdesk.retractions import announced_at, corrections_and_retractions

FEED_SIZE = 30


def feed_page(feed_class, listed):
    """A feed as a public page tagged with the collection it lists."""
    return public_page(max_age=300, tags=listed)(feed_class())


def articles_of(kind: str):
    return lambda slug: [tags.listing(kind, slug)]


class ArticleItems:
    """Item fields shared by every article feed."""

    def item_title(self, item: Article) -> str:
        return item.headline

    def item_description(self, item: Article) -> str:
        # Feed readers read descriptions as HTML; the standfirst is plain text.
        return escape(item.standfirst)

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Article):
        return item.publish_at

    def item_updateddate(self, item: Article):
        return item.substantive_update_at or item.publish_at

    def item_author_name(self, item: Article) -> str | None:
        names = [byline.person.name for byline in item.article_authors.all()]
        return ", ".join(names) or None

    def item_categories(self, item: Article) -> list[str]:
        return [topic.name for topic in item.topics.all()]

    def _articles(self):
        return Article.objects.published().with_public_associations()


class LatestArticlesFeed(ArticleItems, Feed):
    feed_type = Rss201rev2Feed
    description = "The latest published articles."

    def title(self) -> str:
        return f"{settings.NEWSDESK_SITE_NAME}: latest articles"

    def link(self) -> str:
        return reverse("newsdesk:home")

    def items(self):
        return self._articles()[:FEED_SIZE]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class TopicFeed(ArticleItems, Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, slug: str) -> Topic:
        return get_object_or_404(Topic, slug=slug)

    def title(self, obj: Topic) -> str:
        return f"{settings.NEWSDESK_SITE_NAME}: {obj.name}"

    def summary(self, obj: Topic) -> str:
        return obj.description or f"Published articles on {obj.name}."

    def description(self, obj: Topic) -> str:
        # RSS readers read the channel description as HTML, like an item's.
        return escape(self.summary(obj))

    def link(self, obj: Topic) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Topic):
        return self._articles().filter(topics=obj)[:FEED_SIZE]


class TopicAtomFeed(TopicFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: Topic) -> str:
        # An Atom subtitle is plain text: readers show it as it is.
        return self.summary(obj)


class CorrectionsFeed(Feed):
    """Corrections and retractions, newest first.

    A retraction is announced as an item of its own, and corrections made to an
    article before it was retracted stay listed.
    """

    feed_type = Rss201rev2Feed
    description = (
        "Corrections, clarifications, updates and retractions of published articles."
    )

    def title(self) -> str:
        return f"{settings.NEWSDESK_SITE_NAME}: corrections"

    def link(self) -> str:
        return reverse("newsdesk:home")

    def items(self) -> list[Correction | Article]:
        return corrections_and_retractions(FEED_SIZE)

    def item_title(self, item: Correction | Article) -> str:
        if isinstance(item, Article):
            return f"Retraction: {item.headline}"
        return f"{item.get_kind_display()}: {item.article.headline}"

    def item_description(self, item: Correction | Article) -> str:
        if isinstance(item, Article):
            return escape(item.retraction_note)
        return escape(item.note)

    def item_link(self, item: Correction | Article) -> str:
        if isinstance(item, Article):
            return f"{item.get_absolute_url()}#retraction"
        return item.get_absolute_url()

    def item_pubdate(self, item: Correction | Article):
        return announced_at(item)


class CorrectionsAtomFeed(CorrectionsFeed):
    feed_type = Atom1Feed
    subtitle = CorrectionsFeed.description
