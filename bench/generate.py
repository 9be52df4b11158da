"""Fill an empty database with a realistic newsroom archive, fast.

Rows are built in memory in chunks and written with `bulk_create` under
explicit primary keys, so a million articles never sit in memory at once and
no per-row `save()` runs. Each distinct Markdown body is rendered once.

    python -m bench.generate --articles 100000
    python -m bench.generate --articles 1000000      # PostgreSQL
    python -m bench.generate --scraped-files 10000 --out DIR
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import os
import random
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

BENCH_USERNAME = "bench-editor"

COUNTRIES = (
    "SY", "IQ", "TR", "LB", "JO", "IR", "YE", "LY", "ML", "NG", "SO", "AF",
    "FR", "DE", "GB", "BE", "NL", "SE", "IT", "ES", "US", "RU", "TN", "MA",
)  # fmt: skip
ORIGIN_COUNTRIES = ("FR", "DE", "GB", "BE", "NL", "SE", "IT", "TN", "MA", "RU", "US")
ADMIN1 = (
    "Al-Hasakah", "Deir ez-Zor", "Raqqa", "Aleppo", "Idlib", "Nineveh", "Anbar",
    "Kirkuk", "Salah al-Din", "Diyala", "Borno", "Gao", "Kidal", "Tripoli",
)  # fmt: skip
PLACE_WORDS = (
    "Ghwayran", "al-Sina'a", "al-Hol", "Roj", "Qamishli", "Hasaka", "Shaddadi",
    "Manbij", "Kobani", "Tabqa", "Mosul", "Tal Afar", "Sinjar", "Fallujah",
    "Ramadi", "Tikrit", "Baiji", "Hawija", "Maiduguri", "Menaka", "Sirte",
)  # fmt: skip
SUBJECTS = (
    "ISIS cells", "Militants", "Security forces", "The SDF", "Coalition aircraft",
    "Detainees", "Gunmen", "Government troops", "Local militias", "Insurgents",
    "Human rights groups", "Aid agencies", "Prosecutors", "Officials",
)  # fmt: skip
VERBS = (
    "attack", "storm", "retake", "raid", "besiege", "free prisoners from",
    "clash near", "warn about", "report on", "investigate", "secure",
)  # fmt: skip
OBJECTS = (
    "detention centre", "prison", "camp", "checkpoint", "military base",
    "border crossing", "supply route", "village", "oil field", "courthouse",
)  # fmt: skip
TOPIC_NAMES = (
    "Detention", "Repatriation", "Prosecution", "Rehabilitation", "Syria", "Iraq",
    "Sahel", "Libya", "Islamic State", "Prison breaks", "Foreign fighters",
    "Children in camps", "Drones", "Coalition", "Kurdish forces", "Human rights",
    "Justice", "Refugees", "Counter-terrorism", "Intelligence", "Weapons",
    "Ceasefires", "Elections", "Sanctions", "Humanitarian aid", "Borders",
    "Militias", "Hostages", "Courts", "Minorities", "Water", "Energy",
    "Reconstruction", "Displacement", "Detention conditions", "Amnesty",
    "Peace talks", "Air strikes", "Mines", "Propaganda",
)  # fmt: skip
FIRST_NAMES = (
    "Emmanuel", "Roberto", "Amina", "Leila", "Omar", "Sara", "Jonas", "Marta",
    "Yusuf", "Hana", "Karim", "Nadia", "Pieter", "Ingrid", "Farid", "Rania",
    "Tomas", "Elena", "Samir", "Aya", "Lukas", "Mariam", "Hassan", "Claire",
)  # fmt: skip
LAST_NAMES = (
    "Karagiannis", "Colella", "Haddad", "Rahman", "Jansen", "Okafor", "Rossi",
    "Nasser", "Lindqvist", "Moreau", "Aziz", "Kowalski", "Barzani", "Dubois",
    "Yilmaz", "Schmidt", "Hussein", "Novak", "Osman", "Fischer", "Mansour",
)  # fmt: skip
AFFILIATIONS = (
    "King's College London", "Human Rights Watch", "the SDF", "UNICEF",
    "the US-led coalition", "Chatham House", "the Kurdish Red Crescent",
    "the University of Bologna", "the International Crisis Group", "",
)  # fmt: skip
ROLES = ("security expert", "spokesperson", "researcher", "analyst", "commander", "")
SENTENCES = (
    "Fighters attacked the facility at night, freeing dozens of detainees.",
    "The SDF said it had regained control after six days of fighting.",
    "About 12,000 suspected members of the group are held in prisons in the region.",
    "More than 2,000 foreigners from nearly 50 countries are among them.",
    "Officials described the assault as the most sophisticated in years.",
    "Residents fled as clashes spread to the surrounding neighbourhoods.",
    "Coalition aircraft supported the ground operation, a spokesperson said.",
    "Human rights groups have described the conditions as inhuman and degrading.",
    "Countries of origin have been urged to repatriate their citizens.",
    "Analysts warn that the camps provide ideal conditions for radicalisation.",
    "The attack followed months of warnings about the prison's vulnerability.",
    "Local authorities imposed a curfew and searched nearby houses.",
    "Several guards were killed in the first hours of the assault.",
    "The group claimed responsibility through its news agency.",
    "Prosecutors have opened an investigation into the escape.",
    "Aid agencies said children were among those trapped inside.",
)  # fmt: skip
QUOTES = (
    "It is a ticking bomb ready to explode at any moment.",
    "Despite the loss of territory, the group has not been totally defeated.",
    "It is perhaps too early to say that it is resurgent, but things do not look good.",
    "Countries of origin must take responsibility for their citizens.",
    "The detention facilities need to be secured as a matter of urgency.",
    "We regained control of the prison after six days of fighting.",
)  # fmt: skip
COMMENT_BODIES = (
    "Thank you for this reporting.",
    "Is there an update on the number of detainees?",
    "The figures in the second paragraph differ from other reports.",
    "A clear and careful account of a complicated situation.",
)  # fmt: skip
DISTINCT_BODIES = 48
DISTINCT_STANDFIRSTS = 32


def _host_word(word: str) -> str:
    return re.sub(r"[^a-z0-9]", "", word.lower())


def _headline(rng: random.Random) -> str:
    return (
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} "
        f"{rng.choice(OBJECTS)} in {rng.choice(PLACE_WORDS)}"
    )


def _paragraphs(rng: random.Random, count: int) -> list[str]:
    return [" ".join(rng.sample(SENTENCES, rng.randint(3, 6))) for _ in range(count)]


def _body(rng: random.Random) -> str:
    parts = _paragraphs(rng, rng.randint(6, 12))
    parts.insert(2, f"> “{rng.choice(QUOTES)}”")
    parts.insert(4, f"## {rng.choice(TOPIC_NAMES)}")
    return "\n\n".join(parts)


def _chunks(iterable: Iterator[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(iterable)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


class Generator:
    """Builds one archive; `run()` returns the number of rows written per model."""

    def __init__(
        self,
        *,
        articles: int,
        incidents: int | None = None,
        recommendations: int | None = None,
        seed: int = 20220120,
        batch_size: int = 5000,
        log: Callable[[str], None] | None = None,
    ) -> None:
        from django.utils import timezone

        self.published = max(articles, 1)
        self.incidents = (
            incidents
            if incidents is not None
            else min(10_000, max(20, self.published // 10))
        )
        self.recommendations = (
            recommendations
            if recommendations is not None
            else min(5_000, max(10, self.published // 20))
        )
        self.rng = random.Random(seed)
        self.batch_size = batch_size
        self.log = log or (lambda message: None)
        self.now = timezone.now().replace(microsecond=0)
        self.counts: dict[str, int] = {}
        self.published_ids: list[int] = []

    # -- helpers ------------------------------------------------------------

    def _write(self, model: type, rows: Iterator[Any], label: str | None = None) -> int:
        from django.db import transaction

        written = 0
        started = time.monotonic()
        with transaction.atomic():
            for chunk in _chunks(rows, self.batch_size):
                model.objects.bulk_create(chunk, batch_size=self.batch_size)
                written += len(chunk)
        label = label or model._meta.label
        self.counts[label] = self.counts.get(label, 0) + written
        self.log(f"{label}: {written:,} rows in {time.monotonic() - started:.1f}s")
        return written

    @staticmethod
    def _next_id(model: type) -> int:
        from django.db.models import Max

        return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

    # -- the archive --------------------------------------------------------

    def run(self) -> dict[str, int]:
        from newsdesk.models import Article

        if Article.objects.exists():
            raise SystemExit(
                "The database already holds articles; generate into an empty "
                "database (or pass --reset to delete the generated content first)."
            )
        from django.db import transaction

        started = time.monotonic()
        with search_triggers_paused(), explicit_timestamps(Article):
            self._users()
            self._sources()
            self._people()
            self._topics()
            self._plan_articles()
            # Bylines go in first, in the same transaction (foreign keys are
            # checked at commit), so an index trigger on the article row sees
            # its authors as the row is inserted.
            with transaction.atomic():
                self._bylines()
                self._articles()
            self._article_relations()
            self._places_and_actors()
            self._incidents()
            self._recommendations()
        self._finish()
        self.log(f"done in {time.monotonic() - started:.1f}s")
        return self.counts

    def _users(self) -> None:
        from django.contrib.auth import get_user_model

        user_model = get_user_model()
        user, _ = user_model.objects.get_or_create(
            username=BENCH_USERNAME,
            defaults={
                "is_staff": True,
                "is_superuser": True,
                "email": "bench@newsdesk.test",
            },
        )
        user.set_unusable_password()
        user.save()
        self.user_id = user.pk

    def _sources(self) -> None:
        from newsdesk.models import Reliability, Source, SourceKind

        rng = self.rng
        kinds = [k for k, _ in SourceKind.choices]
        grades = [g for g, _ in Reliability.choices]
        count = 200
        start = self._next_id(Source)
        self.source_ids = list(range(start, start + count))
        self.source_domains = {}

        def rows() -> Iterator[Source]:
            for n, pk in enumerate(self.source_ids):
                domain = f"{_host_word(rng.choice(PLACE_WORDS))}-news{n}.example"
                self.source_domains[pk] = domain
                yield Source(
                    pk=pk,
                    name=f"{rng.choice(PLACE_WORDS)} News {n}",
                    slug=f"source-{pk}",
                    domain=domain,
                    homepage=f"https://www.{domain}/",
                    kind=rng.choice(kinds),
                    country=rng.choice(COUNTRIES),
                    language=rng.choice(("en", "en", "en", "it", "fr", "ar")),
                    reliability=rng.choice(grades),
                )

        self._write(Source, rows())

    def _people(self) -> None:
        from newsdesk.models import Person

        rng = self.rng
        count = min(5_000, max(50, self.published // 50))
        start = self._next_id(Person)
        self.person_ids = list(range(start, start + count))

        def rows() -> Iterator[Person]:
            for pk in self.person_ids:
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                yield Person(
                    pk=pk,
                    name=name,
                    slug=f"{name.lower().replace(' ', '-')}-{pk}",
                    affiliation=rng.choice(AFFILIATIONS),
                    title=rng.choice(ROLES),
                    bio=f"{name} writes about security and detention in the region.",
                )

        self._write(Person, rows())

    def _topics(self) -> None:
        from newsdesk.models import Topic

        start = self._next_id(Topic)
        self.topic_ids = list(range(start, start + len(TOPIC_NAMES)))
        self._write(
            Topic,
            (
                Topic(
                    pk=pk,
                    name=name,
                    slug=f"topic-{pk}",
                    description=f"Reporting on {name.lower()}.",
                )
                for pk, name in zip(self.topic_ids, TOPIC_NAMES, strict=True)
            ),
        )

    def _plan_articles(self) -> None:
        """Decide each article's state and primary key before any row is written."""
        from newsdesk.models import Article, ArticleStatus

        extra = max(1, self.published // 100)
        plan = (
            [ArticleStatus.PUBLISHED] * self.published
            + ["draft"] * (2 * extra)
            + ["in_review"] * extra
            + ["scheduled"] * extra
            + ["retracted"] * max(1, extra // 2)
        )
        self.status_counts = {
            "published": self.published,
            "draft": 2 * extra,
            "in_review": extra,
            "scheduled": extra,
            "retracted": max(1, extra // 2),
        }
        self.plan = plan
        self.article_start = self._next_id(Article)
        self.article_end = self.article_start + len(plan)

    def _bylines(self) -> None:
        from newsdesk.models import ArticleAuthor

        rng, people = self.rng, self.person_ids

        def rows() -> Iterator[ArticleAuthor]:
            for pk in range(self.article_start, self.article_end):
                for position, person in enumerate(
                    rng.sample(people, rng.randint(1, 3))
                ):
                    yield ArticleAuthor(
                        article_id=pk, person_id=person, position=position
                    )

        self._write(ArticleAuthor, rows())

    def _articles(self) -> None:
        from django.utils.text import slugify

        from newsdesk.models import Article, ArticleStatus
        from newsdesk.rendering import render_markdown

        rng = self.rng
        bodies = [_body(rng) for _ in range(DISTINCT_BODIES)]
        bodies_html = [render_markdown(body) for body in bodies]
        standfirsts = [
            " ".join(rng.sample(SENTENCES, 2)) for _ in range(DISTINCT_STANDFIRSTS)
        ]
        plan, start = self.plan, self.article_start
        span = datetime.timedelta(days=3650)
        oldest = self.now - span
        step = span / (self.published + 1)
        self.draft_ids: list[int] = []

        def rows() -> Iterator[Article]:
            published_index = 0
            for offset, kind in enumerate(plan):
                pk = start + offset
                body_index = pk % DISTINCT_BODIES
                fields: dict[str, Any] = {}
                if kind == ArticleStatus.PUBLISHED:
                    published_index += 1
                    moment = oldest + step * published_index
                    fields.update(
                        status=ArticleStatus.PUBLISHED,
                        publish_at=moment,
                        first_published_at=moment,
                    )
                    if rng.random() < 0.05:
                        fields["substantive_update_at"] = moment + datetime.timedelta(
                            hours=6
                        )
                    self.published_ids.append(pk)
                elif kind == "scheduled":
                    fields.update(
                        status=ArticleStatus.PUBLISHED,
                        publish_at=self.now
                        + datetime.timedelta(days=rng.randint(1, 30)),
                    )
                elif kind == "retracted":
                    moment = oldest + span * rng.random()
                    fields.update(
                        status=ArticleStatus.RETRACTED,
                        publish_at=moment,
                        first_published_at=moment,
                        retracted_at=moment + datetime.timedelta(days=2),
                        retraction_note="The central claim could not be verified.",
                    )
                else:
                    fields["status"] = kind
                    self.draft_ids.append(pk)
                created = fields.get("publish_at") or self.now - datetime.timedelta(
                    hours=rng.randint(1, 2000)
                )
                created = min(created, self.now)
                headline = _headline(rng)
                source_id = rng.choice(self.source_ids) if rng.random() < 0.7 else None
                translated = rng.random() < 0.08
                slug = f"{slugify(headline)[:180]}-{pk}"
                yield Article(
                    pk=pk,
                    headline=headline,
                    slug=slug,
                    standfirst=standfirsts[pk % DISTINCT_STANDFIRSTS],
                    body=bodies[body_index],
                    body_html=bodies_html[body_index],
                    language="en",
                    original_language="it" if translated else "",
                    source_id=source_id,
                    original_url=(
                        f"https://www.{self.source_domains[source_id]}/{pk}/"
                        if source_id
                        else ""
                    ),
                    version=1,
                    created_by_id=self.user_id,
                    updated_by_id=self.user_id,
                    created_at=created,
                    updated_at=created,
                    **fields,
                )

        self._write(Article, rows())

    def _article_relations(self) -> None:
        from newsdesk.models import (
            Article,
            Comment,
            CommentStatus,
            Correction,
            CorrectionKind,
            Quote,
            RelatedLink,
        )

        rng = self.rng
        article_ids = range(self.article_start, self.article_end)
        people, topics = self.person_ids, self.topic_ids

        through = Article.topics.through

        def article_topics() -> Iterator[Any]:
            for pk in article_ids:
                for topic in rng.sample(topics, rng.randint(1, 3)):
                    yield through(article_id=pk, topic_id=topic)

        self._write(through, article_topics(), label="newsdesk.Article_topics")

        def quotes() -> Iterator[Quote]:
            for pk in article_ids:
                if rng.random() < 0.5:
                    for position in range(rng.randint(1, 2)):
                        yield Quote(
                            article_id=pk,
                            person_id=rng.choice(people),
                            text=rng.choice(QUOTES),
                            attribution=rng.choice(ROLES),
                            position=position,
                        )

        self._write(Quote, quotes())

        published = self.published_ids

        def corrections() -> Iterator[Correction]:
            kinds = [k for k, _ in CorrectionKind.choices]
            for pk in published:
                if rng.random() < 0.03:
                    yield Correction(
                        article_id=pk,
                        kind=rng.choice(kinds),
                        note="An earlier version misstated the number of detainees.",
                        published_at=self.now
                        - datetime.timedelta(minutes=rng.randint(1, 10**6)),
                        created_by_id=self.user_id,
                    )

        self._write(Correction, corrections())

        def comments() -> Iterator[Comment]:
            statuses = [CommentStatus.APPROVED] * 6 + [
                CommentStatus.PENDING,
                CommentStatus.SPAM,
                CommentStatus.REMOVED,
            ]
            for pk in published:
                if rng.random() < 0.3:
                    for _ in range(rng.randint(1, 4)):
                        name = rng.choice(FIRST_NAMES)
                        yield Comment(
                            article_id=pk,
                            name=name,
                            email=f"{name.lower()}{pk}@example.org",
                            body=rng.choice(COMMENT_BODIES),
                            status=rng.choice(statuses),
                        )

        self._write(Comment, comments())

        def related() -> Iterator[RelatedLink]:
            for index, pk in enumerate(published):
                if index and rng.random() < 0.2:
                    yield RelatedLink(
                        article_id=pk, target_id=published[rng.randrange(index)]
                    )

        self._write(RelatedLink, related())

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

    def _finish(self) -> None:
        """Reset sequences, fill the search index, refresh planner statistics."""
        from django.core.management.color import no_style
        from django.db import connection

        from incidents import models as incident_models
        from newsdesk import models as newsdesk_models

        models = [
            m
            for module in (newsdesk_models, incident_models)
            for m in vars(module).values()
            if isinstance(m, type)
            and hasattr(m, "_meta")
            and not m._meta.abstract
            and m._meta.app_label in {"newsdesk", "incidents"}
        ]
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
        started = time.monotonic()
        rebuilt = rebuild_search_index()
        if rebuilt:
            self.log(
                f"search index rebuilt ({rebuilt}) in {time.monotonic() - started:.1f}s"
            )
        if connection.vendor == "postgresql":
            # Reclaim the row versions the index rebuild left behind and take
            # fresh statistics now, rather than whenever autovacuum gets to it.
            # (SQLite is left without statistics, as Django leaves it.)
            started = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute(
                    "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
                )
            self.log(f"vacuum and analyze in {time.monotonic() - started:.1f}s")


SEARCH_REBUILD_NAMES = ("search_index_rebuild", "rebuild_search_index", "rebuild_index")


@contextmanager
def explicit_timestamps(model: type) -> Iterator[None]:
    """Let bulk inserts write `created_at`/`updated_at` as given, like an old archive."""
    fields = [f for f in model._meta.fields if getattr(f, "auto_now", False)] + [
        f for f in model._meta.fields if getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


@contextmanager
def search_triggers_paused() -> Iterator[None]:
    """Suspend the per-row search-index triggers during a bulk load.

    Each inserted byline row would otherwise re-index its article. On
    PostgreSQL the article row's own trigger stays on (its bylines are written
    first); SQLite's index is rebuilt once afterwards (`rebuild_search_index`).
    """
    from django.db import connection

    paused: list[str] = []
    if connection.vendor == "sqlite":
        with suppress(ImportError):
            from newsdesk import search

            search.sqlite_triggers_drop()
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger "
                "WHERE NOT tgisinternal AND tgrelid::regclass::text LIKE 'newsdesk_%%' "
                "AND tgrelid::regclass::text <> 'newsdesk_article'"
            )
            paused = [row[0] for row in cursor.fetchall()]
            for table in paused:
                cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
    try:
        yield
    finally:
        if paused:
            with connection.cursor() as cursor:
                # Inside an outer transaction, deferred foreign-key checks must
                # run before the table may be altered again.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                for table in paused:
                    cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')


def rebuild_search_index(*, missing_only: bool = False) -> str:
    """Fill the full-text index with the search module's own tools.

    Returns what was done ("" when nothing was needed or there is no index).
    With `missing_only`, only rows the index lacks are touched.
    """
    from django.db import connection

    try:
        from newsdesk import search
    except ImportError:
        return ""
    for name in SEARCH_REBUILD_NAMES:
        function = getattr(search, name, None)
        if callable(function) and not missing_only:
            function()
            return name
    if connection.vendor == "sqlite" and hasattr(search, "sqlite_index_install"):
        if missing_only:
            return ""  # `migrate` rebuilds SQLite's index after every run
        search.sqlite_index_install()
        return "sqlite_index_install"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_trigger WHERE tgname = "
                "'newsdesk_article_search_vector_trg'"
            )
            if cursor.fetchone():
                # Touching the headline re-runs the vector trigger, as the
                # migration that created the index does.
                cursor.execute(
                    "UPDATE newsdesk_article SET headline = headline "
                    "WHERE search_vector IS NULL"
                )
                return f"search_vector trigger on {cursor.rowcount} rows"
    return ""


def reset_content() -> None:
    """Delete every editorial and incident row, leaving users and groups."""
    from django.db import transaction

    from incidents import models as im
    from newsdesk import models as nm

    with transaction.atomic():
        for model in (
            im.RecommendationUpdate,
            im.Recommendation,
            im.FigureCandidate,
            im.Figure,
            im.IncidentActor,
            im.Incident,
            im.ActorAlias,
            im.Actor,
            im.Place,
            nm.Comment,
            nm.Correction,
            nm.Quote,
            nm.RelatedLink,
            nm.ArticleRedirect,
            nm.ArticleAuthor,
            nm.Article,
            nm.Person,
            nm.Topic,
            nm.Source,
        ):
            model._base_manager.all().delete()
        for model in (nm.Article, im.Incident, im.Figure, im.Recommendation):
            model.history.all().delete()


def generate(
    *,
    articles: int = 100_000,
    incidents: int | None = None,
    recommendations: int | None = None,
    seed: int = 20220120,
    log: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Fill the current (empty) database; returns rows written per model."""
    return Generator(
        articles=articles,
        incidents=incidents,
        recommendations=recommendations,
        seed=seed,
        log=log,
    ).run()


# --- Scraped files for the importer ------------------------------------------

FURNITURE = (
    "Leave a Reply\n\nYour email address will not be published. "
    "Required fields are marked *\n\nYou May Also Like\n\n"
    "Wooden Skyscrapers Are on the Rise\n\nGuests at a new 20-story hotel…"
)


def write_scraped_files(directory: Path, count: int, *, seed: int = 7) -> list[Path]:
    """Write `count` distinct scraped articles shaped like the seed files."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        paragraphs = _paragraphs(rng, rng.randint(5, 9))
        speaker = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        affiliation = rng.choice(AFFILIATIONS) or "King's College London"
        paragraphs.insert(
            2,
            f"“{rng.choice(QUOTES)[:-1]},” {speaker} of {affiliation}, "
            f"another {rng.choice(ROLES) or 'analyst'}, said.",
        )
        paragraphs.insert(4, f"Read Also {_headline(rng)}")
        paragraphs.append(
            f"File {n}: about {rng.randint(2, 20_000):,} people were detained."
        )
        domain = f"{_host_word(rng.choice(PLACE_WORDS))}.com"
        paragraphs.append(
            f"Source: | This article originally belongs to {domain.title()}"
        )
        paragraphs.append(FURNITURE)
        path = directory / f"{n:05d}.txt"
        path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--articles", type=int, default=100_000, help="published articles"
    )
    parser.add_argument("--incidents", type=int, default=None)
    parser.add_argument("--recommendations", type=int, default=None)
    parser.add_argument("--seed", type=int, default=20220120)
    parser.add_argument(
        "--reset", action="store_true", help="delete existing content first"
    )
    parser.add_argument("--migrate", action="store_true", help="run migrations first")
    parser.add_argument(
        "--scraped-files",
        type=int,
        default=0,
        help="write N scraped files to --out instead",
    )
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)

    if args.scraped_files:
        if args.out is None:
            parser.error("--scraped-files needs --out DIR")
        write_scraped_files(args.out, args.scraped_files)
        print(f"wrote {args.scraped_files} files")
        return 0

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    if args.migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
    if args.reset:
        reset_content()

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    counts = generate(
        articles=args.articles,
        incidents=args.incidents,
        recommendations=args.recommendations,
        seed=args.seed,
        log=log,
    )
    for label, count in counts.items():
        print(f"{label:32} {count:>10,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
