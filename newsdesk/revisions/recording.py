"""A revision for every save that changed what readers would see of an article.

The services call `revision_saved` after each write to an article or its
rows. A form saves an article and its rows with several services; inside
`saves_recorded_once()` those calls are gathered and each article touched is
recorded once, by `flush_recorded()` (or when the block ends without error).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from newsdesk.models import Article, ArticleRevision, ArticleStatus, RevisionKind
from newsdesk.revisions.snapshot import article_snapshot, snapshots_equal

# article id -> the user of the last save, while saves are gathered; None when
# recording is off for the block.
_gathered: ContextVar[dict[int, Any] | None | bool] = ContextVar(
    "newsdesk_revisions_gathered", default=False
)

# Kinds whose snapshot is what the article's row held at some point.
ROW_KINDS = (RevisionKind.SAVED, RevisionKind.PUBLISHED)


def _user_or_none(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


def latest_row_revision(article: Article) -> ArticleRevision | None:
    """The revision recording what the article's row holds now (the newest row state)."""
    return (
        ArticleRevision.objects.filter(article_id=article.pk, kind__in=ROW_KINDS)
        .order_by(Coalesce(F("published_at"), F("created_at")).desc(), "-id")
        .first()
    )


def revision_record(*, article: Article, user: Any) -> ArticleRevision | None:
    """Record the article as stored now, unless the newest row revision already is it.

    A live article's revision is kind "published" (readers see it), any
    other "saved". Returns the new revision, or None for a save that changed
    nothing readers would see.
    """
    row = Article.objects.only("id", "status", "version").get(pk=article.pk)
    snapshot = article_snapshot(row)
    latest = latest_row_revision(row)
    if latest is not None and snapshots_equal(latest.snapshot, snapshot):
        return None
    live = row.status == ArticleStatus.PUBLISHED
    now = timezone.now()
    return ArticleRevision.objects.create(
        article_id=row.pk,
        kind=RevisionKind.PUBLISHED if live else RevisionKind.SAVED,
        snapshot=snapshot,
        based_on_version=row.version,
        created_by=_user_or_none(user),
        published_at=now if live else None,
        published_by=_user_or_none(user) if live else None,
    )


def revision_saved(*, article: Article, user: Any) -> None:
    """Called by the services after a write to `article` or its rows."""
    gathered = _gathered.get()
    if gathered is None:
        return
    if gathered is False:
        revision_record(article=article, user=user)
        return
    gathered[article.pk] = user


def revision_went_live(*, article: Article, user: Any) -> ArticleRevision | None:
    """Mark what has just been published: the newest row revision when it is the
    article as stored, else a new "published" revision."""
    if _gathered.get() is None:
        return None
    flush_recorded()
    row = Article.objects.only("id", "status", "version").get(pk=article.pk)
    snapshot = article_snapshot(row)
    latest = latest_row_revision(row)
    now = timezone.now()
    if latest is None or not snapshots_equal(latest.snapshot, snapshot):
        latest = ArticleRevision(
            article_id=row.pk,
            snapshot=snapshot,
            created_by=_user_or_none(user),
        )
    latest.kind = RevisionKind.PUBLISHED
    latest.based_on_version = row.version
    latest.published_at = now
    latest.published_by = _user_or_none(user)
    latest.save()
    return latest


def pending_dropped(*, article: Article, note: str) -> None:
    """Retire the article's pending changes when it stops being live (kept to restore)."""
    ArticleRevision.objects.filter(
        article_id=article.pk, kind=RevisionKind.PENDING
    ).update(kind=RevisionKind.DISCARDED, publish_at=None, note=note[:300])


def flush_recorded() -> list[ArticleRevision]:
    """Record each article gathered so far in this block, once; returns the revisions."""
    gathered = _gathered.get()
    if not isinstance(gathered, dict):
        return []
    made = []
    for pk, user in list(gathered.items()):
        revision = revision_record(article=Article(pk=pk), user=user)
        if revision is not None:
            made.append(revision)
    gathered.clear()
    return made


@contextmanager
def saves_recorded_once() -> Iterator[None]:
    """Within the block, each article saved is recorded once (see module docstring)."""
    token = _gathered.set({})
    try:
        yield
        flush_recorded()
    finally:
        _gathered.reset(token)


@contextmanager
def saves_not_recorded() -> Iterator[None]:
    """Within the block the services record nothing: the caller records itself."""
    token = _gathered.set(None)
    try:
        yield
    finally:
        _gathered.reset(token)
