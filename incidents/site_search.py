"""Incidents and recommendations in the site search (registered in `apps.py`)."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable

from django.db import connections
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString
from django_countries import countries

from incidents.models import Incident, Place, Recommendation, RecommendationAction
from newsdesk.models import Person, Source
from newsdesk.prepared import prepared_read, prepared_word_rows
from newsdesk.site_search import (
    Deferred,
    SearchHit,
    SearchKind,
    SearchQuery,
    any_field,
    declare_rows,
    in_date_range,
    prepared_matches,
    score_text,
    shown_rows,
    snippet,
    text_filter,
)


class IncidentKind(SearchKind):
    """Published incidents by title, summary or place."""

    name, label, plural = "incident", "Incident", "Incidents"
    filters = frozenset({"start", "end", "incident", "country"})
    fields = ("title", "summary", "sub_kind")
    places = ("name", "admin1")

    def matching(
        self, query: SearchQuery, place_keys: list[list[int]] | None = None
    ) -> QuerySet[Incident]:
        """`place_keys`: the keys of the places naming each phrase, if read."""
        incidents = Incident.objects.published().filter(
            text_filter(
                self.fields,
                query,
                {"place": (Place.objects, self.places)},
                keys_first=True,
                related_keys=place_keys,
            )
        )
        f = query.filters
        incidents = in_date_range(incidents, "start_date", f)
        if "incident" in f:
            incidents = incidents.filter(slug=f["incident"])
        if "country" in f:
            incidents = incidents.filter(place__country=f["country"])
        return incidents.order_by("-start_date", "-id")

    def _rows(self, query: SearchQuery, limit: int) -> list[tuple]:
        """(id, title, slug, start date) of the first `limit` matches, read
        through SQL prepared once per shape: on PostgreSQL the places naming
        each phrase are read first (`keys_first`), then the incidents with
        those keys bound."""
        phrases = [*query.wanted, *query.excluded]
        fields = ("id", "title", "slug", "start_date")
        if query.filters or not phrases:
            return list(self.matching(query).values_list(*fields)[:limit])
        if connections[Incident.objects.db].vendor != "postgresql":
            return prepared_matches(
                "search-incidents",
                query,
                lambda q, _moment, n: self.matching(q).values_list(*fields)[:n],
                limit,
            )
        place_keys = [
            [
                row[0]
                for row in prepared_word_rows("search-incident-places", _places, [p])
            ]
            for p in phrases
        ]
        keys = [key for each in place_keys for key in each]
        if len(keys) > MAX_PLACE_KEYS:
            return list(self.matching(query, place_keys).values_list(*fields)[:limit])
        wanted = len(query.wanted)
        counts = tuple(len(each) for each in place_keys)

        def build(_moment, words, keys, _wanted, _counts, n):
            given, start = [], 0
            for count in counts:
                given.append(keys[start : start + count])
                start += count
            q = query.with_phrases(words[:wanted], words[wanted:])
            return self.matching(q, given).values_list(*fields)[:n]

        return prepared_read(
            "search-incidents-keyed",
            build,
            words=phrases,
            keys=keys,
            args=(wanted, counts, limit),
        )

    def vocabulary_texts(self) -> Iterable[str]:
        for title, summary in Incident.objects.published().values_list(
            "title", "summary"
        ):
            yield f"{title} {summary}"

    def count(self, query: SearchQuery, cap: int) -> int:
        return len(self._rows(query, cap + 1))

    def hits(self, query: SearchQuery, limit: int) -> list[SearchHit]:
        rows = self._rows(query, limit)
        declare_rows(self.name, (row[0] for row in rows))
        hits = []
        for key, title, slug, start_date in rows:
            start_date = _date(start_date)
            hits.append(
                SearchHit(
                    kind=self.name,
                    kind_label=self.label,
                    title=title,
                    url=Deferred(functools.partial(_incident_url, slug)),
                    snippet=SafeString(""),
                    date=start_date,
                    # Every word is in the title, the summary or the place.
                    score=score_text(query, title, when=start_date, matched=True) + 0.5,
                    key=key,
                )
            )
        return hits

    def describe(self, hits: list[SearchHit], query: SearchQuery) -> None:
        rows = shown_rows(
            self.name,
            "search-describe-incidents",
            lambda _moment, _words, keys: (
                Incident.objects.published()
                .filter(pk__in=keys)
                .values_list(
                    "id",
                    "kind",
                    "summary",
                    "place_id",
                    "place__name",
                    "place__admin1",
                    "place__country",
                )
            ),
            hits,
        )
        declare_rows("place", (row[3] for row in rows.values() if row[3]))
        kinds = dict(Incident._meta.get_field("kind").flatchoices)
        names = _country_names(translation.get_language() or "")
        for hit in hits:
            row = rows.get(hit.key)
            if row is None:
                continue
            _, kind, summary, place_id, name, admin1, country = row
            # As `str(place)`: its name, region and country.
            parts = [name, admin1, names.get(country, "") if country else ""]
            place = ", ".join(p for p in parts if p) if place_id else ""
            hit.snippet = snippet(summary or place, query)
            hit.detail = f"{kinds.get(kind, kind)}{' · ' + place if place else ''}"


# More keys of places naming the words than this, and the incidents are read
# through the ORM (each number of keys is a shape of its own).
MAX_PLACE_KEYS = 40


def _places(_moment, words) -> QuerySet[Place]:
    return Place.objects.filter(
        any_field(list(IncidentKind.places), words[0])
    ).values_list("pk")


def _incident_url(slug: str) -> str:
    return reverse("incidents:incident_detail", kwargs={"slug": slug})


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
        rows = self._parts(query, limit, ordered=True)
        rows.sort(key=lambda row: -row[0])
        rows = rows[:limit]
        declare_rows(self.name, (row[0] for row in rows))
        return rows

    def _parts(self, query: SearchQuery, limit: int, *, ordered: bool) -> list[tuple]:
        """Up to `limit` matching rows of each part of `public()`; `ordered`,
        the newest (walking the table backwards, which reads every row for a
        word no row holds), else any (the statement's trigram index)."""
        rows = []
        for part in range(2):
            rows += prepared_matches(
                "search-recommendations" if ordered else "search-recommendations-any",
                query,
                lambda q, moment, part, n: self._narrowed(
                    Recommendation.objects.filter(self._words(q)).public_parts(moment)[
                        part
                    ],
                    q,
                    ordered=ordered,
                ).values_list(*self.row_fields)[:n],
                part,
                limit,
            )
        return rows

    def count(self, query: SearchQuery, cap: int) -> int:
        # Any rows, not the newest: the number counted is the same.
        rows = self._parts(query, cap + 1, ordered=False)[: cap + 1]
        declare_rows(self.name, (row[0] for row in rows))
        return len(rows)

    def _narrowed(
        self,
        recommendations: QuerySet[Recommendation],
        query: SearchQuery,
        *,
        ordered: bool = True,
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
        return (
            recommendations.order_by("-id") if ordered else recommendations.order_by()
        )

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
        rows = shown_rows(
            self.name,
            "search-describe-recommendations",
            lambda moment, _words, keys: (
                Recommendation.objects.public(moment)
                .filter(pk__in=keys)
                .values_list(
                    "id",
                    "statement",
                    "status",
                    "recommended_by_person_id",
                    "recommended_by_person__name",
                    "recommended_by_source_id",
                    "recommended_by_source__name",
                )
            ),
            hits,
        )
        declare_rows("person", (row[3] for row in rows.values() if row[3]))
        declare_rows("source", (row[5] for row in rows.values() if row[5]))
        statuses = dict(Recommendation._meta.get_field("status").flatchoices)
        for hit in hits:
            row = rows.get(hit.key)
            if row is None:
                continue
            _, statement, status, person_id, person, source_id, source = row
            by = person if person_id else source if source_id else None
            hit.snippet = snippet(statement, query)
            hit.detail = str(statuses.get(status, status)) + (
                f" · recommended by {by}" if by is not None else ""
            )
