"""The editors' daily tool: articles and their workflow, sources, people, topics, comments."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from newsdesk import services
from newsdesk.models import (
    Article,
    ArticleAuthor,
    ArticleQuerySet,
    ArticleRedirect,
    ArticleStatus,
    Comment,
    Correction,
    Person,
    Quote,
    RelatedLink,
    Source,
    Topic,
)
from newsdesk.previews import preview_url

admin.site.site_header = "Newsdesk"
admin.site.site_title = "Newsdesk admin"
admin.site.index_title = "Newsroom"


class EstimatedCountPaginator(Paginator):
    """Avoid COUNT(*) over a whole large table: PostgreSQL's estimate is used instead.

    Filtered lists are counted exactly (their filters are indexed); only the
    unfiltered changelist of a big table uses the planner's row estimate.
    """

    exact_below = 10_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if (
            connection.vendor == "postgresql"
            and isinstance(queryset, QuerySet)
            and not queryset.query.where
        ):
            # One query either way: the planner's estimate for a big table, an
            # exact count for a small one.
            table = connection.ops.quote_name(queryset.model._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT CASE WHEN c.reltuples >= %s THEN c.reltuples::bigint "
                    f"ELSE (SELECT COUNT(*) FROM {table}) END "
                    "FROM pg_class c WHERE c.oid = %s::regclass",
                    [self.exact_below, queryset.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row is not None:
                return int(row[0])
        return super().count


NAVIGATION_CACHE_SECONDS = 300


def _navigation_key(prefix: str, query: Any) -> str:
    """A cache key for a navigation query, the same for a whole minute."""
    sql, params = query.sql_with_params()
    # "Now" in published()/scheduled() changes every request; a minute is close enough.
    params = [
        p.replace(second=0, microsecond=0) if isinstance(p, datetime.datetime) else p
        for p in params
    ]
    return prefix + hashlib.sha256(f"{sql}|{params}".encode()).hexdigest()


class DateNavigationQuerySet(ArticleQuerySet):
    """Caches the date-hierarchy links for a few minutes.

    The admin's date hierarchy asks for the first and last dates and for
    DISTINCT truncated dates over every matching row; at archive scale those
    scans cost more than the page itself (SQLite reads the whole index for a
    MIN and a MAX in one query), and the links change only as often as the
    archive gains a new month.
    """

    def datetimes(self, *args: Any, **kwargs: Any) -> list:
        query = super().datetimes(*args, **kwargs)
        key = _navigation_key("admin-dates:", query.query)
        values = cache.get(key)
        if values is None:
            values = list(query)
            cache.set(key, values, NAVIGATION_CACHE_SECONDS)
        return values

    def aggregate(self, *args: Any, **kwargs: Any) -> dict:
        # Only the hierarchy's date range: {"first": Min(field), "last": Max(field)}.
        if args or set(kwargs) != {"first", "last"}:
            return super().aggregate(*args, **kwargs)
        key = _navigation_key(
            f"admin-date-range:{kwargs['first']!r}|{kwargs['last']!r}:", self.query
        )
        values = cache.get(key)
        if values is None:
            values = super().aggregate(**kwargs)
            cache.set(key, values, NAVIGATION_CACHE_SECONDS)
        return values


class LanguageFilter(admin.SimpleListFilter):
    """Languages present in the archive, looked up once every few minutes."""

    title = "language"
    parameter_name = "language"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        languages = cache.get("admin-article-languages")
        if languages is None:
            languages = sorted(
                Article.objects.order_by().values_list("language", flat=True).distinct()
            )
            cache.set("admin-article-languages", languages, NAVIGATION_CACHE_SECONDS)
        return [(code, code) for code in languages]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            return queryset.filter(language=self.value())
        return queryset


def report_service_errors(
    modeladmin: admin.ModelAdmin, request: HttpRequest, exc: Exception
) -> None:
    """Show a service's refusal to the editor instead of failing the request."""
    if isinstance(exc, ValidationError):
        for message in exc.messages:
            modeladmin.message_user(request, message, messages.ERROR)
    else:
        modeladmin.message_user(request, str(exc), messages.ERROR)


