"""The article screen: list, change form, permissions and saving."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from newsdesk import review, search, services
from newsdesk.admin import display
from newsdesk.admin.article_inlines import (
    ArticleAuthorInline,
    CorrectionInline,
    QuoteInline,
    Refusals,
    RelatedLinkInline,
    RowsRefused,
    ServiceInline,
    is_staged,
    own_person,
    refusal_messages,
    staged_view,
)
from newsdesk.admin.filters import (
    ArticleStatusFilter,
    LanguageFilter,
    MyWorkFilter,
    TopicFilter,
)
from newsdesk.admin.forms import ArticleAdminForm
from newsdesk.admin.history import ReadableHistoryAdmin
from newsdesk.admin.lists import (
    ArticleChangeList,
    ArticleListPaginator,
    DateNavigationQuerySet,
)
from newsdesk.admin.pending import PendingChangesMixin
from newsdesk.admin.quick_edit import QuickEditMixin
from newsdesk.admin.related_widgets import RelationWidgetsMixin
from newsdesk.admin.review import latest_resubmission, with_compare_links
from newsdesk.admin.revisions import ArticleRevisionsMixin
from newsdesk.admin.row_actions import render_row_actions
from newsdesk.admin.workflow import ArticleWorkflowMixin
from newsdesk.editing.admin import ArticleEditorMixin
from newsdesk.editing.guard import KeepsUnsavedWork
from newsdesk.editing.merge import MERGE_VERSION, ThreeWayMergeMixin, rows_chosen
from newsdesk.links import absolute_url
from newsdesk.models import Article, ArticleRevision, ArticleStatus, Person, Quote
from newsdesk.previews import preview_url
from newsdesk.revisions.compare import ARTICLE_TEXT_FIELDS

# Inlines that other apps add to the article form (incidents adds "incidents
# covered"), so newsdesk never names them; shown before the corrections.
EXTENSION_INLINES: list[type[admin.options.InlineModelAdmin]] = []


def article_inline_register(inline: type[admin.options.InlineModelAdmin]) -> None:
    """Add an inline from another app to the article change form."""
    if inline not in EXTENSION_INLINES:
        EXTENSION_INLINES.append(inline)


def people_named(term: str) -> QuerySet:
    """People whose name holds every word of `term`; the people table is small."""
    people = Person.objects.all()
    for word in term.split()[:6]:
        people = people.filter(name__icontains=word.strip('"'))
    return people.values("pk")


def _list_times(article: Article) -> display.ListTimes:
    """How the list's times are shown, read once for its page (else for this cell)."""
    links = getattr(article, "list_links", None)
    return links.times if links else display.ListTimes()


