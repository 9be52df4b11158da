"""Users, sources, people and topics of a generated archive."""

from __future__ import annotations

from collections.abc import Iterator

from bench.generator.words import (
    AFFILIATIONS,
    BENCH_USERNAME,
    COUNTRIES,
    FIRST_NAMES,
    LAST_NAMES,
    PLACE_WORDS,
    ROLES,
    TOPIC_NAMES,
    host_word,
)


class NewsroomRows:
    """The newsroom's furniture; mixed into `Generator`."""

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
                domain = f"{host_word(rng.choice(PLACE_WORDS))}-news{n}.example"
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
