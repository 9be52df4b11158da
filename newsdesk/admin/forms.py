"""The article form and the workflow pages' forms, each performing one service call."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils import timezone
from django.utils.safestring import mark_safe

from newsdesk import review, services
from newsdesk.admin.history import KeepStoredPrecisionForm
from newsdesk.admin.related_widgets import offer_loaded_rows
from newsdesk.admin.widgets import plain_hidden_inputs
from newsdesk.editing.merge import merge_conflict_message, merge_version
from newsdesk.models import Article, ArticleStatus, Correction


class QuietErrorList(ErrorList):
    """A field's error list that, while empty, renders as nothing without
    rendering its templates (which print nothing then).

    The article form asks each of its 60-odd fields and inline cells for its
    errors, nearly always none, each a template rendered for an empty string.
    """

    def render(self, template_name=None, context=None, renderer=None) -> str:
        if not self.data:
            return mark_safe("")
        return super().render(template_name, context, renderer)

    __str__ = render
    __html__ = render


class LeanFormSetMixin:
    """An article inline's formset without the stock admin's repeated work.

    Its empty "add another" row is built once: the admin asks for it four
    times a page (the rows, the column headers, the media and the multipart
    check), and Django builds a new form, with fresh copies of every field,
    each time. Its rows' empty error lists and hidden inputs (ids, counts)
    are rendered without templates.
    """

    @cached_property
    def empty_form(self) -> forms.Form:
        return super().empty_form

    @cached_property
    def management_form(self) -> forms.Form:
        form = super().management_form
        plain_hidden_inputs(form)
        return form

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {"error_class": QuietErrorList, **super().get_form_kwargs(index)}

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        plain_hidden_inputs(form)


class ArticleAdminForm(KeepStoredPrecisionForm):
    """Carries the version the editor started from, so a stale save is refused."""

    version_seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = "__all__"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("error_class", QuietErrorList)
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # As read from the database, not the instance's: a restored revision
            # carries an old version.
            current = getattr(self.instance, "version_read", None)
            if current is None:
                current = (
                    Article.objects.filter(pk=self.instance.pk)
                    .values_list("version", flat=True)
                    .first()
                )
            self.fields["version_seen"].initial = current
        offer_loaded_rows(self)
        plain_hidden_inputs(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.instance.pk and data.get("version_seen") is not None:
            current = Article.objects.select_related("updated_by").get(
                pk=self.instance.pk
            )
            merged = merge_version(self.data, current.version)
            if merged is not None:
                # "Save merged result" from the three-way view, made against
                # the version that is still current.
                data["version_seen"] = merged
            elif current.version != data["version_seen"]:
                raise ValidationError(
                    merge_conflict_message(current), code="version_conflict"
                )
        # Writing a headline over a provisional one settles it, unless the editor
        # explicitly kept the flag.
        if (
            self.instance.needs_headline
            and "headline" in self.changed_data
            and "needs_headline" not in self.changed_data
        ):
            data["needs_headline"] = False
        return data


class WorkflowForm(forms.Form):
    title = ""
    about_pending = False
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def initial_for(cls, article: Article) -> dict[str, Any]:
        """What the page starts from besides the article's version."""
        return {}

    def perform(self, *, article: Article, user: Any) -> str:
        raise NotImplementedError


class SubmitForm(WorkflowForm):
    title = "Submit for review"

    def perform(self, *, article: Article, user: Any) -> str:
        answer = review.article_submit(
            article=article, user=user, expected_version=self.cleaned_data["version"]
        )
        if answer is not None:
            return f"Resubmitted for review. {answer.comment}"
        return "Submitted for review. Editors will see it on the dashboard."


class ReturnForm(WorkflowForm):
    title = "Send back to draft"

    def perform(self, *, article: Article, user: Any) -> str:
        services.article_return_to_draft(article=article, user=user)
        return "Sent back to draft."


class PublishForm(WorkflowForm):
    title = "Publish or schedule"
    publish_at = forms.SplitDateTimeField(
        required=False,
        widget=admin.widgets.AdminSplitDateTime,
        help_text="Leave empty to publish now; a future time schedules the article.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone = timezone.get_current_timezone_name()
        self.fields["publish_at"].help_text += f" Times are in the {zone} time zone."

    def perform(self, *, article: Article, user: Any) -> str:
        when = self.cleaned_data.get("publish_at")
        services.article_publish(
            article=article,
            user=user,
            publish_at=when,
            expected_version=self.cleaned_data["version"],
        )
        if article.is_scheduled():
            return f"Scheduled for {timezone.localtime(article.publish_at):%Y-%m-%d %H:%M}."
        return "Published."


class UnscheduleForm(WorkflowForm):
    title = "Unschedule"

    def perform(self, *, article: Article, user: Any) -> str:
        services.article_unschedule(article=article, user=user)
        return "Unscheduled; the article is back in review."


class RetractForm(forms.Form):
    title = "Retract"
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown to readers at the article's address, which will answer “410 Gone”.",
    )


class RetractOneForm(WorkflowForm, RetractForm):
    title = "Retract"

    def perform(self, *, article: Article, user: Any) -> str:
        services.article_retract(
            article=article,
            user=user,
            note=self.cleaned_data["note"],
            expected_version=self.cleaned_data["version"],
        )
        if article.status != ArticleStatus.RETRACTED:
            return (
                "Withdrawn before going live: back in review, never shown to readers."
            )
        return "Retracted. Its address now shows the retraction note."


class CorrectionForm(WorkflowForm):
    title = "Add correction"
    kind = forms.ChoiceField(choices=Correction._meta.get_field("kind").choices)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), help_text="Shown to readers, dated."
    )
    substantive = forms.BooleanField(
        required=False, initial=True, help_text="Also mark the article as updated."
    )

    def perform(self, *, article: Article, user: Any) -> str:
        services.correction_add(
            article=article,
            user=user,
            kind=self.cleaned_data["kind"],
            note=self.cleaned_data["note"],
            substantive=self.cleaned_data["substantive"],
        )
        return "Correction added and shown to readers."


WORKFLOW_FORMS: dict[str, type[WorkflowForm]] = {
    "submit": SubmitForm,
    "return": ReturnForm,
    "publish": PublishForm,
    "unschedule": UnscheduleForm,
    "retract": RetractOneForm,
    "correct": CorrectionForm,
}
