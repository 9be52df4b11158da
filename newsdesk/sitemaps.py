"""XML sitemaps of everything public, and a Google News sitemap."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Exists, Max, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.module_loading import import_string

from newsdesk import extensions
from newsdesk.http import tags
from newsdesk.http.conditional import public_page
from newsdesk.models import Article, Person, Source, Topic

NEWS_WINDOW = datetime.timedelta(days=2)
NEWS_LIMIT = 1000
ROWS_PER_SITEMAP = 5000


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    # Smaller pages than the protocol's 50,000 keep each one quick to build.
    limit = ROWS_PER_SITEMAP

    def items(self):
        return Article.objects.published().only(
            "id", "slug", "publish_at", "updated_at"
        )

    def lastmod(self, item: Article):
        return item.updated_at

    def get_latest_lastmod(self):
        """The newest change, from the index on updated_at (not every item)."""
        return Article.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class _ListingSitemap(Sitemap):
    """Pages listing published articles (topic, person, source).

    They change with every article they list, so no lastmod is given rather
    than a misleading one: finding each entity's newest article would mean
    aggregating over the whole archive.
    """

    changefreq = "daily"
    model = None
    relation = ""

    def items(self):
        mine = Article.objects.published().filter(**{self.relation: OuterRef("pk")})
        return (
            self.model.objects.alias(listed=Exists(mine))
            .filter(listed=True)
            .only("id", "slug")
            .order_by("slug")
        )


class TopicSitemap(_ListingSitemap):
    model = Topic
    relation = "topics"


class PersonSitemap(_ListingSitemap):
    model = Person
    relation = "authors"


class SourceSitemap(_ListingSitemap):
    model = Source
    relation = "source"


def sitemap_sections() -> dict[str, type[Sitemap]]:
    """Every section by name: articles, other apps' sections, then the listings."""
    contributed = {
        section.name: import_string(section.sitemap)
        for section in extensions.sitemap_sections
    }
    return {
        "articles": ArticleSitemap,
        **contributed,
        "topics": TopicSitemap,
        "people": PersonSitemap,
        "sources": SourceSitemap,
    }


def __getattr__(name: str):
    # Built on first use, once every app has registered its sections.
    if name == "SITEMAPS":
        return sitemap_sections()
    raise AttributeError(name)


@public_page(max_age=300, tags=(tags.LIST_ARTICLES,))
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


# Built sitemaps are kept in the rendered-response cache like pages; `p` is
# the page of a long section.
# Sections list every public article, topic, person and source (and what
# other apps add): they carry the collection tags rather than one tag per row.
NEWSDESK_SITEMAP_TAGS = (
    tags.LIST_ARTICLES,
    "list:topics",
    "list:people",
    "list:sources",
)


def sitemap_tags(*args, **kwargs) -> list[str]:
    """The collection tags of every section, newsdesk's and other apps'."""
    contributed = [
        tag for section in extensions.sitemap_sections for tag in section.tags
    ]
    return [NEWSDESK_SITEMAP_TAGS[0], *contributed, *NEWSDESK_SITEMAP_TAGS[1:]]


sitemap_index = public_page(max_age=3600, cache_params=("p",), tags=sitemap_tags)(
    sitemap_views.index
)
sitemap_section = public_page(max_age=3600, cache_params=("p",), tags=sitemap_tags)(
    sitemap_views.sitemap
)
