"""FilterSets of the structured records."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django_filters import rest_framework as filters

from incidents.models import (
    Actor,
    ActorKind,
    ActorRole,
    Figure,
    FigureGroup,
    Incident,
    IncidentKind,
    Metric,
    Place,
    PlaceKind,
    Recommendation,
    RecommendationAction,
    RecommendationStatus,
    Verification,
)
from incidents.search import incidents_matching
from newsdesk.api.filters import (
    COUNTRY_CHOICES,
    DateFilter,
    IdFilter,
    StrictFilterSet,
    country_filter,
    search_filter,
)
from newsdesk.models import Article


class IncidentFilterSet(StrictFilterSet):
    q = search_filter("Full-text search in the title and summary.")
    start_after = DateFilter(
        field_name="start_date",
        lookup_expr="gte",
        label="Started on or after (YYYY-MM-DD).",
    )
    start_before = DateFilter(
        field_name="start_date",
        lookup_expr="lte",
        label="Started on or before (YYYY-MM-DD).",
    )
    kind = filters.ChoiceFilter(choices=IncidentKind.choices, label="Kind of incident.")
    verification = filters.ChoiceFilter(
        choices=Verification.choices, label="Verification status."
    )
    country = country_filter("place__country", "Country of the place (ISO code).")
    place = filters.CharFilter(field_name="place__slug", label="Place slug.")
    actor = filters.CharFilter(method="filter_actor", label="Actor slug, in any role.")
    actor_role = filters.ChoiceFilter(
        choices=ActorRole.choices,
        method="filter_actor_role",
        label="With `actor`: only incidents where the actor had this role.",
    )
    article = IdFilter(
        method="filter_article", label="Id of a published article covering it."
    )

    class Meta:
        model = Incident
        fields = (
            "q",
            "start_after",
            "start_before",
            "kind",
            "verification",
            "country",
            "place",
            "actor",
            "actor_role",
            "article",
        )

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value.strip():
            return queryset
        return incidents_matching(value, queryset)

    def filter_actor(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        role = self.form.cleaned_data.get("actor_role")
        links = Q(actor__slug=value)
        if role:
            links &= Q(role=role)
        from incidents.models import IncidentActor

        return queryset.filter(
            pk__in=IncidentActor.objects.filter(links).values("incident_id")
        )

    def filter_actor_role(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if self.form.cleaned_data.get("actor"):
            return queryset
        from incidents.models import IncidentActor

        return queryset.filter(
            pk__in=IncidentActor.objects.filter(role=value).values("incident_id")
        )

    def filter_article(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        published = Article.objects.published().filter(pk=value)
        return queryset.filter(articles__in=published)


class ActorFilterSet(StrictFilterSet):
    name = filters.CharFilter(method="filter_name", label="Name or alias, any case.")
    kind = filters.ChoiceFilter(choices=ActorKind.choices, label="Kind of actor.")
    country = country_filter("country", "Country of origin or base (ISO code).")

    class Meta:
        model = Actor
        fields = ("name", "kind", "country")

    def filter_name(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(pk__in=Actor.objects.matching(value).values("pk"))


class PlaceFilterSet(StrictFilterSet):
    kind = filters.ChoiceFilter(choices=PlaceKind.choices, label="Kind of place.")
    country = country_filter("country", "Country (ISO code).")
    admin1 = filters.CharFilter(
        field_name="admin1", lookup_expr="iexact", label="First-level region."
    )

    class Meta:
        model = Place
        fields = ("kind", "country", "admin1")


class FigureFilterSet(StrictFilterSet):
    incident = IdFilter(field_name="incident_id", label="Incident id.")
    metric = filters.ChoiceFilter(choices=Metric.choices, label="What is counted.")
    group = filters.ChoiceFilter(choices=FigureGroup.choices, label="Who is counted.")
    claimant = filters.CharFilter(
        field_name="claimant", lookup_expr="iexact", label="Who made the claim."
    )
    article = IdFilter(field_name="article_id", label="Id of the citing article.")
    source = filters.CharFilter(field_name="source__slug", label="Source slug.")
    country = country_filter("incident__place__country", "Incident country (ISO code).")
    reported_after = DateFilter(
        field_name="reported_on", lookup_expr="gte", label="Reported on or after."
    )
    reported_before = DateFilter(
        field_name="reported_on", lookup_expr="lte", label="Reported on or before."
    )

    class Meta:
        model = Figure
        fields = (
            "incident",
            "metric",
            "group",
            "claimant",
            "article",
            "source",
            "country",
            "reported_after",
            "reported_before",
        )


class RecommendationFilterSet(StrictFilterSet):
    action = filters.ChoiceFilter(
        choices=RecommendationAction.choices, label="Recommended action."
    )
    status = filters.ChoiceFilter(
        choices=RecommendationStatus.choices, label="Current status."
    )
    addressed_country = filters.ChoiceFilter(
        choices=COUNTRY_CHOICES,
        method="filter_addressed_country",
        label="A country it is addressed to (ISO code).",
    )
    incident = IdFilter(field_name="incident_id", label="Incident id.")
    article = IdFilter(
        field_name="made_in_id", label="Id of the article it was made in."
    )
    person = filters.CharFilter(
        field_name="recommended_by_person__slug", label="Recommender's person slug."
    )
    source = filters.CharFilter(
        field_name="recommended_by_source__slug", label="Recommending source's slug."
    )
    status_changed_after = DateFilter(
        field_name="status_changed_on",
        lookup_expr="gte",
        label="Status changed on or after.",
    )
    status_changed_before = DateFilter(
        field_name="status_changed_on",
        lookup_expr="lte",
        label="Status changed on or before.",
    )

    class Meta:
        model = Recommendation
        fields = (
            "action",
            "status",
            "addressed_country",
            "incident",
            "article",
            "person",
            "source",
            "status_changed_after",
            "status_changed_before",
        )

    def filter_addressed_country(self, queryset: QuerySet, name: str, value: str):
        return queryset.filter(
            Q(addressed_to_countries=value)
            | Q(addressed_to_countries__startswith=f"{value},")
            | Q(addressed_to_countries__endswith=f",{value}")
            | Q(addressed_to_countries__contains=f",{value},")
        )
