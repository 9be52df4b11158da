"""API URLs: version 1 of both apps' resources, the OpenAPI schema and its docs."""

from django.urls import include, path
from django.utils.module_loading import import_string
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)
from rest_framework.routers import APIRootView, DefaultRouter

from newsdesk import extensions
from newsdesk.api.conditional import ConditionalMixin
from newsdesk.api.search import SearchView
from newsdesk.api.views import (
    ArticleViewSet,
    PersonViewSet,
    SourceViewSet,
    TopicViewSet,
)


class ApiRootView(ConditionalMixin, APIRootView):
    """Links to every collection of version 1."""


router = DefaultRouter()
router.APIRootView = ApiRootView
router.register("articles", ArticleViewSet, basename="article")
router.register("sources", SourceViewSet, basename="source")
router.register("people", PersonViewSet, basename="person")
router.register("topics", TopicViewSet, basename="topic")
for route in extensions.api_routes:
    router.register(route.prefix, import_string(route.viewset), basename=route.basename)

app_name = "api"

urlpatterns = [
    path("v1/search/", SearchView.as_view(), name="search"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
