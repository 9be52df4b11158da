"""Public pages of incidents and the recommendation tracker."""

from __future__ import annotations

import time

import django_filters as filters
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.forms.utils import flatatt
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django_countries import countries

from incidents.models import (
    Actor,
    Incident,
    IncidentKind,
    Recommendation,
    RecommendationAction,
    RecommendationStatus,
    Verification,
)
from incidents.selectors import (
    incident_actors_prefetch,
    incident_for_public,
    published_incidents_in_order,
)
from newsdesk.http import tags as cache_tags
from newsdesk.http.conditional import public_page
from newsdesk.http.fragments import fragments
from newsdesk.http.keys import link_query
from newsdesk.http.readmodel import stored_rendering
from newsdesk.http.storage import cached_value
from newsdesk.models import Person, Source
from newsdesk.paging import countless_page

INCIDENTS_PER_PAGE = 50
INCIDENT_FRAGMENT_SECONDS = settings.NEWSDESK_RESPONSE_CACHE_SECONDS
RECOMMENDATIONS_PER_PAGE = 25


class _DateInput(forms.DateInput):
    input_type = "date"


class _QuickSelect(forms.Select):
    """A <select> built directly rather than option by option from templates.

    Filter lists offer every actor, person or organisation on record; this
    keeps rendering thousands of options cheap.
    """

    def render(self, name, value, attrs=None, renderer=None) -> str:
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    key,
                    mark_safe(" selected") if key in selected else "",
                    label,
                )
                for key, label in (
                    ("" if v is None else str(v), label) for v, label in self.choices
                )
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)


class IncidentPageFilterSet(filters.FilterSet):
    """Filters of the public incident list; every field is labelled for readers."""

    country = filters.ChoiceFilter(
        label="Country",
        field_name="place__country",
        choices=list(countries),
        empty_label="Any",
        widget=_QuickSelect,
    )
    actor = filters.ModelChoiceFilter(
        label="Actor",
        field_name="actors",
        to_field_name="slug",
        queryset=Actor.objects.only("id", "name", "slug").order_by("name"),
        empty_label="Any",
        distinct=True,
        widget=_QuickSelect,
    )
    kind = filters.ChoiceFilter(
        label="Kind", choices=IncidentKind.choices, empty_label="Any"
    )
    verification = filters.ChoiceFilter(
        label="Verification", choices=Verification.choices, empty_label="Any"
    )
    start = filters.DateFilter(
        label="From", field_name="start_date", lookup_expr="gte", widget=_DateInput
    )
    end = filters.DateFilter(
        label="Until", field_name="start_date", lookup_expr="lte", widget=_DateInput
    )

    class Meta:
        model = Incident
        fields = ("country", "actor", "kind", "verification", "start", "end")


def _map_points(incidents) -> list[dict]:
    return [
        {
            "title": incident.title,
            "url": incident.get_absolute_url(),
            "place": str(incident.place),
            "lat": float(incident.place.latitude),
            "lng": float(incident.place.longitude),
        }
        for incident in incidents
        if incident.place and incident.place.has_coordinates
    ]


FILTER_FIELDS_KEY = "incidents:filter-fields:1"
# The unbound form offers every actor: a new or renamed one purges this.
FILTER_FIELDS_TAGS = ("list:actors",)


def _filter_fields(filterset: IncidentPageFilterSet | None) -> str:
    """The filter form's fields: those of `filterset`, or (None: no filter asked
    for) the unbound form's, rendered once and kept until an actor changes."""

    def rendered() -> str:
        return render_to_string(
            "incidents/includes/filter_fields.html",
            {"filter": filterset or IncidentPageFilterSet()},
        )

    if filterset is not None:
        return mark_safe(rendered())
    stored = cache.get(FILTER_FIELDS_KEY)
    if stored is not None and cache_tags.fresh_since(FILTER_FIELDS_TAGS, stored[0]):
        cache_tags.declare(*FILTER_FIELDS_TAGS)
        return mark_safe(stored[1])
    built_at = time.time()
    # The actors it lists are named by their collection, not one tag each.
    with cache_tags.collecting(separate=True):
        html = rendered()
    cache_tags.declare(*FILTER_FIELDS_TAGS)
    cache_tags.ensure_versions(FILTER_FIELDS_TAGS)
    cache.set(FILTER_FIELDS_KEY, (built_at, html), INCIDENT_FRAGMENT_SECONDS)
    return mark_safe(html)


