"""A live article through the API: writes stage pending changes, never the live text.

A `PATCH` of a published article goes through the same service as the admin
(`article_save_pending`) and answers 202 Accepted: readers, feeds and the public
API keep the live version until an editor publishes the changes
(`POST …/publish/`). Staff see the pending changes in the detail, in the shape
they write, and the detail's ETag names them (`a42-v3-p17-…`), so a write based
on pending changes someone has since replaced gets 412.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from rest_framework import serializers

from newsdesk import services
from newsdesk.api.errors import PreconditionFailed
from newsdesk.models import Article, ArticleRevision
from newsdesk.revisions import services as revisions
from newsdesk.revisions.selectors import pending_revision
from newsdesk.revisions.snapshot import (
    TEXT_FIELDS,
    Snapshot,
    article_snapshot,
    author_refs,
    ref,
    ref_id,
    topic_refs,
)

# The write fields a pending revision keeps, and those it cannot.
STAGED_REFS = {"source": ref, "authors": author_refs, "topics": topic_refs}
NOT_STAGED = {
    "substantive_update_at": "A live article's update time is set when its "
    "pending changes are published.",
}
ETAG_PENDING = re.compile(r"-v\d+-p(\d+)(?:-|$)")


def is_live(article: Article) -> bool:
    """Whether writes to this article stage pending changes (it is published)."""
    return article.stages_edits()


def pending_seen(header: str) -> int:
    """The pending changes an If-Match header's ETag names; 0 (none) for a bare
    version number or an ETag from before the article had pending changes."""
    found = ETAG_PENDING.search(
        header.split(",")[0].strip().removeprefix("W/").strip('"')
    )
    return int(found.group(1)) if found else 0


def _snapshot(data: dict[str, Any]) -> Snapshot:
    refused = {name: [message] for name, message in NOT_STAGED.items() if name in data}
    if refused:
        raise serializers.ValidationError(refused)
    snapshot: Snapshot = {}
    for name, value in data.items():
        if name in STAGED_REFS:
            snapshot[name] = STAGED_REFS[name](value) if value is not None else None
        elif name in TEXT_FIELDS:
            snapshot[name] = value
    return snapshot


def _conflict(current: Article, pending: ArticleRevision | None, seen: int) -> str:
    if pending is None:
        return (
            "The pending changes your ETag names were published or discarded; "
            "nothing was written. Fetch the article again and retry."
        )
    who = pending.created_by.get_username() if pending.created_by else "someone"
    when = timezone.localtime(pending.created_at).isoformat(timespec="seconds")
    return (
        f"This live article has pending changes saved by {who} at {when} that "
        f"your If-Match does not name (it names {seen or 'none'}); "
        "nothing was written. Fetch the article again: its ETag names the "
        "pending changes."
    )


def article_stage_from_api(
    *,
    article: Article,
    user: Any,
    data: dict[str, Any],
    expected_version: int,
    expected_pending: int,
) -> ArticleRevision | None:
    """Stage validated write data as the live article's pending changes.

    A live version or pending changes other than the ones If-Match names raise
    `PreconditionFailed` (412), nothing written.
    """
    snapshot = _snapshot(data)
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        if current.version != expected_version:
            raise PreconditionFailed(services.conflict_message(current))
        pending = pending_revision(current)
        if (pending.pk if pending else 0) != expected_pending:
            raise PreconditionFailed(_conflict(current, pending, expected_pending))
        try:
            return revisions.article_save_pending(
                article=current,
                snapshot=snapshot,
                user=user,
                expected_pending=expected_pending,
            )
        except services.ArticleConflict as exc:
            raise PreconditionFailed(exc.messages[0]) from exc


class ProposedSerializer(serializers.Serializer):
    """The article as publishing the pending changes would make it, as written."""

    headline = serializers.CharField()
    slug = serializers.CharField()
    standfirst = serializers.CharField()
    body = serializers.CharField(help_text="Markdown.")
    language = serializers.CharField()
    original_language = serializers.CharField()
    original_url = serializers.CharField()
    source = serializers.IntegerField(allow_null=True, help_text="A source id.")
    authors = serializers.ListField(
        child=serializers.IntegerField(), help_text="Person ids in byline order."
    )
    topics = serializers.ListField(child=serializers.IntegerField())


class PendingChangesSerializer(serializers.Serializer):
    """A live article's pending changes (staff only): who, when, and what."""

    revision = serializers.IntegerField(
        help_text="Named in the detail's ETag; If-Match sends it back."
    )
    saved_at = serializers.DateTimeField()
    saved_by = serializers.CharField(allow_null=True)
    submitted_for_review_at = serializers.DateTimeField(allow_null=True)
    scheduled_for = serializers.DateTimeField(
        allow_null=True, help_text="When an editor scheduled them to go live."
    )
    changed = serializers.ListField(
        child=serializers.CharField(), help_text="The parts that differ from live."
    )
    proposed = ProposedSerializer()


def pending_changes_data(article: Article) -> dict[str, Any] | None:
    """What the staff detail shows of the article's pending changes, or None."""
    pending = pending_revision(article) if is_live(article) else None
    if pending is None:
        return None
    live = article_snapshot(article)
    view = revisions.pending_view(pending, live)
    who = pending.created_by
    return {
        "revision": pending.pk,
        "saved_at": pending.created_at,
        "saved_by": who.get_username() if who else None,
        "submitted_for_review_at": pending.submitted_at,
        "scheduled_for": pending.publish_at,
        "changed": sorted(revisions.changed_parts(live, view)),
        "proposed": {
            **{
                name: view.get(name) or ""
                for name in (
                    "headline",
                    "slug",
                    "standfirst",
                    "body",
                    "language",
                    "original_language",
                    "original_url",
                )
            },
            "source": ref_id(view.get("source")),
            "authors": [ref_id(a) for a in view.get("authors") or []],
            "topics": [ref_id(t) for t in view.get("topics") or []],
        },
    }
