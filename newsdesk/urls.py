"""Root URLs, and the editorial app's public pages (namespace "newsdesk")."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from newsdesk import views

editorial_patterns = [
    path("", views.home, name="home"),
    path(
        "articles/<int:year>/<str:month>/<slug:slug>/",
        views.article_detail,
        name="article_detail",
    ),
    path("sources/<slug:slug>/", views.source_detail, name="source_detail"),
    path("people/<slug:slug>/", views.person_detail, name="person_detail"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include((editorial_patterns, "newsdesk"))),
    path("", include("incidents.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