def _teasers(rows: list[Incident]) -> dict:
    loaded = (
        Incident.objects.published()
        .filter(pk__in=[row.pk for row in rows])
        .select_related("place")
        .prefetch_related(incident_actors_prefetch())
    )
    return {
        incident.pk: (
            incident,
            mark_safe(
                render_to_string(
                    "incidents/includes/incident_teaser.html", {"incident": incident}
                )
            ),
            set(),
        )
        for incident in loaded
    }


# The unfiltered list's length, kept until an incident is saved
# (`list:incidents`): counting every published incident grows with the archive.
INCIDENT_COUNT_TAGS = ("list:incidents",)
INCIDENT_COUNT_SECONDS = 300


def _published_count() -> int:
    return cached_value(
        "incidents-published-count",
        lambda: Incident.objects.published().count(),
        tags=INCIDENT_COUNT_TAGS,
        timeout=INCIDENT_COUNT_SECONDS,
    )


def _incident_list_context(
    filterset: IncidentPageFilterSet | None, page, incidents: list[Incident], request
) -> dict:
    # The filters asked for, kept by the pagination links (none unfiltered).
    query = (
        link_query(request, "page")
        if filterset is not None
        else QueryDict(mutable=True)
    )
    return {
        "filter_fields": _filter_fields(filterset),
        "page_obj": page,
        "incidents": incidents,
        "teasers": fragments(
            incidents, kind="incident-teaser", variant="", build=_teasers
        ),
        "timeline": sorted(incidents, key=lambda i: (i.start_date, i.pk)),
        "map_points": _map_points(incidents),
        "query_string": query.urlencode(),
    }


def _unfiltered_incident_list(request: HttpRequest) -> str:
    """The list with no filter asked for: its page of rows (keys and versions)
    read through `published()`, its rendering stored under them
    (`newsdesk.http.readmodel`)."""
    paginator = Paginator(
        Incident.objects.published()
        .order_by("-start_date", "-id")
        .values_list("pk", "updated_at", "place_id", "place__updated_at"),
        INCIDENTS_PER_PAGE,
    )
    paginator.count = _published_count()
    page = paginator.get_page(request.GET.get("page"))
    rows = tuple(page.object_list)

    def build() -> tuple[str, bool]:
        ids = [row[0] for row in rows]
        incidents = published_incidents_in_order(ids)
        html = render_to_string(
            "incidents/incident_list.html",
            _incident_list_context(None, page, incidents, request),
            request,
        )
        return html, len(incidents) == len(ids)

    return stored_rendering(
        "incident-list",
        (request.scheme, request.get_host(), page.number, paginator.count, rows),
        build,
    )


