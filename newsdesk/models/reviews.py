"""What a reviewer said about an article: approval, or changes requested with a comment."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ReviewVerdict(models.TextChoices):
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    RESUBMITTED = "resubmitted", "Resubmitted"


class ReviewNoteQuerySet(models.QuerySet):
    def open_requests(self) -> ReviewNoteQuerySet:
        """Requests for changes the author has not answered by resubmitting yet."""
        return self.filter(
            verdict=ReviewVerdict.CHANGES_REQUESTED, answered_at__isnull=True
        )


class ReviewNote(models.Model):
    """One step of an article's review, kept with its history.

    A request for changes keeps the article as it was then (`snapshot`), so the
    author's resubmission can say what changed since.
    """

    article = models.ForeignKey(
        "newsdesk.Article", on_delete=models.CASCADE, related_name="review_notes"
    )
    verdict = models.CharField(max_length=20, choices=ReviewVerdict.choices)
    comment = models.TextField(
        blank=True, help_text="What the reviewer asks for, or the author answers."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    addressed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="review_notes_received",
        help_text="The article's author, who sees the note on their dashboard.",
    )
    snapshot = models.JSONField(
        default=dict,
        blank=True,
        help_text="The article when changes were requested.",
    )
    answered_at = models.DateTimeField(
        null=True, blank=True, help_text="When the author resubmitted."
    )
    answer = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The resubmission that answered this request.",
    )

    objects = ReviewNoteQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = (
            models.Index(
                fields=("addressed_to", "verdict", "answered_at"),
                name="review_note_inbox_idx",
            ),
        )

    def __str__(self) -> str:
        return f"{self.get_verdict_display()} on {self.article_id}"
