"""Public pages of the structured records (namespace "incidents")."""

from django.urls import path

from incidents import feeds, views
from newsdesk.feeds import articles_of, feed_page

app_name = "incidents"

urlpatterns = [
    path("incidents/", views.incident_list, name="incident_list"),
    path("incidents/<slug:slug>/", views.incident_detail, name="incident_detail"),
    path(
        "recommendations/", views.recommendation_tracker, name="recommendation_tracker"
    ),
]

# The per-incident feeds are named in the "newsdesk" namespace with the other
# feeds (newsdesk:feed_incident); newsdesk/urls.py adds them through
# extensions.editorial_urls.
feed_patterns = [
    path(
        "feeds/incidents/<slug:slug>/rss/",
        feed_page(feeds.IncidentFeed, articles_of("incident")),
        name="feed_incident",
    ),
    path(
        "feeds/incidents/<slug:slug>/atom/",
        feed_page(feeds.IncidentAtomFeed, articles_of("incident")),
        name="feed_incident_atom",
    ),
]
