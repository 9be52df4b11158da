"""Reader comments and their moderation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import OuterRef

from newsdesk.models.articles import Article, published_article


class CommentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    SPAM = "spam", "Spam"
    REMOVED = "removed", "Removed"


class CommentQuerySet(models.QuerySet):
    def approved(self) -> CommentQuerySet:
        return self.filter(status=CommentStatus.APPROVED)

    def public(self) -> CommentQuerySet:
        """Approved comments on published articles: all readers may see."""
        return self.approved().filter(published_article(OuterRef("article")))

    def pending(self) -> CommentQuerySet:
        return self.filter(status=CommentStatus.PENDING)


class Comment(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="comments"
    )
    name = models.CharField(max_length=100)
    email = models.EmailField(help_text="Never shown or exported.")
    body = models.TextField(
        max_length=5000, help_text="Plain text; never rendered as HTML."
    )
    status = models.CharField(
        max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    moderated_at = models.DateTimeField(null=True, blank=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ("created_at", "id")
        permissions = (
            ("moderate_comment", "Can approve, mark as spam and remove comments"),
        )
        indexes = (
            models.Index(
                fields=("article", "status", "created_at"), name="comment_article_idx"
            ),
            models.Index(fields=("status", "-created_at"), name="comment_status_idx"),
        )

    def __str__(self) -> str:
        return f"{self.name} on {self.article_id}"
