"""RSS 2.0 and Atom feeds of the published articles covering one incident."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape

from incidents.models import Incident
from newsdesk.feeds import FEED_SIZE, ArticleItems


class IncidentFeed(ArticleItems, Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, slug: str) -> Incident:
        return get_object_or_404(Incident.objects.published(), slug=slug)

    def title(self, obj: Incident) -> str:
        return f"{settings.NEWSDESK_SITE_NAME}: {obj.title}"

    def summary(self, obj: Incident) -> str:
        return obj.summary or f"Published articles covering {obj.title}."

    def description(self, obj: Incident) -> str:
        # RSS readers read the channel description as HTML, like an item's.
        return escape(self.summary(obj))

    def link(self, obj: Incident) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Incident):
        return self._articles().filter(incidents=obj)[:FEED_SIZE]


class IncidentAtomFeed(IncidentFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: Incident) -> str:
        # An Atom subtitle is plain text: readers show it as it is.
        return self.summary(obj)
