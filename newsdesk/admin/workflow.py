"""The article workflow in the admin: buttons, confirmation pages and bulk actions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from newsdesk import review, services
from newsdesk.admin.forms import WORKFLOW_FORMS, RetractForm
from newsdesk.admin.mixins import report_service_errors
from newsdesk.admin.row_actions import list_to_return_to
from newsdesk.models import Article, ArticleStatus
from newsdesk.retractions import retraction_impact
from newsdesk.revisions.compare import summary
from newsdesk.revisions.selectors import pending_revision, pending_snapshot
from newsdesk.revisions.snapshot import article_snapshot


def pending_under_review(article: Article) -> dict[str, Any]:
    """What a workflow page about pending changes shows of them: who, when, what."""
    pending = pending_revision(article)
    if pending is None:
        return {}
    return {
        "pending_changes": pending,
        "pending_summary": summary(
            article_snapshot(article), pending_snapshot(pending, article)
        ),
        "pending_compare_url": reverse(
            "admin:newsdesk_article_revisions_compare", args=[article.pk]
        )
        + "?from=live&to=pending",
    }


class ArticleWorkflowMixin:
    """Workflow views and bulk actions of the article admin, each one service call."""

    # -- workflow -----------------------------------------------------------------

    def get_urls(self) -> list:
        urls = super().get_urls()
        custom = [
            path(
                "<path:object_id>/workflow/<str:action>/",
                self.admin_site.admin_view(self.workflow_view),
                name="newsdesk_article_workflow",
            ),
        ]
        return custom + urls

    def workflow_actions(
        self, request: HttpRequest, obj: Article
    ) -> list[tuple[str, str]]:
        """The workflow buttons this user may press for `obj`, as (action, label)."""
        return self.workflow_steps(request, obj)

    def workflow_steps(
        self, request: HttpRequest, obj: Article, *, can_publish: bool | None = None
    ) -> list[tuple[str, str]]:
        """The workflow steps open to this user for `obj`, from its status alone.

        No query: the article list asks it for every row, passing the user's
        `can_publish` read once for the page (`workflow_actions` may add to the
        labels what the form's checks find).
        """
        if can_publish is None:
            can_publish = services.user_can_publish(request.user)
        buttons: list[tuple[str, str]] = []
        if obj.status == ArticleStatus.DRAFT:
            buttons.append(("submit", "Submit for review"))
        if can_publish and obj.status == ArticleStatus.IN_REVIEW:
            buttons.append(("approve", "Approve"))
            buttons.append(("request_changes", "Request changes"))
        if obj.status == ArticleStatus.IN_REVIEW:
            buttons.append(("return", "Send back to draft"))
        if can_publish and obj.status in (ArticleStatus.DRAFT, ArticleStatus.IN_REVIEW):
            buttons.append(("publish", "Publish or schedule"))
        if can_publish and obj.is_scheduled():
            buttons.append(("publish", "Publish now or reschedule"))
            buttons.append(("unschedule", "Unschedule"))
        if can_publish and obj.is_published():
            buttons.append(("correct", "Add correction"))
            buttons.append(("retract", "Retract"))
        return buttons

    def workflow_view(
        self, request: HttpRequest, object_id: str, action: str
    ) -> HttpResponse:
        article = get_object_or_404(Article, pk=object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        form_class = WORKFLOW_FORMS.get(action)
        if form_class is None:
            raise PermissionDenied
        change_url = reverse("admin:newsdesk_article_change", args=[article.pk])
        back_url = list_to_return_to(request) or change_url
        form = form_class(
            request.POST or None,
            initial={"version": article.version, **form_class.initial_for(article)},
        )
        if request.method == "POST" and form.is_valid():
            try:
                message = form.perform(article=article, user=request.user)
            except (ValidationError, PermissionDenied) as exc:
                report_service_errors(self, request, exc)
            else:
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(back_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "title": f"{form_class.title}: {article.headline}",
            "button_label": form_class.title,
            "time_zone": timezone.get_current_timezone_name(),
            "form": form,
            "action": action,
            "change_url": change_url,
            "back_url": back_url,
            "media": self.media + form.media,
            "retraction_impact": (
                retraction_impact(article) if action == "retract" else None
            ),
            **(pending_under_review(article) if form_class.about_pending else {}),
        }
        return TemplateResponse(
            request, "admin/newsdesk/article/workflow.html", context
        )

    # -- bulk actions ---------------------------------------------------------------

    def _bulk(
        self, request: HttpRequest, queryset: QuerySet, verb: str, run: Any
    ) -> None:
        done, failed = 0, []
        for article in queryset:
            try:
                run(article)
            except (ValidationError, PermissionDenied) as exc:
                reason = (
                    "; ".join(exc.messages)
                    if isinstance(exc, ValidationError)
                    else str(exc)
                )
                failed.append(f"“{article.headline}”: {reason}")
            else:
                done += 1
        if done:
            self.message_user(request, f"{verb} {done} article(s).", messages.SUCCESS)
        for line in failed:
            self.message_user(request, f"Not {verb.lower()}: {line}", messages.ERROR)

    @admin.action(description="Submit selected drafts for review")
    def submit_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._bulk(
            request,
            queryset,
            "Submitted",
            lambda a: review.article_submit(article=a, user=request.user),
        )

    @admin.action(description="Publish selected articles now")
    def publish_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._bulk(
            request,
            queryset,
            "Published",
            lambda a: services.article_publish(article=a, user=request.user),
        )

    @admin.action(description="Send selected articles back to draft")
    def return_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._bulk(
            request,
            queryset,
            "Returned",
            lambda a: services.article_return_to_draft(article=a, user=request.user),
        )

    @admin.action(description="Retract selected articles (asks for a note)")
    def retract_selected(
        self, request: HttpRequest, queryset: QuerySet
    ) -> HttpResponse | None:
        if not services.user_can_publish(request.user):
            self.message_user(
                request,
                "You do not have permission to retract articles.",
                messages.ERROR,
            )
            return None
        form = RetractForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            note = form.cleaned_data["note"]
            self._bulk(
                request,
                queryset,
                "Retracted",
                lambda a: services.article_retract(
                    article=a, user=request.user, note=note
                ),
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Retract articles",
            "articles": [(article, retraction_impact(article)) for article in queryset],
            "form": form,
            "action_name": "retract_selected",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request, "admin/newsdesk/article/retract_selected.html", context
        )
