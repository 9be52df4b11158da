"""An article's revisions in the admin: the list, any two side by side, restore.

"live" is what readers see now (the article's row), "pending" the live
article with its pending changes applied (`pending_view`); both can be
compared with any revision. Restoring a revision of a live article stages it
as the pending changes, never live; a draft or an article in review takes it
directly, as an edit would.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from newsdesk.admin.mixins import report_service_errors
from newsdesk.models import (
    Article,
    ArticleRevision,
    ReviewNote,
    ReviewVerdict,
)
from newsdesk.revisions.compare import compare
from newsdesk.revisions.restore import article_restore_revision
from newsdesk.revisions.services import pending_view
from newsdesk.revisions.snapshot import article_snapshot

SHOWN = 100
# A compare key naming the article as a review note saw it ("review-12").
REVIEW_KEY = "review-"


def _when(moment: Any) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


def revision_label(revision: ArticleRevision) -> str:
    who = revision.created_by.get_username() if revision.created_by else ""
    return (
        f"{revision.get_kind_display()}, {_when(revision.created_at)}"
        f"{f' by {who}' if who else ''}"
    )


def review_label(note: ReviewNote) -> str:
    who = note.created_by.get_username() if note.created_by else "someone"
    what = {
        ReviewVerdict.CHANGES_REQUESTED: "As reviewed when changes were requested",
        ReviewVerdict.APPROVED: "As approved",
        ReviewVerdict.RESUBMITTED: "As resubmitted",
    }[note.verdict]
    return f"{what}, {_when(note.created_at)} by {who}"


def review_compare_url(request_note: ReviewNote, answer: ReviewNote) -> str:
    """The comparison of the article as reviewed with it as resubmitted."""
    return (
        reverse("admin:newsdesk_article_revisions_compare", args=[answer.article_id])
        + f"?from={REVIEW_KEY}{request_note.pk}&to={REVIEW_KEY}{answer.pk}"
    )


class ArticleRevisionsMixin:
    """Revision views of the article admin, reading and writing through the services."""

    def get_urls(self) -> list:
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/revisions/",
                view(self.revisions_view),
                name="newsdesk_article_revisions",
            ),
            path(
                "<path:object_id>/revisions/compare/",
                view(self.revisions_compare_view),
                name="newsdesk_article_revisions_compare",
            ),
            path(
                "<path:object_id>/revisions/<int:revision_id>/restore/",
                view(require_POST(self.revision_restore_view)),
                name="newsdesk_article_revision_restore",
            ),
            *super().get_urls(),
        ]

    # -- reading --------------------------------------------------------------------

    def _article(self, request: HttpRequest, object_id: str) -> Article:
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    @staticmethod
    def _pending(article: Article) -> ArticleRevision | None:
        return (
            ArticleRevision.objects.pending()
            .filter(article=article)
            .select_related("created_by")
            .first()
        )

    def _version(
        self, article: Article, key: str, live: dict, pending: ArticleRevision | None
    ) -> tuple[dict, str]:
        """The snapshot and label that `key` (a revision id, "live", "pending") names."""
        if key == "live":
            return live, "Live version" if article.is_published() else "Current version"
        if key == "pending":
            if pending is None:
                raise Http404
            return pending_view(pending, live), "Pending changes"
        if key.startswith(REVIEW_KEY):
            note = (
                ReviewNote.objects.filter(article=article, pk=key[len(REVIEW_KEY) :])
                .exclude(snapshot={})
                .select_related("created_by")
                .first()
                if key[len(REVIEW_KEY) :].isdigit()
                else None
            )
            if note is None:
                raise Http404
            return note.snapshot, review_label(note)
        try:
            revision = ArticleRevision.objects.select_related("created_by").get(
                article=article, pk=int(key)
            )
        except (ValueError, ArticleRevision.DoesNotExist):
            raise Http404 from None
        return revision.snapshot, revision_label(revision)

    def revisions_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        article = self._article(request, object_id)
        revisions = list(
            ArticleRevision.objects.filter(article=article)
            .select_related("created_by")
            .order_by("-created_at", "-id")[:SHOWN]
        )
        for revision in revisions:
            revision.label = revision_label(revision)
        pending = self._pending(article)
        return TemplateResponse(
            request,
            "admin/newsdesk/article/revisions.html",
            {
                **self._context(request, article, "Revisions"),
                "revisions": revisions,
                "pending": pending,
                "can_restore": self.has_change_permission(request, article),
            },
        )

    def revisions_compare_view(
        self, request: HttpRequest, object_id: str
    ) -> HttpResponse:
        article = self._article(request, object_id)
        live = article_snapshot(article)
        pending = self._pending(article)
        old_key = request.GET.get("from") or "live"
        new_key = request.GET.get("to") or ("pending" if pending else "live")
        old, old_label = self._version(article, old_key, live, pending)
        new, new_label = self._version(article, new_key, live, pending)
        restorable = (
            int(new_key)
            if new_key.isdigit() and self.has_change_permission(request, article)
            else None
        )
        return TemplateResponse(
            request,
            "admin/newsdesk/article/revisions_compare.html",
            {
                **self._context(request, article, f"Compare: {article.headline}"),
                "comparison": compare(old, new),
                "old_label": old_label,
                "new_label": new_label,
                "restorable": restorable,
                "restore_stages": article.stages_edits(),
            },
        )

    def _context(self, request: HttpRequest, article: Article, title: str) -> dict:
        opts = self.model._meta
        return {
            **self.admin_site.each_context(request),
            "opts": opts,
            "original": article,
            "title": title,
            "change_url": reverse("admin:newsdesk_article_change", args=[article.pk]),
            "revisions_url": reverse(
                "admin:newsdesk_article_revisions", args=[article.pk]
            ),
            "compare_url": reverse(
                "admin:newsdesk_article_revisions_compare", args=[article.pk]
            ),
        }

    # -- restoring --------------------------------------------------------------------

    def revision_restore_view(
        self, request: HttpRequest, object_id: str, revision_id: int
    ) -> HttpResponse:
        article = self._article(request, object_id)
        revision = get_object_or_404(ArticleRevision, article=article, pk=revision_id)
        change_url = reverse("admin:newsdesk_article_change", args=[article.pk])
        try:
            message = article_restore_revision(
                article=article, revision=revision, user=request.user
            )
        except (ValidationError, PermissionDenied) as exc:
            report_service_errors(self, request, exc)
            return HttpResponseRedirect(
                reverse("admin:newsdesk_article_revisions", args=[article.pk])
            )
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(change_url)
