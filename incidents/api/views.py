"""Structured-records API: incidents, actors, places, figures, recommendations."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from incidents import services
from incidents.api.filters import (
    ActorFilterSet,
    FigureFilterSet,
    IncidentFilterSet,
    PlaceFilterSet,
    RecommendationFilterSet,
)
from incidents.api.formats import (
    CSV_DESCRIPTION,
    FIGURE_CSV_COLUMNS,
    INCIDENT_CSV_COLUMNS,
    RECOMMENDATION_CSV_COLUMNS,
    figure_csv_row,
    format_responses,
    incident_csv_row,
    incident_feature,
    recommendation_csv_row,
)
from incidents.api.serializers import (
    ActorSerializer,
    FigureSerializer,
    FigureUpdateSerializer,
    FigureWriteSerializer,
    IncidentDetailSerializer,
    IncidentSerializer,
    PlaceDetailSerializer,
    RecommendationSerializer,
    RecommendationStatusSerializer,
    RecommendationWriteSerializer,
)
from incidents.models import (
    Actor,
    Figure,
    Incident,
    Place,
    Recommendation,
)
from newsdesk.api.errors import PreconditionFailed, error_responses
from newsdesk.api.items import FragmentedListMixin
from newsdesk.api.renderers import CSVRenderer, GeoJSONRenderer
from newsdesk.api.validation import parse_if_match
from newsdesk.api.views import DETAIL_ERRORS, READ_ERRORS, count_of
from newsdesk.api.viewsets import PublicViewSetMixin
from newsdesk.http import tags as cache_tags


@extend_schema_view(
    list=extend_schema(
        summary="List published incidents (JSON, CSV or GeoJSON)",
        description="Actors by role and reconciled figure ranges included. "
        + CSV_DESCRIPTION
        + " `?format=geojson` (or `/api/v1/incidents.geojson`) gives a GeoJSON "
        "FeatureCollection.",
        responses=format_responses(IncidentSerializer(many=True), geojson=True),
    ),
    retrieve=extend_schema(
        summary="One incident with every figure and its citation",
        responses={200: IncidentDetailSerializer, **DETAIL_ERRORS},
    ),
)
class IncidentViewSet(
    FragmentedListMixin, PublicViewSetMixin, viewsets.ReadOnlyModelViewSet
):
    """Published incidents with place, actors by role and reconciled figures."""

    list_model = Incident
    page_row_fields = ("id", "start_date", "updated_at")
    filterset_class = IncidentFilterSet
    ordering = ("-start_date", "-id")
    ordering_fields = {"start_date": "start_date", "id": "id"}
    csv_columns = INCIDENT_CSV_COLUMNS

    def get_renderers(self):
        renderers = super().get_renderers()
        if self.action == "list":
            renderers += [CSVRenderer(), GeoJSONRenderer()]
        return renderers

    def get_queryset(self) -> QuerySet[Incident]:
        return self._with_everything_shown(Incident.objects.published())

    def list_rows(self) -> QuerySet[Incident]:
        return Incident.objects.published()

    def first_page_rows(self, moment: datetime.datetime) -> QuerySet[Incident]:
        # Incidents have no publish time: the gate does not read the moment.
        return Incident.objects.published()

    def item_rows(self, pks: list[int]) -> QuerySet[Incident]:
        return self._with_everything_shown(Incident.objects.published()).filter(
            pk__in=pks
        )

    def item_tags(self, row: Incident) -> set[str]:
        # An article joining the incident's coverage (an embargo lifting) purges
        # the incident's listing, not a row the item loaded.
        return {cache_tags.listing("incident", row.slug)}

    def _with_everything_shown(self, base: QuerySet[Incident]) -> QuerySet[Incident]:
        return base.with_public_associations().prefetch_related(
            Prefetch(
                "figures",
                queryset=Figure.objects.public().select_related("article", "source"),
                to_attr="public_figures",
            )
        )

    def get_serializer_class(self):
        return IncidentSerializer if self.action == "list" else IncidentDetailSerializer

    def csv_row(self, item: dict[str, Any]) -> dict[str, Any]:
        return incident_csv_row(item)

    def geojson_feature(self, item: dict[str, Any]) -> dict[str, Any]:
        return incident_feature(item)


@extend_schema_view(
    list=extend_schema(
        summary="List actors (armed groups, forces, governments...)",
        responses={200: ActorSerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="One actor", responses={200: ActorSerializer, **DETAIL_ERRORS}
    ),
)
class ActorViewSet(PublicViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Armed groups, state forces, governments and others, with their aliases."""

    serializer_class = ActorSerializer
    filterset_class = ActorFilterSet
    ordering = ("name", "id")
    ordering_fields = {"name": "name", "id": "id"}

    def get_queryset(self) -> QuerySet[Actor]:
        incidents = Incident.objects.published().filter(
            incident_actors__actor=OuterRef("pk")
        )
        return Actor.objects.prefetch_related("aliases").annotate(
            incident_count=count_of(incidents, distinct=True)
        )


