"""Corrections and clarifications appended to articles."""

from __future__ import annotations

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
    def public(self) -> CorrectionQuerySet:
        """Corrections on published articles only."""
        return self.filter(published_article(OuterRef("article")))

    def announced(self) -> CorrectionQuerySet:
        """Corrections readers were shown: on published articles and on articles
        retracted after publishing, whose notes stay on record."""
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
