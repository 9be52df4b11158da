"""XML sitemaps of everything public, and a Google News sitemap."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from incidents.models import Incident
from newsdesk.caching import public_page
from newsdesk.models import Article, Person, Source, Topic

NEWS_WINDOW = datetime.timedelta(days=2)
NEWS_LIMIT = 1000


class ArticleSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Article.objects.published().only(
            "id", "slug", "publish_at", "updated_at"
        )

    def lastmod(self, item: Article):
        return item.updated_at


class IncidentSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Incident.objects.published().only("id", "slug", "updated_at")

    def lastmod(self, item: Incident):
        return item.updated_at


class _WithLatestArticle(Sitemap):
    """Pages listing published articles; lastmod is their newest article's."""

    changefreq = "daily"
    model = None
    relation = ""

    def items(self):
        published = Article.objects.published()
        return (
            self.model.objects.filter(**{f"{self.relation}__in": published})
            .annotate(latest=Max(f"{self.relation}__updated_at"))
            .order_by("slug")
        )

    def lastmod(self, item):
        return item.latest


class TopicSitemap(_WithLatestArticle):
    model = Topic
    relation = "articles"


class PersonSitemap(_WithLatestArticle):
    model = Person
    relation = "articles"


class SourceSitemap(_WithLatestArticle):
    model = Source
    relation = "articles"


SITEMAPS = {
    "articles": ArticleSitemap,
    "incidents": IncidentSitemap,
    "topics": TopicSitemap,
    "people": PersonSitemap,
    "sources": SourceSitemap,
}


@require_GET
@public_page(max_age=300)
def news_sitemap(request: HttpRequest) -> HttpResponse:
    """Articles published in the last two days, at most 1,000 (Google News)."""
    since = timezone.now() - NEWS_WINDOW
    articles = (
        Article.objects.published()
        .filter(publish_at__gte=since)
        .only("id", "slug", "headline", "publish_at", "language")[:NEWS_LIMIT]
    )
    return render(
        request,
        "sitemaps/news.xml",
        {"articles": articles, "publication_name": settings.NEWSDESK_SITE_NAME},
        content_type="application/xml; charset=utf-8",
    )
