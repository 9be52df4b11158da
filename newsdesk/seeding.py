"""Seeding: the seed articles imported and the curated newsroom fixture applied.

Idempotent: records are matched by slug, domain or natural key and saved only
when something differs, so a second run changes nothing.
"""

from __future__ import annotations

import datetime
from collections import Counter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import models
from django.utils.dateparse import parse_datetime

from newsdesk import extensions
from newsdesk.importing.importer import FAILED, ArticleImporter
from newsdesk.models import (
    Article,
    ArticleStatus,
    Person,
    Source,
    Topic,
    normalise_domain,
)
from newsdesk.roles import EDITOR
from newsdesk.services import article_publish, article_set_authors, article_update

SEEDS_DIR = Path(settings.BASE_DIR) / "seeds"
SYSTEM_USERNAME = "newsroom-seed"


class NewsroomSeeder:
    """Apply the fixture; `changes` counts what this run created or updated."""

    def __init__(self, fixture: dict[str, Any], *, seeds_dir: Path) -> None:
        self.fixture = fixture
        self.seeds_dir = seeds_dir
        self.changes: Counter[str] = Counter()
        self.sources: dict[str, Source] = {}
        self.people: dict[str, Person] = {}
        self.topics: dict[str, Topic] = {}
        self.articles: dict[str, Article] = {}
        # What other apps' parts seeded, for the summary line ("3 incidents").
        self.summary: list[str] = []

    def run(self) -> None:
        self.user = self._system_user()
        for row in self.fixture.get("sources", []):
            self.sources[row["domain"]] = self.upsert(
                Source,
                {"domain": row["domain"]},
                fixture_fields(row, exclude={"domain"}),
                "sources",
            )
        for row in self.fixture.get("people", []):
            self.people[row["slug"]] = self._person(row)
        for row in self.fixture.get("topics", []):
            self.topics[row["slug"]] = self.upsert(
                Topic,
                {"slug": row["slug"]},
                fixture_fields(row, exclude={"slug"}),
                "topics",
            )
        for row in self.fixture.get("articles", []):
            self.articles[row["slug"]] = self._article(row)
        for part in extensions.seed_parts:
            self.summary.extend(part.run(self))

    # --- users and editorial records -----------------------------------------

    def _system_user(self):
        """The non-login account the seed acts as, so services check real permissions."""
        username = self.fixture.get("system_user", SYSTEM_USERNAME)
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"is_staff": False, "is_active": True}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            self.changes["users"] += 1
        user.groups.add(Group.objects.get(name=EDITOR))
        return get_user_model().objects.get(pk=user.pk)

    def _person(self, row: dict[str, Any]) -> Person:
        person = (
            Person.objects.filter(slug=row["slug"]).first()
            or Person.objects.filter(name=row["name"]).first()
        )
        if person is None:
            return self.upsert(
                Person, {"slug": row["slug"]}, fixture_fields(row, {"slug"}), "people"
            )
        return self.upsert(Person, {"pk": person.pk}, fixture_fields(row), "people")

    def _article(self, row: dict[str, Any]) -> Article:
        importer = ArticleImporter(user=self.user)
        outcome = importer.import_path(self.seeds_dir / row["file"])
        if outcome.status == FAILED or outcome.article_id is None:
            raise CommandError(f"Seed article {row['file']}: {outcome.reason}")
        if outcome.status == "created":
            self.changes["articles imported"] += 1
        article = Article.objects.get(pk=outcome.article_id)
        if article.needs_headline:
            article = self._curate(article, row)
        if article.status in (ArticleStatus.DRAFT, ArticleStatus.IN_REVIEW) and (
            article.first_published_at is None
        ):
            publish_at = parse_datetime(row["publish_at"])
            article = article_publish(
                article=article, user=self.user, publish_at=publish_at
            )
            self.changes["articles published"] += 1
        return article

    def _curate(self, article: Article, row: dict[str, Any]) -> Article:
        """The editor's work on a freshly imported seed article."""
        wanted = {
            "headline": row["headline"],
            "slug": row["slug"],
            "standfirst": row.get("standfirst", ""),
            "language": row.get("language", "en"),
            "original_language": row.get("original_language", ""),
            "source": self.sources[row["source"]] if row.get("source") else None,
            "original_url": row.get("original_url", ""),
            "needs_headline": False,
        }
        data = {
            name: value
            for name, value in wanted.items()
            if _differs(Article._meta.get_field(name), getattr(article, name), value)
        }
        if data:
            article = article_update(
                article=article,
                user=self.user,
                data=data,
                expected_version=article.version,
            )
            self.changes["articles curated"] += 1
        authors = [self.people[slug] for slug in row.get("authors", [])]
        current = list(
            article.article_authors.order_by("position").values_list(
                "person_id", flat=True
            )
        )
        if current != [person.pk for person in authors]:
            article_set_authors(article=article, authors=authors)
        topics = {self.topics[slug].pk for slug in row.get("topics", [])}
        if set(article.topics.values_list("pk", flat=True)) != topics:
            article.topics.set(topics)
        return article

    # --- shared steps ----------------------------------------------------------

    def upsert(
        self,
        model: type[models.Model],
        lookup: dict[str, Any],
        values: dict[str, Any],
        label: str,
    ) -> Any:
        """Create from `values` if missing; otherwise only fill fields left blank.

        What an editor has since written is never overwritten.
        """
        instance = model.objects.filter(**lookup).first()
        created = instance is None
        if created:
            instance = model(**{k: v for k, v in lookup.items() if k != "pk"})
        # A source the importer named after its bare domain has no real name yet.
        placeholder_name = isinstance(instance, Source) and (
            normalise_domain(instance.name) == instance.domain
        )
        changed = False
        for name, value in values.items():
            field = model._meta.get_field(name)
            current = getattr(instance, name)
            blank = current in (None, "") or (
                placeholder_name and name in ("name", "slug")
            )
            if (created or blank) and _differs(field, current, value):
                setattr(instance, name, value)
                changed = True
        if changed:
            instance.full_clean()
            instance.save()
            self.changes[label] += 1
        return instance


def fixture_fields(
    row: dict[str, Any], exclude: set[str] | frozenset = frozenset()
) -> dict[str, Any]:
    """The model fields of a fixture row: comment and citation keys left out."""
    skip = {"file", "cited"}
    return {
        k: v
        for k, v in row.items()
        if not k.startswith("_") and k not in exclude | skip
    }


def _differs(field: models.Field, current: Any, wanted: Any) -> bool:
    if isinstance(field, models.ForeignKey):
        current_pk = getattr(current, "pk", current)
        wanted_pk = getattr(wanted, "pk", wanted)
        return current_pk != wanted_pk
    if wanted is not None and not isinstance(wanted, (datetime.date, models.Model)):
        try:
            wanted = field.to_python(wanted)
        except ValidationError:
            return True
    if current == wanted:
        return False
    return str(current if current is not None else "") != str(
        wanted if wanted is not None else ""
    )
