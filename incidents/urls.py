"""Public pages of the structured records (namespace "incidents")."""

from django.urls import path

from incidents import views

app_name = "incidents"

urlpatterns = [
    path("incidents/", views.incident_list, name="incident_list"),
    path("incidents/<slug:slug>/", views.incident_detail, name="incident_detail"),
    path(
        "recommendations/", views.recommendation_tracker, name="recommendation_tracker"
    ),
]
