"""Revisions of articles: every saved state, and the pending changes of a live one.

The article's own row always holds the live content readers see, so the one
`published()` gate never meets a pending text. Changes prepared for a live
article wait here as its single pending revision until an editor publishes
(or discards) them; every other save is kept as a record to compare.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from newsdesk.models.articles import Article


class RevisionKind(models.TextChoices):
    SAVED = "saved", "Saved"
    PENDING = "pending", "Pending changes"
    PROPOSED = "proposed", "Earlier save of pending changes"
    DISCARDED = "discarded", "Discarded pending changes"
    PUBLISHED = "published", "Published"


class ArticleRevisionQuerySet(models.QuerySet):
    def pending(self) -> ArticleRevisionQuerySet:
        """The changes waiting to go live, at most one per article."""
        return self.filter(kind=RevisionKind.PENDING)

    def due(self, moment=None) -> ArticleRevisionQuerySet:
        """Pending changes whose scheduled publish time has come."""
        return self.pending().filter(publish_at__lte=moment or timezone.now())

    def submitted(self) -> ArticleRevisionQuerySet:
        """Pending changes a reporter has sent to the editors for review."""
        return self.pending().filter(submitted_at__isnull=False)


class ArticleRevision(models.Model):
    """One saved state of an article, as the snapshot `article_snapshot` takes."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="revisions"
    )
    kind = models.CharField(
        max_length=20,
        choices=RevisionKind.choices,
        help_text="Pending changes wait for an editor; the others are records.",
    )
    snapshot = models.JSONField(
        help_text="The whole article as readers would see it in this revision."
    )
    base_snapshot = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="Pending changes: the live version they were saved against, so "
        "edits made live since are kept when they are published.",
    )
    based_on_version = models.PositiveIntegerField(
        help_text="The article's version (of its live row) this revision started from."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    publish_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When pending changes are scheduled to go live; empty waits "
        "for an editor.",
    )
    submitted_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the pending changes were submitted to the editors for review.",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When these changes went live.",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text="What this revision was, in a few words (restored from, discarded).",
    )

    objects = ArticleRevisionQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = (
            models.Index(
                fields=("article", "-created_at", "-id"),
                name="article_revision_history_idx",
            ),
            models.Index(
                fields=("publish_at",),
                condition=Q(kind="pending", publish_at__isnull=False),
                name="article_revision_due_idx",
            ),
        )
        constraints = (
            models.UniqueConstraint(
                fields=("article",),
                condition=Q(kind="pending"),
                name="article_revision_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=RevisionKind.values),
                name="article_revision_kind_known",
            ),
        )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of article {self.article_id} ({self.pk})"

    @property
    def is_pending(self) -> bool:
        return self.kind == RevisionKind.PENDING