@extend_schema_view(
    list=extend_schema(
        summary="List places",
        responses={200: PlaceDetailSerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="One place", responses={200: PlaceDetailSerializer, **DETAIL_ERRORS}
    ),
)
class PlaceViewSet(PublicViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Places of incidents, with coordinates and ACLED-style geo precision."""

    serializer_class = PlaceDetailSerializer
    filterset_class = PlaceFilterSet
    ordering = ("name", "id")
    ordering_fields = {"name": "name", "id": "id"}

    def get_queryset(self) -> QuerySet[Place]:
        incidents = Incident.objects.published().filter(place=OuterRef("pk"))
        return Place.objects.annotate(incident_count=count_of(incidents))


@extend_schema_view(
    list=extend_schema(
        summary="List claimed figures (JSON or CSV)",
        description="Every claimed number on a published incident, with its "
        "citation. " + CSV_DESCRIPTION,
        responses=format_responses(FigureSerializer(many=True)),
    ),
    retrieve=extend_schema(
        summary="One claimed figure", responses={200: FigureSerializer, **DETAIL_ERRORS}
    ),
    create=extend_schema(
        summary="Record a claimed figure",
        request=FigureWriteSerializer,
        responses={
            201: FigureSerializer,
            **error_responses(400, 401, 403, 413, 415, 429),
        },
    ),
    partial_update=extend_schema(
        summary="Correct a claimed figure (If-Match required)",
        description="Send the figure's `version` (or the ETag of the last write "
        "response) in If-Match. A stale value gets 412 and nothing is written.",
        request=FigureUpdateSerializer,
        responses={
            200: FigureSerializer,
            **error_responses(400, 401, 403, 404, 412, 413, 415, 428, 429),
        },
    ),
)
class FigureViewSet(
    PublicViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Claimed numbers about published incidents, each with its citation."""

    filterset_class = FigureFilterSet
    ordering = ("-id",)
    ordering_fields = {
        "id": "id",
        "reported_on": "reported_on",
        "low": "low",
        "high": "high",
    }
    csv_columns = FIGURE_CSV_COLUMNS
    http_method_names = ("get", "head", "options", "post", "patch")
    write_permissions = {
        "create": "incidents.add_figure",
        "partial_update": "incidents.change_figure",
    }

    def get_renderers(self):
        renderers = super().get_renderers()
        if self.action == "list":
            renderers.append(CSVRenderer())
        return renderers

    def get_queryset(self) -> QuerySet[Figure]:
        return Figure.objects.public().with_public_associations()

    def get_serializer_class(self):
        if self.action == "create":
            return FigureWriteSerializer
        if self.action == "partial_update":
            return FigureUpdateSerializer
        return FigureSerializer

    def csv_row(self, item: dict[str, Any]) -> dict[str, Any]:
        return figure_csv_row(item)

    def create(self, request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        figure = services.figure_add(
            incident=data.pop("incident"), user=request.user, **data
        )
        return self._written(figure, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs) -> Response:
        figure = self.get_object()
        expected_version = parse_if_match(request.headers.get("If-Match"))
        serializer = self.get_serializer(figure, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            figure = services.figure_update(
                figure=figure,
                user=request.user,
                data=dict(serializer.validated_data),
                expected_version=expected_version,
            )
        except services.FigureConflict as exc:
            raise PreconditionFailed(exc.messages[0]) from exc
        return self._written(figure, status.HTTP_200_OK)

    def _written(self, figure: Figure, code: int) -> Response:
        figure = Figure.objects.with_public_associations().get(pk=figure.pk)
        response = Response(
            FigureSerializer(figure, context=self.get_serializer_context()).data,
            status=code,
        )
        response["ETag"] = f'W/"f{figure.pk}-v{figure.version}"'
        return response


@extend_schema_view(
    list=extend_schema(
        summary="List recommendations with their status history (JSON or CSV)",
        description=CSV_DESCRIPTION,
        responses=format_responses(RecommendationSerializer(many=True)),
    ),
    retrieve=extend_schema(
        summary="One recommendation",
        responses={200: RecommendationSerializer, **DETAIL_ERRORS},
    ),
    create=extend_schema(
        summary="Record a recommendation (status starts as proposed)",
        request=RecommendationWriteSerializer,
        responses={
            201: RecommendationSerializer,
            **error_responses(400, 401, 403, 413, 415, 429),
        },
    ),
)
class RecommendationViewSet(
    PublicViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Recommendations with whom they address and their dated status history."""

    filterset_class = RecommendationFilterSet
    ordering = ("action", "id")
    ordering_fields = {
        "id": "id",
        "action": "action",
        "status_changed_on": "status_changed_on",
    }
    csv_columns = RECOMMENDATION_CSV_COLUMNS
    write_permissions = {
        "create": "incidents.add_recommendation",
        "set_status": "incidents.change_recommendation",
    }

    def get_renderers(self):
        renderers = super().get_renderers()
        if self.action == "list":
            renderers.append(CSVRenderer())
        return renderers

    def get_queryset(self) -> QuerySet[Recommendation]:
        base = (
            Recommendation.objects.all()
            if self.action == "set_status"
            else (Recommendation.objects.public())
        )
        return base.with_public_associations()

    def get_serializer_class(self):
        if self.action == "create":
            return RecommendationWriteSerializer
        if self.action == "set_status":
            return RecommendationStatusSerializer
        return RecommendationSerializer

    def csv_row(self, item: dict[str, Any]) -> dict[str, Any]:
        return recommendation_csv_row(item)

    def _response(self, recommendation: Recommendation, code: int) -> Response:
        fresh = Recommendation.objects.with_public_associations().get(
            pk=recommendation.pk
        )
        return Response(
            RecommendationSerializer(fresh, context=self.get_serializer_context()).data,
            status=code,
        )

    def create(self, request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        recommendation = services.recommendation_create(
            user=request.user, **serializer.validated_data
        )
        return self._response(recommendation, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a recommendation's status, with evidence",
        request=RecommendationStatusSerializer,
        responses={
            200: RecommendationSerializer,
            **error_responses(400, 401, 403, 404, 413, 415, 429),
        },
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None) -> Response:
        recommendation = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.recommendation_set_status(
            recommendation=recommendation,
            user=request.user,
            **serializer.validated_data,
        )
        return self._response(recommendation, status.HTTP_200_OK)
