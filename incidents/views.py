"""Public pages of incidents and the recommendation tracker."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from incidents.models import Incident, Recommendation


def incident_list(request: HttpRequest) -> HttpResponse:
    incidents = Incident.objects.published().with_public_associations()[:50]
    return render(request, "incidents/incident_list.html", {"incidents": incidents})


def incident_detail(request: HttpRequest, slug: str) -> HttpResponse:
    incident = get_object_or_404(Incident.objects.published().with_public_associations(), slug=slug)
    return render(request, "incidents/incident_detail.html", {"incident": incident})


def recommendation_tracker(request: HttpRequest) -> HttpResponse:
    recommendations = Recommendation.objects.public().with_public_associations()
    return render(
        request, "incidents/recommendation_tracker.html", {"recommendations": recommendations}
    )
