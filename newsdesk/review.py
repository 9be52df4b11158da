"""Review with comments: an editor approves or requests changes; the author answers.

Requesting changes sends the article back to draft with the reviewer's comment
for its author, who sees it on the dashboard; resubmitting answers the request
with a summary of what changed since (`newsdesk.revisions.compare`). Pending
changes of a live article submitted for review go the same way: approving
publishes them (now or at a time), requesting changes returns them to their
author, still pending. Each step is a `ReviewNote`, shown in the article's
history.
"""

from __future__ import annotations

import datetime
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
from newsdesk.revisions import services as revisions
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


def _answer_requests(current: Article, user: User | None) -> ReviewNote | None:
    """Answer the open requests for changes with what changed since the first."""
    requests = list(
        ReviewNote.objects.open_requests()
        .filter(article=current)
        .select_for_update()
        .order_by("created_at", "id")
    )
    if not requests:
        return None
    now = _snapshot(current)
    changed = summary(requests[0].snapshot, now)
    answer = ReviewNote.objects.create(
        article=current,
        verdict=ReviewVerdict.RESUBMITTED,
        comment=f"Changed since changes were requested: {changed}",
        created_by=user if getattr(user, "pk", None) else None,
        addressed_to=requests[-1].created_by,
        snapshot=now,
    )
    ReviewNote.objects.filter(pk__in=[r.pk for r in requests]).update(
        answered_at=timezone.now(), answer=answer
    )
    return answer


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
        return _answer_requests(Article.objects.get(pk=article.pk), user)


# -- pending changes of a live article ------------------------------------------------


def _submitted_pending(current: Article) -> ArticleRevision:
    pending = (
        ArticleRevision.objects.pending()
        .filter(article=current)
        .select_related("submitted_by", "created_by")
        .first()
    )
    if pending is None or pending.submitted_at is None:
        raise ValidationError(
            "Only pending changes submitted for review can be reviewed; "
            "these are not waiting for review.",
            code="not_submitted",
        )
    return pending


def article_submit_changes(
    *, article: Article, user: User | None
) -> tuple[ArticleRevision, ReviewNote | None]:
    """Submit a live article's pending changes for review; after a request for
    changes, say what changed since. Returns the pending changes and the
    resubmission note (None on a first submission)."""
    with transaction.atomic():
        pending = revisions.article_submit_changes(article=article, user=user)
        return pending, _answer_requests(Article.objects.get(pk=article.pk), user)


def article_request_pending_changes(
    *,
    article: Article,
    user: User | None,
    comment: str,
    expected_pending: int | None = None,
) -> ReviewNote:
    """Return submitted pending changes to their author, saying what to change.

    They stay pending (readers keep the live version) for the author to edit
    and submit again.
    """
    _require_reviewer(user, "request changes")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {"comment": "Say what the author should change."}, code="required"
        )
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        pending = _submitted_pending(current)
        author = pending.submitted_by or pending.created_by
        revisions.article_return_changes(
            article=current, user=user, expected_pending=expected_pending
        )
        return ReviewNote.objects.create(
            article=current,
            verdict=ReviewVerdict.CHANGES_REQUESTED,
            comment=comment,
            created_by=user,
            addressed_to=author,
            snapshot=_snapshot(current),
        )


def article_approve_changes(
    *,
    article: Article,
    user: User | None,
    comment: str = "",
    publish_at: datetime.datetime | None = None,
    substantive: bool = False,
    expected_pending: int | None = None,
) -> tuple[ArticleRevision, ReviewNote | None]:
    """Publish a live article's pending changes (now, or at a future `publish_at`),
    approving them when they were submitted for review or a comment is given.

    Returns the revision (still pending when scheduled) and the approval note.
    Open requests for changes are answered by the approval.
    """
    _require_reviewer(user, "approve changes")
    comment = (comment or "").strip()
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        pending = (
            ArticleRevision.objects.pending()
            .filter(article=current)
            .select_related("submitted_by", "created_by")
            .first()
        )
        author = (pending.submitted_by or pending.created_by) if pending else None
        submitted = pending is not None and pending.submitted_at is not None
        reviewed = _snapshot(current)
        revision = revisions.article_publish_changes(
            article=current,
            user=user,
            publish_at=publish_at,
            substantive=substantive,
            expected_pending=expected_pending,
        )
        if not (submitted or comment):
            return revision, None
        note = ReviewNote.objects.create(
            article=current,
            verdict=ReviewVerdict.APPROVED,
            comment=comment,
            created_by=user,
            addressed_to=author,
            snapshot=reviewed,
        )
        ReviewNote.objects.open_requests().filter(article=current).update(
            answered_at=timezone.now(), answer=note
        )
    return revision, note


def review_notes_for(article: Article, newest: int | None = None) -> list[ReviewNote]:
    """The article's review, newest first, with who wrote each note (the
    `newest` few only, when given)."""
    notes = (
        ReviewNote.objects.filter(article=article)
        .select_related("created_by", "addressed_to")
        .order_by("-created_at", "-id")
    )
    return list(notes[:newest] if newest is not None else notes)


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
