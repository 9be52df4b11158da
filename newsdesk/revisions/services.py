"""Staged edits of live articles: save, submit, publish (now or later) and discard.

The live article's row is never touched by a staged edit: it waits as the
article's one pending revision until an editor publishes it, when it is
written through the ordinary services (so the cache tags of what changed are
purged as for any edit) in one transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from newsdesk import services
from newsdesk.models import (
    Article,
    ArticleRevision,
    ArticleStatus,
    Person,
    RevisionKind,
    Topic,
)
from newsdesk.revisions.recording import (
    latest_row_revision,
    revision_record,
    revision_saved,
    saves_not_recorded,
    saves_recorded_once,
)
from newsdesk.revisions.snapshot import (
    REF_FIELDS,
    TEXT_FIELDS,
    Snapshot,
    article_snapshot,
    author_refs,
    ref_id,
    snapshot_apply,
    snapshots_equal,
    topic_refs,
)

User = services.User


def _require_change_permission(user: User | None) -> None:
    if not (user and user.is_active and user.has_perm("newsdesk.change_article")):
        raise PermissionDenied("You do not have permission to edit articles.")


def _user_or_none(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


def _lock_live(article: Article) -> Article:
    current = Article.objects.select_for_update().get(pk=article.pk)
    if current.status != ArticleStatus.PUBLISHED:
        raise ValidationError(
            "Only a published article has pending changes; edit a "
            f"{current.display_status.lower()} article directly.",
            code="not_live",
        )
    return current


def _locked_pending(article: Article) -> ArticleRevision | None:
    return (
        ArticleRevision.objects.select_for_update(of=("self",))
        .select_related("created_by")
        .filter(article_id=article.pk, kind=RevisionKind.PENDING)
        .first()
    )


def _pending_to_act_on(
    article: Article, *, verb: str, expected_pending: int | None
) -> ArticleRevision:
    """The locked pending changes an editor acts on, refused when there are none
    or when they are not the ones the editor's page showed."""
    pending = _locked_pending(article)
    if pending is None:
        raise ValidationError(
            f"There are no pending changes to {verb}.", code="no_pending"
        )
    if expected_pending is not None and pending.pk != expected_pending:
        raise services.ArticleConflict(
            pending_conflict_message(pending), code="version_conflict"
        )
    return pending


def pending_conflict_message(pending: ArticleRevision | None) -> str:
    """Say whose pending changes replaced the ones the editor started from."""
    if pending is None:
        return (
            "The pending changes you started from were published or discarded "
            "after you opened the article. Nothing was saved: reload it to see "
            "the live version, then make your changes again."
        )
    who = pending.created_by.get_username() if pending.created_by else "someone else"
    when = date_format(timezone.localtime(pending.created_at), "DATETIME_FORMAT")
    return (
        f"{who} saved pending changes to this article on {when} after you opened "
        "it. Nothing was saved: reload the article to see their changes, then "
        "make yours again."
    )


def _validate(current: Article, snapshot: Snapshot) -> None:
    """Refuse a snapshot the article could not be saved with, naming the field."""
    draft = Article.objects.get(pk=current.pk)
    for name in TEXT_FIELDS:
        setattr(draft, name, snapshot[name])
    for key, attname in REF_FIELDS.items():
        setattr(draft, attname, ref_id(snapshot[key]))
    draft.full_clean(validate_constraints=False)
    errors = []
    for quote in snapshot.get("quotes", ()):
        if not (quote.get("text") or "").strip():
            errors.append("Every quote needs its words.")
    for link in snapshot.get("related_links", ()):
        if link.get("id") is None and not (link.get("title") or "").strip():
            errors.append("A “Read also” link needs a target article or a title.")
    if errors:
        raise ValidationError(sorted(set(errors)), code="invalid_rows")


def article_save_pending(
    *,
    article: Article,
    snapshot: Snapshot,
    user: User | None,
    expected_pending: int | None = None,
) -> ArticleRevision | None:
    """Stage `snapshot` (whole, or the parts given) as the live article's pending changes.

    `expected_pending` is the pending revision the editor started from (0 for
    the live version); a stale one raises `ArticleConflict`, nothing written.
    Returns the pending revision, or None when the changes equal the live
    version (any pending changes are then discarded).
    """
    _require_change_permission(user)
    with transaction.atomic():
        current = _lock_live(article)
        pending = _locked_pending(current)
        if expected_pending is not None and (pending.pk if pending else 0) != (
            expected_pending
        ):
            raise services.ArticleConflict(
                pending_conflict_message(pending), code="version_conflict"
            )
        live = article_snapshot(current)
        base = pending_view(pending, live) if pending else live
        full = {**base, **snapshot, "format": live["format"]}
        if pending is not None and snapshots_equal(base, full):
            return pending
        if snapshots_equal(live, full):
            if pending is not None:
                _retire(
                    pending, RevisionKind.DISCARDED, "Changed back to the live version"
                )
            return None
        _validate(current, full)
        if latest_row_revision(current) is None:
            # The live version before the first staged change, kept to compare with.
            revision_record(article=current, user=current.updated_by)
        keep_schedule = pending is not None and services.user_can_publish(user)
        if pending is not None:
            _retire(pending, RevisionKind.PROPOSED)
        return ArticleRevision.objects.create(
            article=current,
            kind=RevisionKind.PENDING,
            snapshot=full,
            base_snapshot=live,
            based_on_version=current.version,
            created_by=_user_or_none(user),
            publish_at=pending.publish_at if keep_schedule else None,
            published_by=pending.published_by if keep_schedule else None,
            submitted_at=pending.submitted_at if pending else None,
            submitted_by=pending.submitted_by if pending else None,
        )


