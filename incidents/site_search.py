"""Incidents and recommendations in the site search (registered in `apps.py`)."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString
from django_countries import countries

from incidents.models import Incident, Place, Recommendation, RecommendationAction
from newsdesk.models import Person, Source
from newsdesk.site_search import (
    Deferred,
    SearchHit,
    SearchKind,
    SearchQuery,
    declare_rows,
    in_date_range,
    prepared_matches,
    score_text,
    snippet,
    text_filter,
)


class IncidentKind(SearchKind):
    """Published incidents by title, summary or place."""

    name, label, plural = "incident", "Incident", "Incidents"
    filters = frozenset({"start", "end", "incident", "country"})
    fields = ("title", "summary", "sub_kind")
    places = ("name", "admin1")

    def matching(self, query: SearchQuery) -> QuerySet[Incident]:
        incidents = Incident.objects.published().filter(
            text_filter(
                self.fields,
                query,
                {"place": (Place.objects, self.places)},
                keys_first=True,
            )
        )
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
        rows = self.matching(query).only("id", "title", "slug", "start_date")
        return [
            SearchHit(
                kind=self.name,
                kind_label=self.label,
                title=incident.title,
                url=Deferred(incident.get_absolute_url),
                snippet=SafeString(""),
                date=incident.start_date,
                # Every word is in the title, the summary or the place.
                score=score_text(
                    query, incident.title, when=incident.start_date, matched=True
                )
                + 0.5,
                key=incident.pk,
            )
            for incident in rows[:limit]
        ]

    def describe(self, hits: list[SearchHit], query: SearchQuery) -> None:
        rows = (
            Incident.objects.published()
            .filter(pk__in=[hit.key for hit in hits])
            .select_related("place")
            .only("id", "kind", "summary", "place")
            .in_bulk()
        )
        for hit in hits:
            incident = rows.get(hit.key)
            if incident is None:
                continue
            place = str(incident.place) if incident.place else ""
            hit.snippet = snippet(incident.summary or place, query)
            hit.detail = (
                f"{incident.get_kind_display()}{' · ' + place if place else ''}"
            )


def _recommendation_url(key: int) -> str:
    return reverse("incidents:recommendation_tracker") + (
        f"?id={key}#recommendation-{key}"
    )


def _date(value) -> datetime.date | None:
    """A date as the driver gives it (SQLite: ISO text)."""
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


@functools.lru_cache(maxsize=16)
def _country_names(language: str) -> dict[str, str]:
    """Country names by code in `language`: naming each country through its
    field costs more than the rest of a recommendation's hit."""
    return {code: str(name) for code, name in countries}


class RecommendationKind(SearchKind):
    """Public recommendations by statement, addressee or who made them."""

    name, label, plural = "recommendation", "Recommendation", "Recommendations"
    filters = frozenset({"start", "end", "source", "incident", "country"})
    fields = ("statement", "addressed_to_group")
    row_fields = (
        "id",
        "action",
        "addressed_to_countries",
        "addressed_to_group",
        "status_changed_on",
    )

    def _words(self, query: SearchQuery) -> Q:
        return text_filter(
            self.fields,
            query,
            {
                "recommended_by_person": (Person.objects, ("name",)),
                "recommended_by_source": (Source.objects, ("name",)),
            },
        )

    def matching(self, query: SearchQuery) -> QuerySet[Recommendation]:
        # The words first, so that the public checks run on matching rows only.
        return self._narrowed(
            Recommendation.objects.filter(self._words(query)).public(),
            query,
        )

    def _newest(self, query: SearchQuery, limit: int) -> list[tuple]:
        """(id, action, countries, group, date) of the `limit` newest matching
        public rows: the two parts of `public()` read apart, each walking the
        newest rows, then merged."""
        rows = []
        for part in range(2):
            rows += prepared_matches(
                "search-recommendations",
                query,
                lambda q, moment, part, n: self._narrowed(
                    Recommendation.objects.filter(self._words(q)).public_parts(moment)[
                        part
                    ],
                    q,
                ).values_list(*self.row_fields)[:n],
                part,
                limit,
            )
        rows.sort(key=lambda row: -row[0])
        rows = rows[:limit]
        declare_rows(self.name, (row[0] for row in rows))
        return rows

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
        actions = dict(RecommendationAction.choices)
        names = _country_names(translation.get_language() or "")
        for key, action, codes, group, changed_on in self._newest(query, limit):
            addressee = [names.get(code, "") for code in (codes or "").split(",")]
            addressee = ", ".join(filter(None, [*addressee, group]))
            title = f"{actions.get(action, action)}: {addressee}"
            changed_on = _date(changed_on)
            hits.append(
                SearchHit(
                    kind=self.name,
                    kind_label=self.label,
                    title=title,
                    url=Deferred(functools.partial(_recommendation_url, key)),
                    snippet=SafeString(""),
                    date=changed_on,
                    # Every word is in the statement, the addressee or who made it.
                    score=score_text(query, title, when=changed_on, matched=True),
                    key=key,
                )
            )
        return hits

    def describe(self, hits: list[SearchHit], query: SearchQuery) -> None:
        rows = (
            Recommendation.objects.public()
            .filter(pk__in=[hit.key for hit in hits])
            .select_related("recommended_by_person", "recommended_by_source")
            .only(
                "id",
                "statement",
                "status",
                "recommended_by_person__name",
                "recommended_by_source__name",
            )
            .in_bulk()
        )
        for hit in hits:
            rec = rows.get(hit.key)
            if rec is None:
                continue
            by = rec.recommended_by_person or rec.recommended_by_source
            hit.snippet = snippet(rec.statement, query)
            hit.detail = rec.get_status_display() + (
                f" · recommended by {by.name}" if by else ""
            )
