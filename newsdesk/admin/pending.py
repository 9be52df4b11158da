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

from newsdesk import review, services
from newsdesk.admin.article_inlines import RowsRefused, is_staged, staged_view
from newsdesk.admin.forms import WORKFLOW_FORMS, WorkflowForm
from newsdesk.editing.guard import display_name
from newsdesk.editing.merge import (
    CONFLICT_CODE,
    MERGE_VERSION,
    compare,
    merge_pending,
    rows_chosen,
    rows_merge,
)
from newsdesk.links import absolute_url
from newsdesk.models import Article, ArticleRevision
from newsdesk.previews import PENDING_PARAM, preview_url
from newsdesk.revisions import services as revisions
from newsdesk.revisions.selectors import pending_revision, pending_snapshot
from newsdesk.revisions.snapshot import (
    REF_FIELDS,
    TEXT_FIELDS,
    Snapshot,
    article_snapshot,
    fields_snapshot,
    ref_id,
    snapshots_equal,
    topic_refs,
)

# The form fields a pending revision keeps (its rows are compared elsewhere).
SNAPSHOT_FIELDS = {*TEXT_FIELDS, *REF_FIELDS, "topics"}


def snapshot_article(snapshot: Snapshot) -> Article:
    """An unsaved article holding a snapshot's fields, to compare with a form."""
    article = Article()
    for name in TEXT_FIELDS:
        setattr(article, name, snapshot.get(name))
    for key, attname in REF_FIELDS.items():
        setattr(article, attname, ref_id(snapshot.get(key)))
    article._topic_ids = sorted(
        ref_id(topic) for topic in snapshot.get("topics") or [] if topic
    )
    return article


def merge_sides(
    article: Article, seen: int
) -> tuple[ArticleRevision | None, Snapshot | None, Snapshot]:
    """What is pending now, the snapshot the editor started from (None when not
    known) and the article as the pending changes (or the live version) make it."""
    now = pending_revision(article)
    started = (
        ArticleRevision.objects.filter(pk=seen, article_id=article.pk).first()
        if seen
        else None
    )
    if started is not None:
        base = started.snapshot
    elif not seen and now is not None and now.base_snapshot:
        base = now.base_snapshot  # the live version the pending ones left
    else:
        base = None
    theirs = pending_snapshot(now, article) if now else article_snapshot(article)
    return now, base, theirs


def take_their_rows(
    article: Article, snapshot: Snapshot, seen: int, keys: set[str]
) -> Snapshot:
    """A merged result keeps the rows (quotes, bylines…) only the other editor
    changed: the form shows the fields, its rows are the editor's own."""
    _, base, theirs = merge_sides(article, seen)
    if base is None:
        return snapshot
    merged = dict(snapshot)
    for key in keys & set(snapshot):
        mine_changed = not snapshots_equal({key: snapshot[key]}, {key: base.get(key)})
        theirs_changed = not snapshots_equal(
            {key: theirs.get(key)}, {key: base.get(key)}
        )
        if theirs_changed and not mine_changed:
            merged[key] = theirs.get(key)
    return merged


def pending_merge_message(pending: ArticleRevision | None) -> str:
    """The refusal above the three-way view of pending changes: nothing lost."""
    if pending is None:
        what = "The pending changes you started from were published or discarded"
    else:
        who = display_name(pending.created_by) if pending.created_by else "Someone"
        what = f"{who} saved pending changes to this article"
    return (
        f"{what} after you opened it. Nothing was saved, and your changes are "
        "still in this form: compare them below, choose per field, then save "
        "the merged result (as pending changes)."
    )


