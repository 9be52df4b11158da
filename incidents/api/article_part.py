"""What incidents adds to the article API: covered incidents, recommendations, a filter."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from incidents.api.serializers import IncidentBriefSerializer, RecommendationSerializer
from incidents.models import Incident, IncidentStatus, Recommendation
from newsdesk.api.filters import IdFilter
from newsdesk.extensions import ApiRoute, ArticleApiPart

#: incidents' collections on the API's router, after newsdesk's own.
API_ROUTES = [
    ApiRoute("incidents", "incidents.api.views.IncidentViewSet", "incident"),
    ApiRoute("actors", "incidents.api.views.ActorViewSet", "actor"),
    ApiRoute("places", "incidents.api.views.PlaceViewSet", "place"),
    ApiRoute("figures", "incidents.api.views.FigureViewSet", "figure"),
    ApiRoute(
        "recommendations", "incidents.api.views.RecommendationViewSet", "recommendation"
    ),
]


@extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
class IdListField(serializers.Field):
    """The ids of loaded rows."""

    def to_representation(self, rows: list) -> list[int]:
        return [row.pk for row in rows]


def covering_incident(queryset: QuerySet, name: str, value: int) -> QuerySet:
    return queryset.filter(
        incidents__id=value, incidents__status=IncidentStatus.PUBLISHED
    )


class IncidentArticleApi(ArticleApiPart):
    def fields(self) -> dict[str, serializers.Field]:
        return {
            "incidents": IdListField(
                source="public_incidents",
                read_only=True,
                help_text="Ids of the published incidents the article covers.",
            )
        }

    def detail_fields(self) -> dict[str, serializers.Field]:
        return {
            "recommendations": RecommendationSerializer(
                source="public_recommendations", many=True, read_only=True
            ),
            "incident_summaries": IncidentBriefSerializer(
                source="public_incidents", many=True, read_only=True
            ),
        }

    def filters(self) -> dict:
        return {
            "incident": IdFilter(
                method=covering_incident, label="Id of a covered incident."
            )
        }

    def prefetches(self) -> list[Prefetch]:
        return [
            Prefetch(
                "incidents",
                queryset=Incident.objects.published().select_related(None),
                to_attr="public_incidents",
            )
        ]

    def detail_prefetches(self) -> list[Prefetch]:
        return [
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.public().with_public_associations(),
                to_attr="public_recommendations",
            )
        ]


incident_article_api = IncidentArticleApi()
