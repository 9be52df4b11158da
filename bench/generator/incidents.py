"""Places, actors, incidents with figures, and recommendations with their histories."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from bench.generator.words import (
    ADMIN1,
    COUNTRIES,
    OBJECTS,
    ORIGIN_COUNTRIES,
    PLACE_WORDS,
    SENTENCES,
)


class IncidentRows:
    """The incident tracker's rows; mixed into `Generator`."""

    def _places_and_actors(self) -> None:
        from incidents.models import Actor, ActorAlias, ActorKind, Place, PlaceKind

        rng = self.rng
        place_kinds = [k for k, _ in PlaceKind.choices]
        start = self._next_id(Place)
        self.place_ids = list(range(start, start + 500))

        def places() -> Iterator[Place]:
            for pk in self.place_ids:
                name = f"{rng.choice(PLACE_WORDS)} {rng.choice(OBJECTS)} {pk}"
                yield Place(
                    pk=pk,
                    name=name,
                    slug=f"place-{pk}",
                    kind=rng.choice(place_kinds),
                    admin1=rng.choice(ADMIN1),
                    country=rng.choice(COUNTRIES[:12]),
                    latitude=round(rng.uniform(10, 38), 6),
                    longitude=round(rng.uniform(-5, 50), 6),
                    geo_precision=rng.choice((1, 1, 2, 3)),
                )

        self._write(Place, places())

        actor_kinds = [k for k, _ in ActorKind.choices]
        start = self._next_id(Actor)
        self.actor_ids = list(range(start, start + 300))
        self._write(
            Actor,
            (
                Actor(
                    pk=pk,
                    name=f"{rng.choice(PLACE_WORDS)} {rng.choice(('Brigade', 'Front', 'Forces', 'Police', 'Army', 'Council'))} {pk}",
                    slug=f"actor-{pk}",
                    kind=rng.choice(actor_kinds),
                    country=rng.choice(COUNTRIES),
                )
                for pk in self.actor_ids
            ),
        )
        self._write(
            ActorAlias,
            (ActorAlias(actor_id=pk, name=f"Alias {pk}") for pk in self.actor_ids[::3]),
        )

    def _incidents(self) -> None:
        from incidents.models import (
            ActorRole,
            DatePrecision,
            Figure,
            FigureGroup,
            Incident,
            IncidentActor,
            IncidentKind,
            IncidentStatus,
            Metric,
            Qualifier,
            Verification,
        )

        rng = self.rng
        kinds = [k for k, _ in IncidentKind.choices]
        verifications = [v for v, _ in Verification.choices]
        start = self._next_id(Incident)
        self.incident_ids = list(range(start, start + self.incidents))
        drafts = max(1, self.incidents // 20)
        self.published_incident_ids = self.incident_ids[:-drafts]
        first_day = (self.now - datetime.timedelta(days=3650)).date()
        self.incident_status_counts = {
            "published": len(self.published_incident_ids),
            "draft": drafts,
        }

        def incidents() -> Iterator[Incident]:
            for index, pk in enumerate(self.incident_ids):
                day = first_day + datetime.timedelta(
                    days=int(3650 * (index + 1) / (self.incidents + 1))
                )
                kind = rng.choice(kinds)
                yield Incident(
                    pk=pk,
                    title=f"{IncidentKind(kind).label} at {rng.choice(PLACE_WORDS)} {pk}",
                    slug=f"incident-{pk}",
                    kind=kind,
                    summary=" ".join(rng.sample(SENTENCES, 3)),
                    start_date=day,
                    end_date=day + datetime.timedelta(days=rng.choice((0, 0, 1, 6))),
                    date_precision=rng.choice(
                        (DatePrecision.DAY,) * 5 + (DatePrecision.MONTH,)
                    ),
                    place_id=rng.choice(self.place_ids),
                    verification=rng.choice(verifications),
                    status=(
                        IncidentStatus.DRAFT
                        if index >= self.incidents - drafts
                        else IncidentStatus.PUBLISHED
                    ),
                    in_focus=index >= self.incidents - drafts - 6,
                )

        self._write(Incident, incidents())

        def incident_actors() -> Iterator[IncidentActor]:
            for pk in self.incident_ids:
                perpetrator, target = rng.sample(self.actor_ids, 2)
                yield IncidentActor(
                    incident_id=pk, actor_id=perpetrator, role=ActorRole.PERPETRATOR
                )
                yield IncidentActor(
                    incident_id=pk, actor_id=target, role=ActorRole.TARGET
                )

        self._write(IncidentActor, incident_actors())

        published = self.published_ids
        through = Incident.articles.through

        def incident_articles() -> Iterator[Any]:
            for pk in self.incident_ids:
                for article in set(rng.choices(published, k=rng.randint(1, 3))):
                    yield through(incident_id=pk, article_id=article)

        self._write(through, incident_articles(), label="incidents.Incident_articles")

        metrics = [Metric.KILLED, Metric.INJURED, Metric.ESCAPED, Metric.DETAINED]
        groups = [g for g, _ in FigureGroup.choices]
        claimants = (
            "SDF",
            "ISIS via Amaq",
            "Syrian Observatory",
            "Coalition",
            "Local officials",
        )

        def figures() -> Iterator[Figure]:
            for pk in self.incident_ids:
                metric, group = rng.choice(metrics), rng.choice(groups)
                base = rng.randint(1, 200)
                for claim in range(3):
                    low = base + rng.randint(-3, 3) * claim
                    low = max(low, 0)
                    cited = rng.random() < 0.5
                    yield Figure(
                        incident_id=pk,
                        metric=metric,
                        group=group,
                        low=low,
                        high=low + rng.choice((0, 0, 5)),
                        qualifier=rng.choice((Qualifier.EXACT, Qualifier.ABOUT)),
                        claimant=claimants[claim % len(claimants)],
                        article_id=rng.choice(published) if cited else None,
                        source_id=None if cited else rng.choice(self.source_ids),
                        reported_on=(
                            self.now - datetime.timedelta(days=rng.randint(1, 3000))
                        ).date(),
                    )

        self._write(Figure, figures())

    def _recommendations(self) -> None:
        from incidents.models import (
            Recommendation,
            RecommendationAction,
            RecommendationStatus,
            RecommendationUpdate,
        )

        rng = self.rng
        actions = [a for a, _ in RecommendationAction.choices]
        statuses = [s for s, _ in RecommendationStatus.choices]
        start = self._next_id(Recommendation)
        ids = list(range(start, start + self.recommendations))
        histories: dict[int, list[str]] = {}

        def recommendations() -> Iterator[Recommendation]:
            for pk in ids:
                history = [RecommendationStatus.PROPOSED] + sorted(
                    rng.sample(statuses[1:], rng.randint(0, 2)), key=statuses.index
                )
                histories[pk] = history
                countries = rng.sample(ORIGIN_COUNTRIES, rng.randint(0, 3))
                action = rng.choice(actions)
                yield Recommendation(
                    pk=pk,
                    action=action,
                    statement=f"Countries of origin should {action.replace('_', ' ')} "
                    "their citizens held in these prisons.",
                    addressed_to_countries=countries,
                    addressed_to_group="" if countries else "countries of origin",
                    recommended_by_person_id=rng.choice(self.person_ids),
                    recommended_by_source_id=(
                        rng.choice(self.source_ids) if rng.random() < 0.5 else None
                    ),
                    made_in_id=rng.choice(self.published_ids),
                    incident_id=(
                        rng.choice(self.published_incident_ids)
                        if rng.random() < 0.6
                        else None
                    ),
                    status=history[-1],
                    status_changed_on=(self.now - datetime.timedelta(days=10)).date(),
                )

        self._write(Recommendation, recommendations())

        def updates() -> Iterator[RecommendationUpdate]:
            for pk in ids:
                history = histories[pk]
                for step, status in enumerate(history):
                    yield RecommendationUpdate(
                        recommendation_id=pk,
                        status=status,
                        changed_on=(
                            self.now
                            - datetime.timedelta(days=10 * (len(history) - step))
                        ).date(),
                        note="Status recorded from public statements.",
                        evidence_article_id=rng.choice(self.published_ids),
                        created_by_id=self.user_id,
                    )

        self._write(RecommendationUpdate, updates())