@public_page(
    cache_params=(*IncidentPageFilterSet.base_filters, "page"), tags=("list:incidents",)
)
def incident_list(request: HttpRequest) -> HttpResponse:
    # Place for the map and the timeline; each incident's teaser (with its
    # actors) comes from its fragment (newsdesk.http.fragments).
    # With none of its parameters every filter is a no-op: the form is the
    # unbound one, whose fields are rendered once.
    asked = any(name in request.GET for name in IncidentPageFilterSet.base_filters)
    if not asked:
        return HttpResponse(_unfiltered_incident_list(request))
    base = Incident.objects.published().select_related("place")
    filterset = IncidentPageFilterSet(request.GET, queryset=base)
    status = 200
    if not filterset.is_valid():
        status = 400
        queryset = base.none()
    else:
        queryset = filterset.qs
    page = Paginator(
        queryset.order_by("-start_date", "-id"), INCIDENTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    incidents = list(page.object_list)
    return render(
        request,
        "incidents/incident_list.html",
        _incident_list_context(filterset, page, incidents, request),
        status=status,
    )


@public_page(tags=lambda slug: [f"list:incident:{slug}"])
def incident_detail(request: HttpRequest, slug: str) -> HttpResponse:
    incident = incident_for_public(slug=slug)
    if incident is None:
        raise Http404("No incident at this address.")
    return render(
        request,
        "incidents/incident_detail.html",
        {"incident": incident, "map_points": _map_points([incident])},
    )


def _recommenders(model: type, field: str) -> QuerySet:
    """People or organisations behind a recommendation the tracker shows.

    Built per request: the tracker's visibility depends on the current time.
    """
    shown = Recommendation.objects.on_record().filter(**{field: OuterRef("pk")})
    return model.objects.filter(Exists(shown)).order_by("name")


class RecommendationPageFilterSet(filters.FilterSet):
    """Filters of the recommendation tracker."""

    # A recommendation's own address: the tracker narrowed to it, whatever page
    # it would fall on.
    id = filters.NumberFilter(field_name="pk", widget=forms.HiddenInput)
    action = filters.ChoiceFilter(
        label="Action", choices=RecommendationAction.choices, empty_label="Any"
    )
    country = filters.ChoiceFilter(
        label="Addressed to",
        field_name="addressed_to_countries",
        lookup_expr="contains",
        choices=list(countries),
        empty_label="Any country",
        widget=_QuickSelect,
    )
    status = filters.ChoiceFilter(
        label="Status", choices=RecommendationStatus.choices, empty_label="Any"
    )
    person = filters.ModelChoiceFilter(
        label="Recommended by (person)",
        field_name="recommended_by_person",
        to_field_name="slug",
        queryset=lambda request: _recommenders(Person, "recommended_by_person").only(
            "id", "name", "slug", "affiliation"
        ),
        empty_label="Anyone",
        widget=_QuickSelect,
    )
    source = filters.ModelChoiceFilter(
        label="Recommended by (organisation)",
        field_name="recommended_by_source",
        to_field_name="slug",
        queryset=lambda request: _recommenders(Source, "recommended_by_source").only(
            "id", "name", "slug"
        ),
        empty_label="Any organisation",
        widget=_QuickSelect,
    )

    class Meta:
        model = Recommendation
        fields = ("action", "country", "status", "person", "source")


@public_page(
    cache_params=(*RecommendationPageFilterSet.base_filters, "page"),
    tags=("list:recommendations",),
)
def recommendation_tracker(request: HttpRequest) -> HttpResponse:
    base = Recommendation.objects.on_record().with_public_associations()
    filterset = RecommendationPageFilterSet(request.GET or None, queryset=base)
    status = 200
    if filterset.is_bound and not filterset.is_valid():
        status = 400
        recommendations = base.none()
    else:
        recommendations = filterset.qs if filterset.is_bound else base
    page = countless_page(
        recommendations.order_by("action", "id"),
        request.GET.get("page"),
        per_page=RECOMMENDATIONS_PER_PAGE,
    )
    query = link_query(request, "page")
    return render(
        request,
        "incidents/recommendation_tracker.html",
        {
            "filter": filterset,
            "page_obj": page,
            "recommendations": page.object_list,
            "query_string": query.urlencode(),
            "standing": _standing(recommendations, query),
        },
        status=status,
    )


def _standing(recommendations, query) -> dict:
    """Where the recommendations shown stand: a count per action and status.

    One grouped query; each count links to the tracker narrowed to it, keeping
    the reader's other filters.
    """
    counts = {
        (row["action"], row["status"]): row["n"]
        for row in recommendations.order_by()
        .values("action", "status")
        .annotate(n=Count("pk"))
    }
    others = query.copy()
    for name in ("action", "status", "id"):
        others.pop(name, None)

    def link(**narrowed) -> str:
        narrowed_query = others.copy()
        for name, value in narrowed.items():
            narrowed_query[name] = value
        return "?" + narrowed_query.urlencode()

    rows = []
    for action in RecommendationAction:
        cells = [
            {
                "n": counts.get((action, status), 0),
                "url": link(action=action, status=status),
            }
            for status in RecommendationStatus
        ]
        total = sum(cell["n"] for cell in cells)
        if total:
            rows.append(
                {
                    "label": action.label,
                    "url": link(action=action),
                    "total": total,
                    "cells": cells,
                }
            )
    return {
        "statuses": [
            {"label": status.label, "value": status, "url": link(status=status)}
            for status in RecommendationStatus
        ],
        "rows": rows,
        "total": sum(counts.values()),
    }
