"""Review with comments in the admin: the workflow pages, the author's queue, the notes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.urls import reverse
from django.utils.timesince import timesince

from newsdesk import review
from newsdesk.admin.dashboard import QUEUES, Queue, QueueItem
from newsdesk.admin.forms import WORKFLOW_FORMS, WorkflowForm
from newsdesk.admin.revisions import review_compare_url
from newsdesk.models import (
    Article,
    ArticleRevision,
    ArticleStatus,
    ReviewNote,
    ReviewVerdict,
)


class RequestChangesForm(WorkflowForm):
    title = "Request changes"
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What the author should change. They see it on their dashboard "
        "and the article goes back to them as a draft.",
    )

    def perform(self, *, article: Article, user: Any) -> str:
        review.article_request_changes(
            article=article,
            user=user,
            comment=self.cleaned_data["comment"],
            expected_version=self.cleaned_data["version"],
        )
        return "Changes requested. The article is back with its author as a draft."


class ApproveForm(WorkflowForm):
    title = "Approve"
    comment = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional, for the author. Approving does not publish: use "
        "“Publish or schedule” when it is time.",
    )

    def perform(self, *, article: Article, user: Any) -> str:
        review.article_approve(
            article=article,
            user=user,
            comment=self.cleaned_data["comment"],
            expected_version=self.cleaned_data["version"],
        )
        return "Approved. The author sees your approval on their dashboard."


def with_compare_links(notes: list[ReviewNote]) -> list[ReviewNote]:
    """Give each resubmission (`compare_url`) the comparison of the article as the
    first request it answered saw it with the article as resubmitted."""
    first_request: dict[int, ReviewNote] = {}
    for note in notes:  # newest first: the earliest request is met last
        if note.answer_id:
            first_request[note.answer_id] = note
    for note in notes:
        request_note = first_request.get(note.pk)
        note.compare_url = (
            review_compare_url(request_note, note)
            if request_note is not None and note.snapshot and request_note.snapshot
            else ""
        )
    return notes


def latest_resubmission(article: Article) -> ReviewNote | None:
    """The author's answer to a review, while the article (or its pending
    changes) waits for review again."""
    notes = with_compare_links(review.review_notes_for(article, newest=20))
    if not notes or notes[0].verdict != ReviewVerdict.RESUBMITTED:
        return None
    waiting = article.status == ArticleStatus.IN_REVIEW or (
        ArticleRevision.objects.submitted().filter(article=article).exists()
    )
    return notes[0] if waiting else None


WORKFLOW_FORMS["request_changes"] = RequestChangesForm
WORKFLOW_FORMS["approve"] = ApproveForm


def changes_requested(request: HttpRequest) -> Queue | None:
    """The author's articles sent back with a comment, until resubmitted."""
    if not request.user.has_perm("newsdesk.add_article"):
        return None
    notes = review.changes_requested_of(request.user)
    return Queue(
        title="Changes requested of you",
        url=reverse("admin:newsdesk_article_changelist") + "?mine=requested",
        count=notes.count(),
        items=[
            QueueItem(
                label=note.article.headline,
                url=reverse("admin:newsdesk_article_change", args=[note.article_id]),
                note=(
                    f"{note.created_by.get_username() if note.created_by else 'An editor'}"
                    f" {timesince(note.created_at)} ago: “{note.comment[:140]}”"
                ),
            )
            for note in notes[:5]
        ],
        empty="No changes requested.",
    )


# First on the author's dashboard: the work that waits on them.
if changes_requested not in QUEUES:
    QUEUES.insert(0, changes_requested)
