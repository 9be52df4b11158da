"""The admin index's "what waits" panel: one queue per kind of work, for who does it.

Other apps add their own queues with `dashboard_queue_register` (incidents adds
figures to confirm), so newsdesk never names them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.timesince import timesince

from newsdesk import services
from newsdesk.admin.display import status_badge
from newsdesk.models import Article, ArticleRevision, ArticleStatus, Comment
from newsdesk.revisions.selectors import changes_waiting_for_review

SHOWN = 5
PENDING_BADGE = format_html(
    '<span class="nd-status nd-status--pending">{}</span>', "Pending changes"
)


@dataclass
class QueueItem:
    label: str
    url: str
    note: str = ""
    badge: str = ""


@dataclass
class Queue:
    """A count, the first few items and a link to the whole list."""

    title: str
    url: str
    count: int
    items: list[QueueItem] = field(default_factory=list)
    empty: str = "Nothing waiting."


QueueBuilder = Callable[[HttpRequest], Queue | None]
QUEUES: list[QueueBuilder] = []


def dashboard_queue_register(builder: QueueBuilder) -> QueueBuilder:
    """Add a queue to the dashboard; `builder(request)` returns None to hide it."""
    if builder not in QUEUES:
        QUEUES.append(builder)
    return builder


def dashboard_queues(request: HttpRequest) -> list[Queue]:
    """The queues this user works on, in the order they were registered."""
    return [queue for build in QUEUES if (queue := build(request)) is not None]


def _article_items(articles: Any, note: Callable[[Article], str]) -> list[QueueItem]:
    return [
        QueueItem(
            label=a.headline,
            url=reverse("admin:newsdesk_article_change", args=[a.pk]),
            note=note(a),
            badge=status_badge(a),
        )
        for a in articles
    ]


def _articles_url(**params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("admin:newsdesk_article_changelist") + (f"?{query}" if query else "")


def _author(article: Article) -> str:
    return article.created_by.get_username() if article.created_by else "importer"


def _submitter(revision: ArticleRevision) -> str:
    who = revision.submitted_by or revision.created_by
    return who.get_username() if who else "someone"


def _since(moment) -> str:
    """ "3 hours", or "a moment" rather than "0 minutes"."""
    text = timesince(moment)
    return "a moment" if text.startswith("0\xa0minutes") else text


@dashboard_queue_register
def waiting_for_review(request: HttpRequest) -> Queue | None:
    """Drafts in review and pending changes of live articles submitted for review,
    longest waiting first."""
    if not services.user_can_publish(request.user):
        return None
    waiting = (
        Article.objects.in_review()
        .exclude(created_by=request.user)
        .select_related("created_by")
        .order_by("updated_at", "id")
    )
    changes = (
        changes_waiting_for_review(request.user)
        .select_related("article", "submitted_by")
        .order_by("submitted_at", "id")
    )
    items = [
        (
            a.updated_at,
            a.pk,
            _article_items(
                [a], lambda a: f"from {_author(a)}, waiting {_since(a.updated_at)}"
            )[0],
        )
        for a in waiting[:SHOWN]
    ] + [
        (
            c.submitted_at,
            c.article_id,
            QueueItem(
                label=c.article.headline,
                url=reverse("admin:newsdesk_article_change", args=[c.article_id]),
                note=f"changes to the live article from {_submitter(c)}, "
                f"waiting {_since(c.submitted_at)}",
                badge=PENDING_BADGE,
            ),
        )
        for c in changes[:SHOWN]
    ]
    return Queue(
        title="Waiting for your review",
        url=_articles_url(mine="review"),
        count=waiting.count() + changes.count(),
        items=[item for *_, item in sorted(items, key=lambda i: i[:2])[:SHOWN]],
        empty="Nothing to review.",
    )


@dashboard_queue_register
def my_drafts(request: HttpRequest) -> Queue | None:
    if not request.user.has_perm("newsdesk.add_article"):
        return None
    mine = Article.objects.filter(
        created_by=request.user, status=ArticleStatus.DRAFT
    ).order_by("-updated_at", "-id")
    return Queue(
        title="Your drafts",
        url=_articles_url(mine="drafts"),
        count=mine.count(),
        items=_article_items(
            mine[:SHOWN], lambda a: f"edited {_since(a.updated_at)} ago"
        ),
        empty="No drafts of yours.",
    )


@dashboard_queue_register
def scheduled(request: HttpRequest) -> Queue | None:
    if not request.user.has_perm("newsdesk.view_article"):
        return None
    upcoming = Article.objects.scheduled().order_by("publish_at", "id")
    return Queue(
        title="Scheduled",
        url=_articles_url(state="scheduled"),
        count=upcoming.count(),
        items=_article_items(upcoming[:SHOWN], lambda a: ""),
        empty="Nothing scheduled.",
    )


@dashboard_queue_register
def comments_to_moderate(request: HttpRequest) -> Queue | None:
    if not request.user.has_perm("newsdesk.moderate_comment"):
        return None
    pending = Comment.objects.pending().select_related("article").order_by("created_at")
    return Queue(
        title="Comments to moderate",
        url=reverse("admin:newsdesk_comment_changelist") + "?status__exact=pending",
        count=pending.count(),
        items=[
            QueueItem(
                label=f"{c.name}: {c.body[:80]}",
                url=reverse("admin:newsdesk_comment_change", args=[c.pk]),
                note=f"on “{c.article.headline}”, {_since(c.created_at)} ago",
            )
            for c in pending[:SHOWN]
        ],
        empty="No comments waiting.",
    )
