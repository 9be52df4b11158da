"""Review with comments: an editor approves or requests changes; the author answers.

Requesting changes sends the article back to draft with the reviewer's comment
for its author, who sees it on the dashboard; resubmitting answers the request
with a summary of what changed since (`newsdesk.revisions.compare`). Each step
is a `ReviewNote`, shown in the article's history.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from newsdesk import services
from newsdesk.models import (
    Article,
    ArticleRevision,
    ArticleStatus,
    ReviewNote,
    ReviewVerdict,
)
from newsdesk.revisions.compare import summary
from newsdesk.revisions.services import pending_view
from newsdesk.revisions.snapshot import article_snapshot

User = services.User


def _require_reviewer(user: User | None, verb: str) -> None:
    if not services.user_can_publish(user):
        raise PermissionDenied(f"Only editors can {verb}.")


def _require_in_review(article: Article, verb: str) -> None:
    if article.status != ArticleStatus.IN_REVIEW:
        raise ValidationError(
            f"Only articles in review can be {verb}; this article is "
            f"{article.display_status.lower()}.",
            code="invalid_transition",
        )


def _snapshot(article: Article) -> dict[str, Any]:
    """The article as readers see it, with pending changes when it is live."""
    live = article_snapshot(article)
    pending = ArticleRevision.objects.pending().filter(article=article).first()
    return pending_view(pending, live) if pending is not None else live


def _check_version(current: Article, expected_version: int | None) -> None:
    if expected_version is not None and current.version != expected_version:
        raise services.ArticleConflict(
            services.conflict_message(current), code="version_conflict"
        )


def article_request_changes(
    *,
    article: Article,
    user: User | None,
    comment: str,
    expected_version: int | None = None,
) -> ReviewNote:
    """Send an article in review back to its author as a draft, saying what to change."""
    _require_reviewer(user, "request changes")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {"comment": "Say what the author should change."}, code="required"
        )
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        _check_version(current, expected_version)
        _require_in_review(current, "sent back with changes requested")
        services.article_return_to_draft(article=article, user=user)
        note = ReviewNote.objects.create(
            article=current,
            verdict=ReviewVerdict.CHANGES_REQUESTED,
            comment=comment,
            created_by=user,
            addressed_to=current.created_by,
            snapshot=_snapshot(current),
        )
    return note


def article_approve(
    *,
    article: Article,
    user: User | None,
    comment: str = "",
    expected_version: int | None = None,
) -> ReviewNote:
    """Record an editor's approval of an article in review; it stays ready to publish."""
    _require_reviewer(user, "approve articles")
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        _check_version(current, expected_version)
        _require_in_review(current, "approved")
        return ReviewNote.objects.create(
            article=current,
            verdict=ReviewVerdict.APPROVED,
            comment=(comment or "").strip(),
            created_by=user,
            addressed_to=current.created_by,
        )


def article_submit(
    *, article: Article, user: User | None, expected_version: int | None = None
) -> ReviewNote | None:
    """Submit a draft for review; after a request for changes, say what changed.

    Returns the resubmission note when it answered open requests, else None.
    """
    with transaction.atomic():
        services.article_submit(
            article=article, user=user, expected_version=expected_version
        )
        requests = list(
            ReviewNote.objects.open_requests()
            .filter(article=article)
            .select_for_update()
            .order_by("created_at", "id")
        )
        if not requests:
            return None
        current = Article.objects.get(pk=article.pk)
        changed = summary(requests[0].snapshot, _snapshot(current))
        answer = ReviewNote.objects.create(
            article=current,
            verdict=ReviewVerdict.RESUBMITTED,
            comment=f"Changed since changes were requested: {changed}",
            created_by=user if getattr(user, "pk", None) else None,
            addressed_to=requests[-1].created_by,
        )
        ReviewNote.objects.filter(pk__in=[r.pk for r in requests]).update(
            answered_at=timezone.now(), answer=answer
        )
    return answer


def review_notes_for(article: Article) -> list[ReviewNote]:
    """The article's review, newest first, with who wrote each note."""
    return list(
        ReviewNote.objects.filter(article=article)
        .select_related("created_by", "addressed_to")
        .order_by("-created_at", "-id")
    )


def changes_requested_of(user: User | None) -> Any:
    """Open requests for changes to `user`'s articles, newest first."""
    if not getattr(user, "pk", None):
        return ReviewNote.objects.none()
    return (
        ReviewNote.objects.open_requests()
        .filter(addressed_to=user)
        .select_related("article", "created_by")
        .order_by("-created_at", "-id")
    )
