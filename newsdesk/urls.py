"""Root URLs, and the editorial app's public pages (namespace "newsdesk")."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from newsdesk import discovery, feeds, sitemaps, views
from newsdesk.http import tags
from newsdesk.http.conditional import public_page


def _feed(feed_class, listed):
    """A feed as a public page tagged with the collection it lists."""
    return public_page(max_age=300, tags=listed)(feed_class())


def _articles_of(kind: str):
    return lambda slug: [tags.listing(kind, slug)]


LATEST = (tags.LIST_ARTICLES,)
CORRECTIONS = (tags.FEED_CORRECTIONS,)


editorial_patterns = [
    path("", views.home, name="home"),
    path(
        "articles/<int:year>/<str:month>/<slug:slug>/",
        views.article_detail,
        name="article_detail",
    ),
    path(
        "articles/<int:year>/<str:month>/<slug:slug>/comments/",
        views.comment_post,
        name="comment_post",
    ),
    path("sources/<slug:slug>/", views.source_detail, name="source_detail"),
    path("people/<slug:slug>/", views.person_detail, name="person_detail"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("search/", views.search, name="search"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("manifest.webmanifest", discovery.web_manifest, name="web_manifest"),
    path("opensearch.xml", discovery.opensearch_description, name="opensearch"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "feeds/latest/rss/", _feed(feeds.LatestArticlesFeed, LATEST), name="feed_latest"
    ),
    path(
        "feeds/latest/atom/",
        _feed(feeds.LatestArticlesAtomFeed, LATEST),
        name="feed_latest_atom",
    ),
    path(
        "feeds/topics/<slug:slug>/rss/",
        _feed(feeds.TopicFeed, _articles_of("topic")),
        name="feed_topic",
    ),
    path(
        "feeds/topics/<slug:slug>/atom/",
        _feed(feeds.TopicAtomFeed, _articles_of("topic")),
        name="feed_topic_atom",
    ),
    path(
        "feeds/incidents/<slug:slug>/rss/",
        _feed(feeds.IncidentFeed, _articles_of("incident")),
        name="feed_incident",
    ),
    path(
        "feeds/incidents/<slug:slug>/atom/",
        _feed(feeds.IncidentAtomFeed, _articles_of("incident")),
        name="feed_incident_atom",
    ),
    path(
        "feeds/corrections/rss/",
        _feed(feeds.CorrectionsFeed, CORRECTIONS),
        name="feed_corrections",
    ),
    path(
        "feeds/corrections/atom/",
        _feed(feeds.CorrectionsAtomFeed, CORRECTIONS),
        name="feed_corrections_atom",
    ),
    path(
        "sitemap.xml",
        sitemaps.sitemap_index,
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "newsdesk:sitemap_section"},
        name="sitemap",
    ),
    path("sitemap-news.xml", sitemaps.news_sitemap, name="news_sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap_section,
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap_section",
    ),
]

urlpatterns = [
    path("admin/editor/", include("newsdesk.editing.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("newsdesk.api.urls")),
    path("", include((editorial_patterns, "newsdesk"))),
    path("", include("incidents.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
