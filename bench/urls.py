"""The product's URLs plus the bare baselines, for load runs only."""

from django.urls import include, path

from bench import baseline
from newsdesk.urls import handler500  # noqa: F401  (the product's)
from newsdesk.urls import urlpatterns as product_urlpatterns

baseline_patterns = [
    path("articles/", baseline.article_list, name="article_list"),
    path("articles/<slug:slug>/", baseline.article_detail, name="article_detail"),
    path("incidents/", baseline.incident_list, name="incident_list"),
]

urlpatterns = [
    path("bench/baseline/", include((baseline_patterns, "baseline"))),
    *product_urlpatterns,
]
