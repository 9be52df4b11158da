"""The archive generator: plans every row and writes them in chunks with bulk inserts."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from typing import Any

from bench.generator.articles import ArticleRows
from bench.generator.database import (
    explicit_timestamps,
    rebuild_search_index,
    search_triggers_paused,
)
from bench.generator.incidents import IncidentRows
from bench.generator.newsroom import NewsroomRows
from bench.generator.words import chunked
from newsdesk import planner_statistics


class Generator(NewsroomRows, ArticleRows, IncidentRows):
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
            for chunk in chunked(rows, self.batch_size):
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
        if connection.vendor == "sqlite":
            # As the app's own `migrate` does on every deploy.
            started = time.monotonic()
            planner_statistics.analyze(connection.alias)
            self.log(f"analyze in {time.monotonic() - started:.1f}s")
        if connection.vendor == "postgresql":
            # Reclaim the row versions the index rebuild left behind and take
            # fresh statistics now, rather than whenever autovacuum gets to it.
            started = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute(
                    "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
                )
            self.log(f"vacuum and analyze in {time.monotonic() - started:.1f}s")


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
