"""The article screen: list, change form, permissions and saving."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from newsdesk import services
from newsdesk.admin.article_inlines import (
    ArticleAuthorInline,
    CorrectionInline,
    QuoteInline,
    RelatedLinkInline,
)
from newsdesk.admin.filters import ArticleStatusFilter, LanguageFilter
from newsdesk.admin.forms import ArticleAdminForm
from newsdesk.admin.lists import DateNavigationQuerySet, EstimatedCountPaginator
from newsdesk.admin.workflow import ArticleWorkflowMixin
from newsdesk.models import Article, ArticleStatus
from newsdesk.previews import preview_url

# Inlines that other apps add to the article form (incidents adds "incidents
# covered"), so newsdesk never names them; shown before the corrections.
EXTENSION_INLINES: list[type[admin.options.InlineModelAdmin]] = []


def article_inline_register(inline: type[admin.options.InlineModelAdmin]) -> None:
    """Add an inline from another app to the article change form."""
    if inline not in EXTENSION_INLINES:
        EXTENSION_INLINES.append(inline)


@admin.register(Article)
class ArticleAdmin(ArticleWorkflowMixin, SimpleHistoryAdmin):
    form = ArticleAdminForm
    list_display = (
        "headline",
        "status_badge",
        "publish_at",
        "source",
        "language",
        "updated_at",
        "updated_by",
    )
    list_display_links = ("headline",)
    list_filter = (ArticleStatusFilter, "needs_headline", LanguageFilter, "topics")
    list_select_related = ("source", "updated_by")
    search_fields = ("headline", "slug")
    search_help_text = "Search headlines and slugs."
    date_hierarchy = "publish_at"
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50
    ordering = ("-updated_at",)
    autocomplete_fields = ("source", "topics")
    prepopulated_fields = {"slug": ("headline",)}
    readonly_fields = (
        "status_badge",
        "publish_at",
        "first_published_at",
        "retraction_note",
        "retracted_at",
        "version",
        "preview_links",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
    )
    fieldsets = (
        (
            None,
            {"fields": ("headline", "needs_headline", "slug", "standfirst", "body")},
        ),
        (
            "Workflow",
            {
                "fields": (
                    ("status_badge", "publish_at"),
                    ("first_published_at", "substantive_update_at"),
                    "preview_links",
                    ("retraction_note", "retracted_at"),
                    "version_seen",
                ),
                "description": "Use the buttons above the form to submit, publish, "
                "schedule, correct or retract.",
            },
        ),
        (
            "Provenance and language",
            {"fields": ("source", "original_url", ("language", "original_language"))},
        ),
        ("Topics", {"fields": ("topics",)}),
        (
            "Lead image",
            {
                "fields": (
                    "lead_image",
                    ("lead_image_alt", "lead_image_decorative"),
                    ("lead_image_caption", "lead_image_credit"),
                ),
                "classes": ("collapse",),
            },
        ),
        (
            "Record",
            {
                "fields": (
                    ("created_by", "created_at"),
                    ("updated_by", "updated_at"),
                    "version",
                ),
                "classes": ("collapse",),
            },
        ),
    )
    inlines = (
        ArticleAuthorInline,
        QuoteInline,
        RelatedLinkInline,
        CorrectionInline,
    )
    actions = (
        "submit_selected",
        "publish_selected",
        "retract_selected",
        "return_selected",
    )
    change_form_template = "admin/newsdesk/article/change_form.html"

    def get_inlines(self, request: HttpRequest, obj: Article | None) -> tuple:
        *editable, corrections = self.inlines
        return (*editable, *EXTENSION_INLINES, corrections)

    # -- display ------------------------------------------------------------------

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj: Article) -> str:
        label = obj.display_status
        if obj.is_scheduled():
            when = timezone.localtime(obj.publish_at).strftime("%Y-%m-%d %H:%M")
            label = f"Scheduled for {when}"
        css = "scheduled" if obj.is_scheduled() else obj.status
        return format_html(
            '<span class="nd-status nd-status--{}">{}</span>', css, label
        )

    @admin.display(description="Preview")
    def preview_links(self, obj: Article) -> str:
        if not obj.pk:
            return "—"
        if obj.is_published():
            return format_html('<a href="{}">View on site</a>', obj.get_absolute_url())
        return format_html(
            '<a href="{}">Preview as staff</a> · share link for a reviewer without '
            'an account (expires in {} days): <input type="text" readonly size="60" '
            'value="{}" aria-label="Share link">',
            obj.get_absolute_url(),
            settings.NEWSDESK_PREVIEW_MAX_AGE // 86400,
            self._share_url(obj),
        )

    @staticmethod
    def _share_url(obj: Article) -> str:
        return settings.NEWSDESK_SITE_URL.rstrip("/") + preview_url(obj)

    # -- permissions ----------------------------------------------------------------

    def has_change_permission(
        self, request: HttpRequest, obj: Article | None = None
    ) -> bool:
        allowed = super().has_change_permission(request, obj)
        if (
            allowed
            and obj is not None
            and obj.status in (ArticleStatus.PUBLISHED, ArticleStatus.RETRACTED)
        ):
            # Once an article is out, only those who may publish can change it.
            return services.user_can_publish(request.user)
        return allowed

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = (
            super()
            .get_queryset(request)
            .select_related("source", "updated_by", "created_by")
        )
        queryset.__class__ = DateNavigationQuerySet
        return queryset

    # -- saving -------------------------------------------------------------------

    def save_model(
        self, request: HttpRequest, obj: Article, form: forms.Form, change: bool
    ) -> None:
        services.article_save(
            article=obj,
            user=request.user,
            expected_version=form.cleaned_data.get("version_seen"),
            is_new=not change,
        )

    def save_related(
        self, request: HttpRequest, form: Any, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.ArticleConflict as exc:
            # Lost the race under the row lock after the form's own check passed:
            # nothing was written; send the editor back to the current version.
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj is not None:
            extra_context["workflow_buttons"] = self.workflow_actions(request, obj)
        return super().change_view(request, object_id, form_url, extra_context)