def _snapshot_ids(obj: Article, name: str) -> list | None:
    return getattr(obj, "_topic_ids", None) if name == "topics" else None


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

            def clean(self) -> dict[str, Any]:
                data = super().clean()
                seen = data.get("pending_seen")
                if seen is None:
                    return data
                now = pending_revision(self.instance)
                now_pk = now.pk if now else 0
                if merge_pending(self.data, now_pk) is not None:
                    # "Save merged result", made against the pending changes
                    # that are still pending.
                    self.merged_from = seen
                    data["pending_seen"] = now_pk
                elif now_pk != seen:
                    raise ValidationError(
                        pending_merge_message(now),
                        code=CONFLICT_CODE,
                    )
                return data

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
        merged_from = getattr(form, "merged_from", None)
        if merged_from is not None and merged_from != form.cleaned_data["pending_seen"]:
            keys = {getattr(i, "snapshot_key", "") for i in inlines.values()} - {""}
            chosen = rows_chosen(request.POST)
            snapshot = take_their_rows(obj, snapshot, merged_from, keys - set(chosen))
            theirs_now = [key for key, side in chosen.items() if side == "theirs"]
            if theirs_now:
                _, _, theirs = merge_sides(obj, merged_from)
                snapshot.update({k: theirs[k] for k in theirs_now if k in theirs})
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
        self.message_user(request, text, messages.SUCCESS)
        request.pending_saved = True

    def response_change(self, request: HttpRequest, obj: Article) -> Any:
        if not getattr(request, "pending_saved", False):
            return super().response_change(request, obj)
        # The pending-changes message says what happened; the admin's own
        # "was changed successfully" would claim the article itself changed.
        request.quiet_success = True
        try:
            return super().response_change(request, obj)
        finally:
            request.quiet_success = False

    def message_user(
        self, request: HttpRequest, message: Any, level=messages.INFO, *args, **kwargs
    ) -> None:
        if getattr(request, "quiet_success", False) and level == messages.SUCCESS:
            return
        super().message_user(request, message, level, *args, **kwargs)

    def pending_merge(
        self, form: forms.ModelForm, obj: Article, mine_rows: dict[str, list]
    ) -> tuple[list, dict]:
        """The three-way view of a refused stale save of pending changes: what is
        pending now, the pending changes the editor started from, theirs."""
        seen = form.cleaned_data.get("pending_seen") or 0
        article = Article.objects.get(pk=obj.pk)
        now, base, theirs = merge_sides(article, seen)
        rows = compare(
            form,
            snapshot_article(theirs),
            snapshot_article(base) if base else None,
            _snapshot_ids,
            only=SNAPSHOT_FIELDS,
        )
        who = now.created_by if now is not None else article.updated_by
        saved_by = display_name(who) if who else "Someone else"
        base_name = "the pending changes" if seen else "the live version"
        return rows, {
            "pending": True,
            "rows": rows,
            "row_parts": rows_merge(base, theirs, mine_rows),
            "current": article,
            "saved_by": saved_by,
            "base_name": base_name,
            "base_label": f"You started from {base_name}",
            "theirs_label": "Pending now" if now else "Live now (nothing pending)",
            "token": f"{article.version}:{now.pk if now else 0}",
            "field_name": MERGE_VERSION,
            "inputs": {
                row.name: {
                    "theirs": row.inputs_theirs,
                    "mine": row.inputs_mine,
                    "labels": row.labels,
                }
                for row in rows
            },
        }

    def pending_context(self, request: HttpRequest, obj: Article) -> dict[str, Any]:
        """The banner of a published article's change form."""
        if not is_staged(obj):
            return {}
        staged_view(obj)
        pending = obj._pending_revision
        buttons = []
        can_publish = services.user_can_publish(request.user)
        if pending is not None:
            submitted = pending.submitted_at is not None
            if can_publish and submitted:
                buttons.append(("publish_changes", "Approve and publish"))
                buttons.append(("request_pending_changes", "Request changes"))
            elif can_publish:
                buttons.append(("publish_changes", "Publish changes"))
            elif not submitted:
                buttons.append(("submit_changes", "Submit changes for review"))
            elif pending.submitted_by_id == request.user.pk:
                buttons.append(("withdraw_changes", "Withdraw from review"))
            if can_publish or pending.created_by_id == request.user.pk:
                buttons.append(("discard_changes", "Discard pending changes"))
        return {
            "pending_changes": pending,
            "pending_can_review": can_publish,
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
    """A workflow page about the pending changes the editor saw: acting on
    changes saved after the page opened is refused, nothing done."""

    about_pending = True
    pending_seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].required = False

    @classmethod
    def initial_for(cls, article: Article) -> dict[str, Any]:
        pending = pending_revision(article)
        return {"pending_seen": pending.pk if pending else 0}


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
    comment = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional, for the author: shown on their dashboard and in the "
        "article's history with your approval.",
    )

    def perform(self, *, article: Article, user: Any) -> str:
        revision, note = review.article_approve_changes(
            article=article,
            user=user,
            comment=self.cleaned_data["comment"],
            publish_at=self.cleaned_data.get("publish_at"),
            substantive=self.cleaned_data["substantive"],
            expected_pending=self.cleaned_data.get("pending_seen"),
        )
        approved = "Approved. " if note is not None else ""
        if revision.kind == "pending":
            when = timezone.localtime(revision.publish_at)
            return (
                f"{approved}Changes scheduled for {when:%Y-%m-%d %H:%M}; readers "
                "see the live version until then."
            )
        return f"{approved}Changes published: readers see them now."


class RequestPendingChangesForm(PendingWorkflowForm):
    title = "Request changes"
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What the author should change. They see it on their dashboard; "
        "the changes go back to them, still pending (readers keep the live "
        "version).",
    )

    def perform(self, *, article: Article, user: Any) -> str:
        review.article_request_pending_changes(
            article=article,
            user=user,
            comment=self.cleaned_data["comment"],
            expected_pending=self.cleaned_data.get("pending_seen"),
        )
        return (
            "Changes requested. The pending changes are back with their author; "
            "readers still see the live version."
        )


class DiscardChangesForm(PendingWorkflowForm):
    title = "Discard pending changes"

    def perform(self, *, article: Article, user: Any) -> str:
        revisions.article_discard_changes(
            article=article,
            user=user,
            expected_pending=self.cleaned_data.get("pending_seen"),
        )
        return "Pending changes discarded; the form shows the live version again."


class SubmitChangesForm(PendingWorkflowForm):
    title = "Submit changes for review"

    def perform(self, *, article: Article, user: Any) -> str:
        _, answer = review.article_submit_changes(article=article, user=user)
        if answer is not None:
            return f"Changes resubmitted for review. {answer.comment}"
        return "Changes submitted: an editor will review and publish them."


class WithdrawChangesForm(PendingWorkflowForm):
    title = "Withdraw from review"

    def perform(self, *, article: Article, user: Any) -> str:
        revisions.article_return_changes(
            article=article,
            user=user,
            expected_pending=self.cleaned_data.get("pending_seen"),
        )
        return "Withdrawn from review: the changes stay pending for you to edit."


WORKFLOW_FORMS.update(
    {
        "publish_changes": PublishChangesForm,
        "request_pending_changes": RequestPendingChangesForm,
        "discard_changes": DiscardChangesForm,
        "submit_changes": SubmitChangesForm,
        "withdraw_changes": WithdrawChangesForm,
    }
)