def changed_parts(a: Snapshot, b: Snapshot) -> set[str]:
    """The keys whose values differ between two snapshots (labels aside)."""
    return {
        key
        for key in (set(a) | set(b)) - {"format"}
        if not snapshots_equal({key: a.get(key)}, {key: b.get(key)})
    }


def pending_view(pending: ArticleRevision, live: Snapshot) -> Snapshot:
    """The article as it would be with the pending changes published now: the live
    version with the parts the pending changes changed (edits made live since they
    were saved are kept)."""
    base = pending.base_snapshot or live
    changed = changed_parts(base, pending.snapshot)
    return {**live, **{key: pending.snapshot[key] for key in changed}}


def _retire(pending: ArticleRevision, kind: str, note: str = "") -> None:
    pending.kind = kind
    if note:
        pending.note = note[:300]
    pending.save(update_fields=("kind", "note"))


def article_submit_changes(*, article: Article, user: User | None) -> ArticleRevision:
    """Send the pending changes of a live article to the editors for review."""
    _require_change_permission(user)
    with transaction.atomic():
        current = _lock_live(article)
        pending = _locked_pending(current)
        if pending is None:
            raise ValidationError(
                "There are no pending changes to submit.", code="no_pending"
            )
        if pending.submitted_at is not None:
            raise ValidationError(
                "These pending changes are already waiting for review.",
                code="already_submitted",
            )
        pending.submitted_at = timezone.now()
        pending.submitted_by = _user_or_none(user)
        pending.save(update_fields=("submitted_at", "submitted_by"))
    return pending


def article_return_changes(
    *, article: Article, user: User | None, expected_pending: int | None = None
) -> ArticleRevision:
    """Take submitted pending changes out of review, back to their author to edit.

    Anyone who may edit returns changes they submitted; an editor returns any.
    The changes stay pending (readers keep the live version).
    """
    _require_change_permission(user)
    with transaction.atomic():
        current = _lock_live(article)
        pending = _pending_to_act_on(
            current, verb="return", expected_pending=expected_pending
        )
        if pending.submitted_at is None:
            raise ValidationError(
                "These pending changes are not waiting for review.",
                code="not_submitted",
            )
        if not services.user_can_publish(user) and pending.submitted_by_id != getattr(
            user, "pk", None
        ):
            raise PermissionDenied(
                "Only editors can return changes someone else submitted."
            )
        pending.submitted_at = None
        pending.submitted_by = None
        pending.save(update_fields=("submitted_at", "submitted_by"))
    return pending


def article_discard_changes(
    *, article: Article, user: User | None, expected_pending: int | None = None
) -> ArticleRevision:
    """Drop the pending changes: the article stays as readers see it.

    Editors discard any; a reporter only changes they saved themselves.
    """
    _require_change_permission(user)
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        pending = _pending_to_act_on(
            current, verb="discard", expected_pending=expected_pending
        )
        if not services.user_can_publish(user) and pending.created_by_id != getattr(
            user, "pk", None
        ):
            raise PermissionDenied(
                "Only editors can discard pending changes someone else saved."
            )
        who = user.get_username() if _user_or_none(user) else "the system"
        _retire(pending, RevisionKind.DISCARDED, f"Discarded by {who}")
    return pending


def article_publish_changes(
    *,
    article: Article,
    user: User | None,
    publish_at: datetime.datetime | None = None,
    substantive: bool = False,
    expected_pending: int | None = None,
) -> ArticleRevision:
    """Put the pending changes live now, or schedule them for a future `publish_at`.

    Editors only. `substantive` also marks the article as updated for readers.
    If the live article changed since the changes were saved, they are not
    published (nothing is overwritten): saving them again settles it.
    """
    _require_publisher(user)
    now = timezone.now()
    if publish_at is not None and timezone.is_naive(publish_at):
        raise ValidationError(
            "The publish time needs a time zone.", code="naive_datetime"
        )
    with transaction.atomic():
        current = _lock_live(article)
        pending = _pending_to_act_on(
            current, verb="publish", expected_pending=expected_pending
        )
        if publish_at is not None and publish_at > now:
            pending.publish_at = publish_at
            pending.published_by = _user_or_none(user)
            pending.save(update_fields=("publish_at", "published_by"))
            return pending
        return _make_live(current, pending, user=user, substantive=substantive)