@admin.register(Article)
class ArticleAdmin(
    RelationWidgetsMixin,
    QuickEditMixin,
    KeepsUnsavedWork,
    ThreeWayMergeMixin,
    PendingChangesMixin,
    ArticleEditorMixin,
    ArticleWorkflowMixin,
    ArticleRevisionsMixin,
    ReadableHistoryAdmin,
):
    form = ArticleAdminForm
    history_text_fields = ARTICLE_TEXT_FIELDS
    object_history_template = "admin/newsdesk/article/object_history.html"
    list_display = (
        "thumbnail",
        "headline_cell",
        "status_badge",
        "byline",
        "word_count",
        "publish_cell",
        "updated_cell",
    )
    list_display_links = None  # the headline cell carries its own link
    list_filter = (
        MyWorkFilter,
        ArticleStatusFilter,
        "needs_headline",
        LanguageFilter,
        ("topics", TopicFilter),
    )
    list_select_related = ("source", "updated_by", "lead_image")
    # Searched through the full-text index (get_search_results), not these scans;
    # a non-empty value turns the search box on.
    search_fields = ("headline",)
    search_help_text = (
        "Search headlines, standfirsts, text, authors and quoted people, in any status."
    )
    date_hierarchy = "publish_at"
    show_full_result_count = False
    paginator = ArticleListPaginator
    list_per_page = 50
    ordering = ("-updated_at",)
    autocomplete_fields = ("source", "topics", "lead_image")
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
                "classes": ("nd-side",),
            },
        ),
        (
            "Checks before publish",
            {"fields": ("publish_checks",), "classes": ("nd-side",)},
        ),
        (
            "Provenance and language",
            {
                "fields": ("source", "original_url", ("language", "original_language")),
                "classes": ("nd-side",),
            },
        ),
        ("Topics", {"fields": ("topics",), "classes": ("nd-side",)}),
        (
            "Lead image",
            {
                "fields": ("lead_image", "lead_image_caption"),
                "description": "Choose from the media library; alt text and credit "
                "live with the image.",
                "classes": ("nd-side",),
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
                "classes": ("collapse", "nd-side"),
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

    def get_formset_kwargs(
        self, request: HttpRequest, obj: Article, inline: Any, prefix: str
    ) -> dict[str, Any]:
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        # Offered on the empty form only: a posted row saves as a row typed in.
        if (
            isinstance(inline, ArticleAuthorInline)
            and obj.pk is None
            and request.method == "GET"
        ):
            person = own_person(request)
            if person is not None:
                kwargs["initial"] = [{"person": person.pk, "position": 0}]
        if isinstance(inline, ServiceInline):
            kwargs["refused"] = getattr(request, "refused_rows", {}).get(prefix)
        return kwargs

    def get_inlines(self, request: HttpRequest, obj: Article | None) -> tuple:
        *editable, corrections = self.inlines
        return (*editable, *EXTENSION_INLINES, corrections)

    # -- display ------------------------------------------------------------------

    def action_checkbox(self, obj: Article) -> str:
        # The stock column renders a form widget's template for every row, the
        # list's costliest cell; the same box written out directly, its label
        # translated once for the page (`list_links`).
        links = getattr(obj, "list_links", None)
        label = (
            links.select_label if links else _("Select this object for an action - {}")
        )
        # Escaped as format_html escapes, without its lazy-text wrapper per row.
        label = label.format(html.escape(str(obj)))
        return mark_safe(
            f'<input type="checkbox" name="{helpers.ACTION_CHECKBOX_NAME}"'
            f' value="{html.escape(str(obj.pk))}" class="action-select"'
            f' aria-label="{label}">'
        )

    @admin.display(description="image")
    def thumbnail(self, obj: Article) -> str:
        return display.lead_thumbnail(obj)

    @admin.display(description="headline", ordering="headline")
    def headline_cell(self, obj: Article) -> str:
        source = getattr(obj, "list_source_name", None)  # read with the list's rows
        if source is None and obj.source_id:
            source = obj.source.name
        extra = [f"via {source}" if obj.source_id else "", obj.language]
        actions = getattr(obj, "row_actions", None)
        change = actions[0].url if actions else None
        change = change or reverse("admin:newsdesk_article_change", args=[obj.pk])
        # html.escape is what format_html's escaping does, without its lazy-text
        # wrapper on each of the list's 50 rows.
        return mark_safe(  # every value is escaped here or by render_row_actions
            f'<a href="{html.escape(change)}">{html.escape(obj.headline)}</a><br>'
            f'<span class="nd-muted">{html.escape(" · ".join(filter(None, extra)))}'
            f"</span>{render_row_actions(actions or [], obj.headline)}"
        )

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj: Article) -> str:
        return display.status_badge(obj, _list_times(obj))

    @admin.display(description="byline")
    def byline(self, obj: Article) -> str:
        names = getattr(obj, "list_byline", None)  # read with the list's rows
        return (display.byline(obj) if names is None else names) or "—"

    @admin.display(description="words")
    def word_count(self, obj: Article) -> str:
        return f"{display.word_count(obj):,}"

    @admin.display(description="publish time", ordering="publish_at")
    def publish_cell(self, obj: Article) -> str:
        return _list_times(obj).compact(obj.publish_at)

    @admin.display(description="updated", ordering="updated_at")
    def updated_cell(self, obj: Article) -> str:
        when = _list_times(obj).compact(obj.updated_at)
        if hasattr(obj, "list_updated_by"):  # read with the list's rows
            who = obj.list_updated_by or ""
        else:
            who = obj.updated_by.get_username() if obj.updated_by else ""
        return mark_safe(  # both values escaped
            f'{html.escape(when)}<br><span class="nd-muted">'
            f"{html.escape(who and f'by {who}')}</span>"
        )

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type:
        return ArticleChangeList

    @admin.display(description="Preview")
    def preview_links(self, obj: Article) -> str:
        if not obj.pk:
            return "—"
        if obj.is_published():
            live = getattr(obj, "_live_path", None) or obj.get_absolute_url()
            return format_html('<a href="{}">View on site</a>', live)
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
        return absolute_url(preview_url(obj))

    # -- permissions ----------------------------------------------------------------

    def has_change_permission(
        self, request: HttpRequest, obj: Article | None = None
    ) -> bool:
        if obj is None:
            return super().has_change_permission(request)
        return self.change_permission_for(request)(obj)

    def change_permission_for(self, request: HttpRequest) -> Callable[[Article], bool]:
        """`has_change_permission` for any article, the user's permissions read once
        (the article list asks it for every row)."""
        if not super().has_change_permission(request):
            return lambda article: False
        # A retracted article changes only through editors' workflow. A published
        # article's form saves pending changes, which reporters may propose; only
        # those who may publish put them live.
        may_publish = services.user_can_publish(request.user)
        return lambda article: may_publish or article.status != ArticleStatus.RETRACTED

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Built like a manager builds its queryset, in the class that caches the
        # date hierarchy's links.
        return (
            DateNavigationQuerySet(self.model, using=self.model.objects.db)
            .order_by(*self.get_ordering(request))
            .select_related("source", "updated_by", "created_by", "lead_image")
        )

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        if not services.user_can_publish(request.user):
            for name in ("publish_selected", "retract_selected"):
                actions.pop(name, None)
        return actions

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        """Headline, standfirst, body and authors through the full-text index; quoted people."""
        if not search_term.strip():
            return queryset, False
        try:
            indexed = search.article_match(search_term, queryset.db)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return queryset.none(), False
        quoted = Q(
            pk__in=Quote.objects.filter(person__in=people_named(search_term)).values(
                "article_id"
            )
        )
        return queryset.filter(
            quoted if indexed is None else Q(indexed) | quoted
        ), False

    # -- saving -------------------------------------------------------------------

    def save_model(
        self, request: HttpRequest, obj: Article, form: forms.Form, change: bool
    ) -> None:
        if change and self.saves_pending(obj):
            return  # staged with its rows in save_related
        services.article_save(
            article=obj,
            user=request.user,
            expected_version=form.cleaned_data.get("version_seen"),
            is_new=not change,
        )

    def save_formset(
        self, request: HttpRequest, form: forms.Form, formset: Any, change: bool
    ) -> None:
        inline = next(
            (
                inline
                for inline in self.get_inline_instances(request, form.instance)
                if isinstance(inline, ServiceInline) and inline.model is formset.model
            ),
            None,
        )
        if inline is None:  # read-only rows (corrections): nothing to write
            super().save_formset(request, form, formset, change)
            return
        if MERGE_VERSION in request.POST and (
            rows_chosen(request.POST).get(inline.snapshot_key) == "theirs"
        ):
            # A merged result keeping the rows as saved meanwhile: none written.
            formset.new_objects, formset.changed_objects = [], []
            formset.deleted_objects = []
            return
        refused: Refusals = {}
        try:
            inline.save_rows(
                request=request,
                article=form.instance,
                formset=formset,
                refused=refused,
            )
        except (ValidationError, PermissionDenied) as exc:
            refused[None] = refusal_messages(exc)
        if refused:
            request.refused_rows = {
                **getattr(request, "refused_rows", {}),
                formset.prefix: refused,
            }

    def save_related(
        self, request: HttpRequest, form: forms.Form, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        if getattr(request, "refused_rows", None):
            raise RowsRefused(request.refused_rows)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        try:
            try:
                try:
                    return super().changeform_view(
                        request, object_id, form_url, extra_context
                    )
                except services.ArticleConflict:
                    # Lost the race under the row lock after the form's own check
                    # passed: nothing was written. Checked again, the form now
                    # sees the other save and shows the three-way view.
                    return super().changeform_view(
                        request, object_id, form_url, extra_context
                    )
            except RowsRefused:
                # The admin's transaction rolled back, so nothing was written: show
                # the form again, the refusals on their rows (refused_rows).
                return super().changeform_view(
                    request, object_id, form_url, extra_context
                )
        except RowsRefused as exc:
            # Refused again without the refusal reaching a row: say so at the top.
            for messages_ in exc.refusals.values():
                for text in messages_.values():
                    self.message_user(request, " ".join(text), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        except services.ArticleConflict as exc:
            # Lost the race twice: nothing was written; back to the current version.
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
            # The form is built from this same row (get_object), read once.
            request.change_object = obj
            if is_staged(obj):
                staged_view(obj)  # its pending changes, read once for the page
                pending = obj._pending_revision is not None
            else:
                pending = ArticleRevision.objects.pending().filter(article=obj).exists()
            extra_context["workflow_buttons"] = self.workflow_actions(request, obj)
            extra_context["has_pending_changes"] = pending
            extra_context.update(self.pending_context(request, obj))
            extra_context["open_review_requests"] = list(
                obj.review_notes.open_requests().select_related("created_by")
            )
            extra_context["latest_resubmission"] = (
                latest_resubmission(obj)
                if services.user_can_publish(request.user)
                else None
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Article | None:
        kept = getattr(request, "change_object", None)
        if kept is not None and from_field is None and str(kept.pk) == str(object_id):
            # Handed over once: a retry after a lost race reads the row again.
            request.change_object = None
            return kept
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj.version_read = obj.version
        return obj

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        article = self.get_object(request, object_id)
        notes = (
            with_compare_links(review.review_notes_for(article))
            if article is not None
            else []
        )
        return super().history_view(
            request, object_id, {**(extra_context or {}), "review_notes": notes}
        )
