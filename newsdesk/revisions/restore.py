"""Restoring a revision: never straight to live."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from newsdesk.models import Article, ArticleRevision, ArticleStatus
from newsdesk.revisions.services import article_save_pending
from newsdesk.revisions.snapshot import snapshot_apply


def article_restore_revision(
    *, article: Article, revision: ArticleRevision, user: Any
) -> str:
    """Bring back `revision`: as pending changes of a live article, else as an edit."""
    if article.status == ArticleStatus.RETRACTED:
        raise ValidationError(
            "A retracted article keeps its text; nothing was restored.",
            code="invalid_transition",
        )
    if article.status == ArticleStatus.PUBLISHED:
        staged = article_save_pending(
            article=article, snapshot=revision.snapshot, user=user
        )
        if staged is None:
            return "That revision is the live version: nothing to restore."
        return (
            "Restored into the pending changes. Readers still see the live "
            "version until an editor publishes the changes."
        )
    snapshot_apply(article=article, snapshot=revision.snapshot, user=user)
    return "Restored. The article now holds that revision."
