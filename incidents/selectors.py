"""Reads of the structured records, shared by pages, the API, feeds and CSV."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import TypedDict

from django.db.models import Prefetch, QuerySet

from incidents.models import Figure, Incident, IncidentActor, Recommendation
from newsdesk.extensions import HomePart
from newsdesk.prepared import prepared_rows


class FigureRange(TypedDict):
    """One metric and group of an incident, reconciled across its standing claims."""

    metric: str
    group: str
    low: int | None  # None when no claim stands
    high: int | None
    claims: int  # claims that stand
    claimants: int
    contradictory: bool  # some standing claims' ranges do not overlap
    withdrawn: int  # claims left out: their only citation was retracted
    withdrawn_at: datetime.datetime | None  # the latest of those retractions


def claim_stands(figure: Figure) -> bool:
    """False for a claim whose only citation is an article retracted after
    publishing: `FigureQuerySet.resting_on_retracted()` for one loaded row
    (from `on_record()`). Such claims are left out of the range."""
    return not (
        getattr(figure, "citation_retracted", False)
        and figure.source_id is None
        and not figure.url
    )


def figure_ranges(*, figures: Iterable[Figure]) -> list[FigureRange]:
    """Reconcile `figures` (public or on-record claims) per metric and group.

    Claims contradict each other when the highest low exceeds the lowest high.
    """
    grouped: dict[tuple[str, str], list[Figure]] = defaultdict(list)
    for figure in figures:
        grouped[(figure.metric, figure.group)].append(figure)
    ranges = []
    for (metric, group), rows in sorted(grouped.items()):
        standing = [f for f in rows if claim_stands(f)]
        withdrawn = [f for f in rows if not claim_stands(f)]
        ranges.append(
            FigureRange(
                metric=metric,
                group=group,
                low=min((f.low for f in standing), default=None),
                high=max((f.high for f in standing), default=None),
                claims=len(standing),
                claimants=len({f.claimant for f in standing}),
                contradictory=bool(standing)
                and max(f.low for f in standing) > min(f.high for f in standing),
                withdrawn=len(withdrawn),
                withdrawn_at=max(
                    (f.article.retracted_at for f in withdrawn), default=None
                ),
            )
        )
    return ranges


def public_figure_claims(*, incident_ids: Iterable[int]) -> dict[int, list[Figure]]:
    """Figure claims on record by incident id, light rows from one query."""
    claims: dict[int, list[Figure]] = defaultdict(list)
    ids = list(incident_ids)
    if ids:
        rows = (
            Figure.objects.on_record()
            .filter(incident_id__in=ids)
            .select_related("article")
            .only(
                "id",
                "incident_id",
                "article__retracted_at",
                "source_id",
                "url",
                "claimant",
                "metric",
                "group",
                "low",
                "high",
            )
            .order_by("incident_id", "metric", "group", "id")
        )
        for figure in rows:
            claims[figure.incident_id].append(figure)
    return claims


def incident_actors_prefetch() -> Prefetch:
    """An incident's actors by role, then name, each with its actor."""
    return Prefetch(
        "incident_actors",
        queryset=IncidentActor.objects.select_related("actor").order_by(
            "role", "actor__name"
        ),
    )


def incidents_for_article_page() -> QuerySet[Incident]:
    """Published incidents as an article's incident box shows them."""
    return (
        Incident.objects.published()
        .select_related("place")
        .prefetch_related(incident_actors_prefetch())
    )


def recommendations_for_article_page() -> QuerySet[Recommendation]:
    """Public recommendations with who made them, as an article page lists them."""
    return Recommendation.objects.public().select_related(
        "recommended_by_person", "recommended_by_source"
    )


def incident_for_public(*, slug: str) -> Incident | None:
    """The published incident at `slug` with its page's figures, ranges and links."""
    incident = (
        Incident.objects.published()
        .with_public_associations()
        .prefetch_related(
            Prefetch(
                "figures",
                queryset=Figure.objects.on_record()
                .with_public_associations()
                .order_by("metric", "group", "reported_on", "id"),
                to_attr="public_figures",
            ),
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.on_record().select_related(
                    "recommended_by_person", "recommended_by_source", "made_in"
                ),
                to_attr="public_recommendations",
            ),
        )
        .filter(slug=slug)
        .first()
    )
    if incident is not None:
        incident.figure_ranges = figure_ranges(figures=incident.public_figures)
    return incident


HOME_IN_FOCUS_COUNT = 6


def in_focus_rows() -> tuple:
    """The home page's incidents in focus: key, version and place of each, newest
    first (the `incidents_in_focus` part's rows)."""
    return tuple(prepared_rows("home-in-focus", _in_focus))


def _in_focus(moment: datetime.datetime) -> QuerySet:
    return (
        Incident.objects.published()
        .filter(in_focus=True)
        .values_list("pk", "updated_at", "place_id", "place__updated_at")[
            :HOME_IN_FOCUS_COUNT
        ]
    )


def published_incidents_in_order(ids: list[int]) -> list[Incident]:
    """The incidents named by `ids`, in that order, loaded again through
    `published()`: any that stopped being public since are left out."""
    loaded = {
        incident.pk: incident
        for incident in Incident.objects.published()
        .filter(pk__in=ids)
        .select_related("place")
    }
    return [loaded[pk] for pk in ids if pk in loaded]


def in_focus_context(rows: tuple) -> tuple[dict, bool]:
    """The incidents in focus named by `rows`, loaded again through `published()`."""
    in_focus = published_incidents_in_order([row[0] for row in rows])
    return {"in_focus": in_focus}, len(in_focus) == len(rows)


incidents_in_focus = HomePart(rows=in_focus_rows, context=in_focus_context)