# --- Reference data ------------------------------------------------------------


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "domain", "kind", "country", "language", "reliability")
    list_filter = ("kind", "reliability", "language")
    search_fields = ("name", "domain")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("name", "slug", "domain", "homepage")}),
        (
            "Profile",
            {"fields": ("kind", "country", "language", "reliability", "notes")},
        ),
        ("Record", {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "affiliation", "title")
    search_fields = ("name", "affiliation")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("name", "slug", "affiliation", "title")}),
        ("Profile", {"fields": ("bio", "link")}),
        ("Record", {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "updated_at")


# --- Articles --------------------------------------------------------------------


class ArticleAuthorInline(admin.TabularInline):
    model = ArticleAuthor
    extra = 0
    autocomplete_fields = ("person",)
    fields = ("position", "person")
    verbose_name = "author"
    verbose_name_plural = "authors (byline order)"


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    autocomplete_fields = ("person",)
    fields = (("person", "position"), "text", "attribution")


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    fk_name = "article"
    extra = 0
    autocomplete_fields = ("target", "via")
    fields = ("position", "target", "title", "url", "via")
    verbose_name = "“Read also” link"
    verbose_name_plural = (
        "“Read also” links (set a target to resolve an imported title)"
    )


class CorrectionInline(admin.TabularInline):
    """Corrections are appended through the workflow so readers see them dated."""

    model = Correction
    extra = 0
    fields = ("published_at", "kind", "note", "created_by")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class IncidentLinkInline(admin.TabularInline):
    model = Article.incidents.through
    extra = 0
    autocomplete_fields = ("incident",)
    verbose_name = "incident covered"
    verbose_name_plural = "incidents covered"


class ArticleStatusFilter(admin.SimpleListFilter):
    """Status as editors think of it, with scheduled separated from live."""

    title = "status"
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("draft", "Draft"),
            ("in_review", "In review"),
            ("scheduled", "Scheduled"),
            ("live", "Published (live)"),
            ("retracted", "Retracted"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        match self.value():
            case "draft":
                return queryset.with_status(ArticleStatus.DRAFT)
            case "in_review":
                return queryset.in_review()
            case "scheduled":
                return queryset.scheduled()
            case "live":
                return queryset.published()
            case "retracted":
                return queryset.retracted()
        return queryset


class ArticleAdminForm(forms.ModelForm):
    """Carries the version the editor started from, so a stale save is refused."""

    version_seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 - the admin narrows it to its fieldsets

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # From the database, not the instance: a restored revision carries an old version.
            current = (
                Article.objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            self.fields["version_seen"].initial = current

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.instance.pk and data.get("version_seen") is not None:
            current = Article.objects.select_related("updated_by").get(
                pk=self.instance.pk
            )
            if current.version != data["version_seen"]:
                raise ValidationError(
                    services.conflict_message(current), code="version_conflict"
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


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
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
        IncidentLinkInline,
        CorrectionInline,
    )
    actions = (
        "submit_selected",
        "publish_selected",
        "retract_selected",
        "return_selected",
    )
    change_form_template = "admin/newsdesk/article/change_form.html"

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
        can_publish = services.user_can_publish(request.user)
        buttons: list[tuple[str, str]] = []
        if obj.status == ArticleStatus.DRAFT:
            buttons.append(("submit", "Submit for review"))
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
        form = form_class(request.POST or None, initial={"version": article.version})
        if request.method == "POST" and form.is_valid():
            try:
                message = form.perform(article=article, user=request.user)
            except (ValidationError, PermissionDenied) as exc:
                report_service_errors(self, request, exc)
            else:
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "title": f"{form_class.title}: {article.headline}",
            "form": form,
            "action": action,
            "change_url": change_url,
            "media": self.media + form.media,
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
            lambda a: services.article_submit(article=a, user=request.user),
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
            "articles": queryset,
            "form": form,
            "action_name": "retract_selected",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request, "admin/newsdesk/article/retract_selected.html", context
        )


class WorkflowForm(forms.Form):
    title = ""
    version = forms.IntegerField(widget=forms.HiddenInput)

    def perform(self, *, article: Article, user: Any) -> str:
        raise NotImplementedError


class SubmitForm(WorkflowForm):
    title = "Submit for review"

    def perform(self, *, article: Article, user: Any) -> str:
        services.article_submit(
            article=article, user=user, expected_version=self.cleaned_data["version"]
        )
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


@admin.register(ArticleRedirect)
class ArticleRedirectAdmin(admin.ModelAdmin):
    list_display = ("old_path", "article", "created_at")
    search_fields = ("old_path", "article__headline")
    list_select_related = ("article",)
    autocomplete_fields = ("article",)
    readonly_fields = ("created_at",)


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ("short_text", "person", "article")
    search_fields = ("text", "person__name", "article__headline")
    list_select_related = ("person", "article")
    autocomplete_fields = ("article", "person")

    @admin.display(description="quote")
    def short_text(self, obj: Quote) -> str:
        return str(obj)


@admin.register(RelatedLink)
class RelatedLinkAdmin(admin.ModelAdmin):
    list_display = ("title", "article", "target", "is_resolved")
    list_filter = (("target", admin.EmptyFieldListFilter),)
    search_fields = ("title", "article__headline")
    list_select_related = ("article", "target")
    autocomplete_fields = ("article", "target", "via")

    @admin.display(boolean=True, description="resolved")
    def is_resolved(self, obj: RelatedLink) -> bool:
        return obj.is_resolved


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """Corrections are added from the article's “Add correction” button; kept read-only here."""

    list_display = ("published_at", "kind", "article", "created_by")
    list_filter = ("kind",)
    date_hierarchy = "published_at"
    search_fields = ("note", "article__headline")
    list_select_related = ("article", "created_by")
    readonly_fields = ("article", "kind", "note", "published_at", "created_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


# --- Comments ------------------------------------------------------------------


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("short_body", "name", "article", "status", "created_at")
    list_filter = ("status",)
    date_hierarchy = "created_at"
    search_fields = ("body", "name")
    list_select_related = ("article",)
    readonly_fields = (
        "article",
        "name",
        "body",
        "status",
        "created_at",
        "moderated_at",
        "moderated_by",
    )
    fields = readonly_fields
    actions = ("approve_selected", "spam_selected", "remove_selected")
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="comment")
    def short_body(self, obj: Comment) -> str:
        return obj.body[:80]

    def _moderate(
        self, request: HttpRequest, queryset: QuerySet, service: Any, verb: str
    ) -> None:
        try:
            changed = service(comments=list(queryset), user=request.user)
        except PermissionDenied as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(
                request, f"{verb} {changed} comment(s).", messages.SUCCESS
            )

    @admin.action(description="Approve selected comments")
    def approve_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._moderate(request, queryset, services.comment_approve, "Approved")

    @admin.action(description="Mark selected comments as spam")
    def spam_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._moderate(request, queryset, services.comment_mark_spam, "Marked as spam")

    @admin.action(description="Remove selected comments")
    def remove_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._moderate(request, queryset, services.comment_remove, "Removed")
