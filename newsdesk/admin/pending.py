"""Editing a live article in the admin: the change form saves pending changes.

The form (and its inline rows) opens from the pending changes when there are
some, else from the live version; saving stages the whole form as the
article's pending revision through `article_save_pending`, never touching the
live rows. The banner offers publish (now or at a time), discard, submit and
preview; each is a workflow page performing one service call.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from newsdesk import services
from newsdesk.admin.article_inlines import RowsRefused, is_staged, staged_view
from newsdesk.admin.forms import WORKFLOW_FORMS, WorkflowForm
from newsdesk.links import absolute_url
from newsdesk.models import Article
from newsdesk.previews import PENDING_PARAM, preview_url
from newsdesk.revisions import services as revisions
from newsdesk.revisions.selectors import pending_revision
from newsdesk.revisions.snapshot import fields_snapshot, topic_refs


class PendingChangesMixin:
    """Mixed into the article admin: staged saves of published articles."""

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any):
        form = super().get_form(request, obj, **kwargs)
        if not is_staged(obj):
            return form
        view = staged_view(obj)
        pending = obj._pending_revision

        class PendingChangesForm(form):
            pending_seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, **kw)
                self.fields["pending_seen"].initial = pending.pk if pending else 0
                if "topics" in self.fields:
                    self.initial["topics"] = [t["id"] for t in view["topics"]]

        return PendingChangesForm

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple:
        fields = super().get_readonly_fields(request, obj)
        # Marked by corrections, or when changes are published as an update.
        return (*fields, "substantive_update_at") if is_staged(obj) else fields

    def get_formset_kwargs(self, request, obj, inline, prefix) -> dict[str, Any]:
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        key = getattr(inline, "snapshot_key", "")
        if key and is_staged(obj):
            kwargs["queryset"] = inline.model._default_manager.none()
            kwargs["initial"] = inline.snapshot_initial(staged_view(obj).get(key) or [])
            kwargs["staged"] = True
        return kwargs

    @staticmethod
    def saves_pending(obj: Article) -> bool:
        """Whether a save of this article's form stages pending changes (as stored)."""
        return is_staged(Article.objects.only("id", "status").get(pk=obj.pk))

    def save_formset(self, request, form, formset, change) -> None:
        if not getattr(formset, "staged", False):
            super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change) -> None:
        obj = form.instance
        if not (change and self.saves_pending(obj)):
            super().save_related(request, form, formsets, change)
            return
        snapshot = fields_snapshot(obj)
        if "topics" in form.cleaned_data:
            snapshot["topics"] = topic_refs(form.cleaned_data["topics"])
        inlines = {type(i).__name__: i for i in self.get_inline_instances(request, obj)}
        for formset in formsets:
            # Read into the pending changes; no row is written.
            formset.new_objects, formset.changed_objects = [], []
            formset.deleted_objects = []
            inline = next(
                (
                    i
                    for i in inlines.values()
                    if getattr(i, "snapshot_key", "") and i.model is formset.model
                ),
                None,
            )
            # Rows this user only reads keep their value from the form's start.
            if (
                inline is not None
                and getattr(formset, "staged", False)
                and inline.has_change_permission(request, obj)
            ):
                snapshot[inline.snapshot_key] = inline.snapshot_rows(formset)
        try:
            pending = revisions.article_save_pending(
                article=obj,
                snapshot=snapshot,
                user=request.user,
                expected_pending=form.cleaned_data.get("pending_seen"),
            )
        except ValidationError as exc:
            if isinstance(exc, services.ArticleConflict):
                raise
            raise RowsRefused({"pending": {None: exc.messages}}) from exc
        if pending is None:
            text = "No pending changes: the form matches the live version."
        elif services.user_can_publish(request.user):
            text = "Saved as pending changes. Readers see the live version until you publish them."
        else:
            text = (
                "Saved as pending changes. Readers see the live version until an "
                "editor publishes them; submit them for review when ready."
            )
        self.message_user(request, text, messages.INFO)

    def pending_context(self, request: HttpRequest, obj: Article) -> dict[str, Any]:
        """The banner of a published article's change form."""
        if not is_staged(obj):
            return {}
        pending = pending_revision(obj)
        buttons = []
        can_publish = services.user_can_publish(request.user)
        if pending is not None:
            if can_publish:
                buttons.append(("publish_changes", "Publish changes"))
            elif pending.submitted_at is None:
                buttons.append(("submit_changes", "Submit changes for review"))
            if can_publish or pending.created_by_id == request.user.pk:
                buttons.append(("discard_changes", "Discard pending changes"))
        return {
            "pending_changes": pending,
            "pending_buttons": [
                (
                    reverse("admin:newsdesk_article_workflow", args=[obj.pk, action]),
                    action,
                    label,
                )
                for action, label in buttons
            ],
            "pending_preview_url": f"{obj.get_absolute_url()}?{PENDING_PARAM}=1",
            "pending_share_url": absolute_url(preview_url(obj)),
        }


class PendingWorkflowForm(WorkflowForm):
    """A workflow page about the pending changes the editor saw."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].required = False


class PublishChangesForm(PendingWorkflowForm):
    title = "Publish changes"
    publish_at = forms.SplitDateTimeField(
        required=False,
        widget=admin.widgets.AdminSplitDateTime,
        help_text="Leave empty to publish the changes now; a future time schedules "
        "them (the live version stays until then).",
    )
    substantive = forms.BooleanField(
        required=False,
        help_text="Also show readers the article was updated now.",
    )

    def perform(self, *, article: Article, user: Any) -> str:
        revision = revisions.article_publish_changes(
            article=article,
            user=user,
            publish_at=self.cleaned_data.get("publish_at"),
            substantive=self.cleaned_data["substantive"],
        )
        if revision.kind == "pending":
            when = timezone.localtime(revision.publish_at)
            return f"Changes scheduled for {when:%Y-%m-%d %H:%M}; readers see the live version until then."
        return "Changes published: readers see them now."


class DiscardChangesForm(PendingWorkflowForm):
    title = "Discard pending changes"

    def perform(self, *, article: Article, user: Any) -> str:
        revisions.article_discard_changes(article=article, user=user)
        return "Pending changes discarded; the form shows the live version again."


class SubmitChangesForm(PendingWorkflowForm):
    title = "Submit changes for review"

    def perform(self, *, article: Article, user: Any) -> str:
        revisions.article_submit_changes(article=article, user=user)
        return "Changes submitted: an editor will review and publish them."


WORKFLOW_FORMS.update(
    {
        "publish_changes": PublishChangesForm,
        "discard_changes": DiscardChangesForm,
        "submit_changes": SubmitChangesForm,
    }
)
