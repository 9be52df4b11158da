"""Root URLs, and the editorial app's public pages (namespace "newsdesk")."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.module_loading import import_string

from newsdesk import discovery, extensions, feeds, sitemaps, views
from newsdesk.http import tags

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
        "feeds/latest/rss/",
        feeds.feed_page(feeds.LatestArticlesFeed, LATEST),
        name="feed_latest",
    ),
    path(
        "feeds/latest/atom/",
        feeds.feed_page(feeds.LatestArticlesAtomFeed, LATEST),
        name="feed_latest_atom",
    ),
    path(
        "feeds/topics/<slug:slug>/rss/",
        feeds.feed_page(feeds.TopicFeed, feeds.articles_of("topic")),
        name="feed_topic",
    ),
    path(
        "feeds/topics/<slug:slug>/atom/",
        feeds.feed_page(feeds.TopicAtomFeed, feeds.articles_of("topic")),
        name="feed_topic_atom",
    ),
    path(
        "feeds/corrections/rss/",
        feeds.feed_page(feeds.CorrectionsFeed, CORRECTIONS),
        name="feed_corrections",
    ),
    path(
        "feeds/corrections/atom/",
        feeds.feed_page(feeds.CorrectionsAtomFeed, CORRECTIONS),
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
# Pages other apps add to this namespace (incidents: its feeds).
for dotted in extensions.editorial_urls:
    editorial_patterns += import_string(dotted)

# A database outage is a 503 with Retry-After, wherever it is met.
handler500 = "newsdesk.middleware.server_error"

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
