"""Seeding of the curated structured records: actors, places, incidents, figures.

Run by `newsdesk.seeding.NewsroomSeeder` after the articles, through
`extensions.seed_parts`; as idempotent as the rest of the seed.
"""

from __future__ import annotations

from typing import Any

from django.utils.dateparse import parse_date

from incidents.models import (
    Actor,
    ActorAlias,
    CandidateStatus,
    Figure,
    FigureCandidate,
    Incident,
    IncidentActor,
    Place,
    Recommendation,
)
from incidents.services import (
    figure_add,
    figure_candidate_confirm,
    figure_candidate_dismiss,
    recommendation_create,
)
from newsdesk.extensions import SeedPart
from newsdesk.seeding import NewsroomSeeder, fixture_fields


class IncidentRecords:
    """One run's structured records, keyed by the fixture's slugs."""

    def __init__(self, seeder: NewsroomSeeder) -> None:
        self.seeder = seeder
        self.fixture = seeder.fixture
        self.actors: dict[str, Actor] = {}
        self.places: dict[str, Place] = {}
        self.incidents: dict[str, Incident] = {}

    def run(self) -> None:
        for row in self.fixture.get("actors", []):
            self.actors[row["slug"]] = self._actor(row)
        for row in self.fixture.get("places", []):
            self.places[row["slug"]] = self.seeder.upsert(
                Place,
                {"slug": row["slug"]},
                fixture_fields(row, exclude={"slug"}),
                "places",
            )
        for row in self.fixture.get("incidents", []):
            self.incidents[row["slug"]] = self._incident(row)
        for row in self.fixture.get("figures", []):
            self._figure(row)
        for row in self.fixture.get("dismissed_candidates", []):
            candidates = FigureCandidate.objects.filter(
                article=self.seeder.articles[row["article"]],
                text=row["text"],
                status=CandidateStatus.PENDING,
            )
            for candidate in candidates:
                figure_candidate_dismiss(candidate=candidate, user=self.seeder.user)
                self.seeder.changes["dismissed suggestions"] += 1
        for row in self.fixture.get("recommendations", []):
            self._recommendation(row)

    def _actor(self, row: dict[str, Any]) -> Actor:
        actor = self.seeder.upsert(
            Actor,
            {"slug": row["slug"]},
            fixture_fields(row, exclude={"slug", "aliases"}),
            "actors",
        )
        for alias in row.get("aliases", []):
            if not ActorAlias.objects.filter(name__iexact=alias).exists():
                ActorAlias.objects.create(actor=actor, name=alias)
                self.seeder.changes["actor aliases"] += 1
        return actor

    def _incident(self, row: dict[str, Any]) -> Incident:
        values = fixture_fields(row, exclude={"slug", "actors", "articles", "place"})
        values["place"] = self.places[row["place"]] if row.get("place") else None
        values["start_date"] = parse_date(values["start_date"])
        values["end_date"] = (
            parse_date(values["end_date"]) if values.get("end_date") else None
        )
        incident = self.seeder.upsert(
            Incident, {"slug": row["slug"]}, values, "incidents"
        )
        for item in row.get("actors", []):
            _, created = IncidentActor.objects.get_or_create(
                incident=incident,
                actor=self.actors[item["actor"]],
                role=item["role"],
                defaults={"note": item.get("note", "")},
            )
            if created:
                self.seeder.changes["incident actors"] += 1
        linked = set(incident.articles.values_list("pk", flat=True))
        missing = [
            self.seeder.articles[slug]
            for slug in row.get("articles", [])
            if self.seeder.articles[slug].pk not in linked
        ]
        if missing:
            incident.articles.add(*missing)
        return incident

    def _figure(self, row: dict[str, Any]) -> None:
        incident = self.incidents[row["incident"]]
        article = self.seeder.articles[row["article"]]
        key = {
            "metric": row["metric"],
            "group": row["group"],
            "low": row["low"],
            "high": row["high"],
            "claimant": row["claimant"],
        }
        if Figure.objects.filter(incident=incident, article=article, **key).exists():
            return
        details = {
            "group": row["group"],
            "qualifier": row.get("qualifier", "exact"),
            "claimant": row["claimant"],
            "excerpt": row.get("excerpt", ""),
            "note": row.get("note", ""),
            "source": article.source,
        }
        candidate = FigureCandidate.objects.filter(
            article=article,
            low=row["low"],
            high=row["high"],
            status=CandidateStatus.PENDING,
        ).first()
        if candidate is not None:
            # The editor confirms the importer's suggestion, keeping the link to it.
            figure_candidate_confirm(
                candidate=candidate,
                incident=incident,
                user=self.seeder.user,
                metric=row["metric"],
                **details,
            )
        else:
            figure_add(
                incident=incident,
                user=self.seeder.user,
                article=article,
                metric=row["metric"],
                low=row["low"],
                high=row["high"],
                **details,
            )
        self.seeder.changes["figures"] += 1

    def _recommendation(self, row: dict[str, Any]) -> None:
        made_in = self.seeder.articles[row["made_in"]]
        person = self.seeder.people.get(row.get("recommended_by_person", ""))
        lookup = Recommendation.objects.filter(
            action=row["action"],
            made_in=made_in,
            addressed_to_group=row.get("addressed_to_group", ""),
            recommended_by_person=person,
        )
        if lookup.exists():
            return
        recommendation_create(
            user=self.seeder.user,
            changed_on=made_in.publish_at.date() if made_in.publish_at else None,
            action=row["action"],
            statement=row["statement"],
            addressed_to_group=row.get("addressed_to_group", ""),
            recommended_by_person=person,
            recommended_by_source=made_in.source,
            made_in=made_in,
            incident=self.incidents.get(row.get("incident", "")),
        )
        self.seeder.changes["recommendations"] += 1


class IncidentSeeding(SeedPart):
    def run(self, seeder: NewsroomSeeder) -> list[str]:
        records = IncidentRecords(seeder)
        records.run()
        figures = Figure.objects.filter(incident__in=records.incidents.values())
        return [f"{len(records.incidents)} incidents", f"{figures.count()} figures"]


incident_seeding = IncidentSeeding()