def _require_publisher(user: User | None) -> None:
    if not services.user_can_publish(user):
        raise PermissionDenied(
            "You do not have permission to publish changes to articles."
        )


def _make_live(
    current: Article, pending: ArticleRevision, *, user: User | None, substantive: bool
) -> ArticleRevision:
    _require_publisher(user)
    live = article_snapshot(current)
    base = pending.base_snapshot or live
    clashes = sorted(
        key
        for key in changed_parts(base, pending.snapshot) & changed_parts(base, live)
        if not snapshots_equal({key: live.get(key)}, {key: pending.snapshot.get(key)})
    )
    if clashes:
        raise services.ArticleConflict(
            "The live article changed after these pending changes were saved, in "
            f"the same parts: {', '.join(name.replace('_', ' ') for name in clashes)}."
            " Nothing was published: open the pending changes, settle those parts "
            "and save them again.",
            code="live_moved",
        )
    with saves_not_recorded():
        current = snapshot_apply(
            article=current, snapshot=pending_view(pending, live), user=user
        )
        if substantive:
            current = services.article_update(
                article=current,
                user=user,
                data={"substantive_update_at": timezone.now()},
                expected_version=None,
            )
    pending.kind = RevisionKind.PUBLISHED
    pending.snapshot = article_snapshot(current)
    pending.published_at = timezone.now()
    pending.published_by = _user_or_none(user)
    pending.save(
        update_fields=("kind", "snapshot", "published_at", "published_by", "publish_at")
    )
    return pending


@dataclass(frozen=True)
class DueResult:
    """What happened to one article's scheduled pending changes."""

    article_id: int
    published: bool
    reason: str = ""


def article_publish_due_changes(
    *, moment: datetime.datetime | None = None
) -> list[DueResult]:
    """Put live every pending change whose scheduled time has come.

    Each is published as the editor who scheduled it (their permission is
    checked again); a refusal clears the schedule and is noted on the revision.
    """
    results = []
    due = ArticleRevision.objects.due(moment).select_related("published_by")
    for revision in due.order_by("publish_at", "id"):
        try:
            with transaction.atomic():
                current = _lock_live(Article(pk=revision.article_id))
                pending = _locked_pending(current)
                if pending is None or pending.pk != revision.pk:
                    continue
                _make_live(
                    current, pending, user=revision.published_by, substantive=False
                )
        except (ValidationError, PermissionDenied) as exc:
            reason = " ".join(
                exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            )
            ArticleRevision.objects.filter(pk=revision.pk).update(
                publish_at=None, note=f"Not published as scheduled: {reason}"[:300]
            )
            results.append(DueResult(revision.article_id, False, reason))
        else:
            results.append(DueResult(revision.article_id, True))
    return results


def article_set_topics(
    *, article: Article, topics: Iterable[Topic], user: User | None
) -> None:
    """Replace the article's topics, by the article's own edit rule."""
    with transaction.atomic():
        services.article_require_editable(article=article, user=user)
        article.topics.set(list(topics))
        revision_saved(article=article, user=user)


def article_edit(
    *,
    article: Article,
    user: User | None,
    fields: dict[str, Any],
    authors: Iterable[Person] | None = None,
    topics: Iterable[Topic] | None = None,
    expected_version: int | None,
    expected_pending: int | None = None,
) -> ArticleRevision | None:
    """Edit an article's own fields, byline and topics at once, as its status asks.

    A live article's edit is staged as its pending changes (`expected_pending`
    names the ones the editor started from, 0 for none); any other article is
    written directly, by the same rules as its change form. A version or
    pending changes replaced since raise `ArticleConflict`; nothing is written
    unless all of it is. Returns the pending revision when staged, else None.
    """
    with transaction.atomic(), saves_recorded_once():
        current = Article.objects.select_for_update().get(pk=article.pk)
        if expected_version is not None and current.version != expected_version:
            raise services.ArticleConflict(
                services.conflict_message(current), code="version_conflict"
            )
        if current.stages_edits():
            unstaged = set(fields) - set(TEXT_FIELDS)
            if unstaged:
                raise ValidationError(
                    dict.fromkeys(unstaged, "Not part of a live article's changes.")
                )
            snapshot: Snapshot = dict(fields)
            if authors is not None:
                snapshot["authors"] = author_refs(authors)
            if topics is not None:
                snapshot["topics"] = topic_refs(topics)
            return article_save_pending(
                article=current,
                snapshot=snapshot,
                user=user,
                expected_pending=expected_pending,
            )
        services.article_update(
            article=current, user=user, data=fields, expected_version=expected_version
        )
        if authors is not None:
            services.article_set_authors(article=current, authors=authors, user=user)
        if topics is not None:
            article_set_topics(article=current, topics=topics, user=user)
    return None
