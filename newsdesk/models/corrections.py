"""Corrections and clarifications appended to articles."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import OuterRef
from django.utils import timezone

from newsdesk.models.articles import Article, published_article, retracted_article


class CorrectionKind(models.TextChoices):
    CORRECTION = "correction", "Correction"
    CLARIFICATION = "clarification", "Clarification"
    UPDATE = "update", "Update"


class CorrectionQuerySet(models.QuerySet):
    def public(self, moment: datetime.datetime | None = None) -> CorrectionQuerySet:
        """Corrections on published articles only (as of `moment`, default now)."""
        return self.filter(published_article(OuterRef("article"), moment))

    def on_retracted(self) -> CorrectionQuerySet:
        """Corrections on articles retracted after publishing: still on record."""
        return self.filter(retracted_article(OuterRef("article")))

    def announced(self) -> CorrectionQuerySet:
        """Corrections readers were shown: `public()` and `on_retracted()`.

        For the newest few, read the two apart and merge them
        (`newsdesk.retractions.corrections_and_retractions`): with the two
        conditions in one query PostgreSQL hashes every published article's id
        before it reads the first correction.
        """
        return self.filter(
            published_article(OuterRef("article"))
            | retracted_article(OuterRef("article"))
        )


class Correction(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(
        max_length=20, choices=CorrectionKind.choices, default=CorrectionKind.CORRECTION
    )
    note = models.TextField(
        help_text="What was wrong and what is right now, for readers."
    )
    published_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ("-published_at", "-id")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.published_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#correction-{self.pk}"
