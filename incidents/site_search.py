"""Incidents and recommendations in the site search (registered in `apps.py`)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from incidents.models import Incident, Recommendation
from newsdesk.site_search import (
    Deferred,
    SearchHit,
    SearchKind,
    SearchQuery,
    in_date_range,
    score_text,
    snippet,
    text_filter,
)


class IncidentKind(SearchKind):
    """Published incidents by title, summary or place."""

    name, label, plural = "incident", "Incident", "Incidents"
    filters = frozenset({"start", "end", "incident", "country"})
    fields = ("title", "summary", "sub_kind", "place__name", "place__admin1")

    def matching(self, query: SearchQuery) -> QuerySet[Incident]:
        incidents = Incident.objects.published().filter(text_filter(self.fields, query))
        f = query.filters
        incidents = in_date_range(incidents, "start_date", f)
        if "incident" in f:
            incidents = incidents.filter(slug=f["incident"])
        if "country" in f:
            incidents = incidents.filter(place__country=f["country"])
        return incidents.order_by("-start_date", "-id")

    def vocabulary_texts(self) -> Iterable[str]:
        for title, summary in Incident.objects.published().values_list(
            "title", "summary"
        ):
            yield f"{title} {summary}"

    def hits(self, query: SearchQuery, limit: int) -> list[SearchHit]:
        hits = []
        for incident in self.matching(query).select_related("place")[:limit]:
            place = str(incident.place) if incident.place else ""
            text = f"{incident.summary} {place}"
            hits.append(
                SearchHit(
                    kind=self.name,
                    kind_label=self.label,
                    title=incident.title,
                    url=Deferred(incident.get_absolute_url),
                    snippet=snippet(incident.summary or place, query),
                    date=incident.start_date,
                    score=score_text(query, incident.title, text, incident.start_date)
                    + 0.5,
                    detail=f"{incident.get_kind_display()}{' · ' + place if place else ''}",
                )
            )
        return hits


class RecommendationKind(SearchKind):
    """Public recommendations by statement, addressee or who made them."""

    name, label, plural = "recommendation", "Recommendation", "Recommendations"
    filters = frozenset({"start", "end", "source", "incident", "country"})
    fields = (
        "statement",
        "addressed_to_group",
        "recommended_by_person__name",
        "recommended_by_source__name",
    )

    def matching(self, query: SearchQuery) -> QuerySet[Recommendation]:
        # The words first, so that the public checks run on matching rows only.
        return self._narrowed(
            Recommendation.objects.filter(text_filter(self.fields, query)).public(),
            query,
        )

    def _newest(self, query: SearchQuery, limit: int) -> list[Recommendation]:
        """The `limit` newest matching public rows: the two parts of `public()`
        read apart, each walking the newest rows, then merged."""
        rows = []
        for part in Recommendation.objects.filter(
            text_filter(self.fields, query)
        ).public_parts():
            rows += self._narrowed(part, query).select_related(
                "recommended_by_person", "recommended_by_source"
            )[:limit]
        rows.sort(key=lambda rec: -rec.pk)
        return rows[:limit]

    def count(self, query: SearchQuery, cap: int) -> int:
        return len(self._newest(query, cap + 1))

    def _narrowed(
        self, recommendations: QuerySet[Recommendation], query: SearchQuery
    ) -> QuerySet[Recommendation]:
        f = query.filters
        recommendations = in_date_range(recommendations, "status_changed_on", f)
        if "source" in f:
            recommendations = recommendations.filter(
                recommended_by_source__slug=f["source"]
            )
        if "incident" in f:
            recommendations = recommendations.filter(incident__slug=f["incident"])
        if "country" in f:
            recommendations = recommendations.filter(
                addressed_to_countries__contains=f["country"]
            )
        # Newest recorded first: walking the table backwards stops at the limit.
        return recommendations.order_by("-id")

    def hits(self, query: SearchQuery, limit: int) -> list[SearchHit]:
        hits = []
        for rec in self._newest(query, limit):
            by = rec.recommended_by_person or rec.recommended_by_source
            title = f"{rec.get_action_display()}: {rec.addressee}"
            hits.append(
                SearchHit(
                    kind=self.name,
                    kind_label=self.label,
                    title=title,
                    url=Deferred(rec.get_absolute_url),
                    snippet=snippet(rec.statement, query),
                    date=rec.status_changed_on,
                    score=score_text(
                        query, title, rec.statement, rec.status_changed_on
                    ),
                    detail=(
                        f"{rec.get_status_display()}"
                        + (f" · recommended by {by.name}" if by else "")
                    ),
                )
            )
        return hits
