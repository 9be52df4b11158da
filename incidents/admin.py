"""Admin for the structured records: actors, places, incidents, figures, recommendations."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse

from incidents import services
from incidents.models import (
    Actor,
    ActorAlias,
    CandidateStatus,
    Figure,
    FigureCandidate,
    Incident,
    IncidentActor,
    Metric,
    Place,
    Recommendation,
    RecommendationUpdate,
)
from incidents.revisions import incident_refs
from newsdesk.admin.article_inlines import ServiceInline, kept_rows, note_changes
from newsdesk.admin.articles import article_inline_register
from newsdesk.admin.dashboard import Queue, QueueItem, dashboard_queue_register
from newsdesk.admin.history import KeepStoredPrecisionForm, ReadableHistoryAdmin
from newsdesk.admin.mixins import report_service_errors
from newsdesk.admin.widgets import CountryAutocompleteMixin
from newsdesk.editing.guard import KeepsUnsavedWork
from newsdesk.models import Article


class IncidentLinkInline(ServiceInline, admin.TabularInline):
    """The incidents an article covers, on the article's change form."""

    model = Article.incidents.through
    extra = 0
    # Named, so the admin does not build the rows' form a second time to list them.
    fields = ("incident",)
    autocomplete_fields = ("incident",)
    verbose_name = "incident covered"
    verbose_name_plural = "incidents covered"
    snapshot_key = "incidents"

    def snapshot_initial(self, part: list) -> list[dict]:
        return [{"incident": item["id"]} for item in part]

    def snapshot_rows(self, formset) -> list:
        return incident_refs(
            row.cleaned_data["incident"] for row in formset.kept_forms("incident")
        )

    def save_rows(self, *, request, article, formset, refused) -> None:
        note_changes(formset)
        if not formset.has_changed():
            return
        services.article_set_incidents(
            article=article,
            incidents=[
                row.cleaned_data["incident"] for row in kept_rows(formset, "incident")
            ],
            user=request.user,
        )


article_inline_register(IncidentLinkInline)


class ActorAliasInline(admin.TabularInline):
    model = ActorAlias
    extra = 1


@admin.register(Actor)
class ActorAdmin(CountryAutocompleteMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "country", "alias_list")
    list_filter = ("kind",)
    search_fields = ("name", "aliases__name")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "updated_at")
    inlines = (ActorAliasInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("aliases")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        queryset, _ = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False

    @admin.display(description="aliases")
    def alias_list(self, obj: Actor) -> str:
        return ", ".join(a.name for a in obj.aliases.all())


@admin.register(Place)
class PlaceAdmin(CountryAutocompleteMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "kind",
        "admin1",
        "country",
        "latitude",
        "longitude",
        "geo_precision",
    )
    list_filter = ("kind", "geo_precision", "country")
    search_fields = ("name", "admin1")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind")}),
        (
            "Where",
            {
                "fields": (
                    "admin1",
                    "country",
                    ("latitude", "longitude"),
                    "geo_precision",
                )
            },
        ),
        ("Record", {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )


class IncidentActorInline(admin.TabularInline):
    model = IncidentActor
    extra = 0
    autocomplete_fields = ("actor",)


class FigureAdminForm(KeepStoredPrecisionForm):
    """A claimed number: "high" may stay empty for a single number, and the
    version the editor started from travels with the form."""

    version_seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Figure
        fields = "__all__"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "high" in self.fields:
            self.fields["high"].required = False
            self.fields[
                "high"
            ].help_text = "Highest claimed value; leave empty for a single number."
        if self.instance.pk:
            self.fields["version_seen"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("high") is None and data.get("low") is not None:
            data["high"] = data["low"]
        seen = data.get("version_seen")
        if self.instance.pk and seen is not None:
            current = Figure.objects.filter(pk=self.instance.pk).values_list(
                "version", flat=True
            )
            if current and current[0] != seen:
                raise ValidationError(
                    f"This figure was changed since you opened it (version {seen}, "
                    f"now {current[0]}). Reload to see the change; nothing was saved.",
                    code="version_conflict",
                )
        return data

    def service_data(self, *, changed_only: bool) -> dict[str, Any]:
        """The claim's fields for figure_add / figure_update."""
        names = self.changed_data if changed_only else self.cleaned_data
        return {
            name: self.cleaned_data[name]
            for name in names
            if name in services.FIGURE_EDITABLE_FIELDS
        }


def figure_save(*, form: FigureAdminForm, incident: Incident, user: Any) -> Figure:
    """One figure form through the services: add, or update at its version."""
    if form.instance.pk:
        figure = services.figure_update(
            figure=form.instance,
            user=user,
            data=form.service_data(changed_only=True),
            expected_version=form.cleaned_data.get("version_seen"),
        )
    else:
        figure = services.figure_add(
            incident=incident, user=user, **form.service_data(changed_only=False)
        )
    form.instance.pk, form.instance.version = figure.pk, figure.version
    return figure


class FigureInline(admin.StackedInline):
    model = Figure
    form = FigureAdminForm
    extra = 0
    autocomplete_fields = ("article", "source")
    fields = (
        ("metric", "group"),
        ("low", "high", "qualifier"),
        ("claimant", "reported_on"),
        ("article", "source", "url"),
        "excerpt",
        "note",
        "version_seen",
    )


@admin.register(Incident)
class IncidentAdmin(KeepsUnsavedWork, ReadableHistoryAdmin):
    history_text_fields = (("title", "title"), ("summary", "summary"))
    list_display = (
        "title",
        "kind",
        "start_date",
        "place",
        "verification",
        "status",
        "in_focus",
    )
    list_filter = ("status", "kind", "verification", "in_focus", "place__country")
    list_select_related = ("place",)
    search_fields = ("title", "summary")
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("place", "articles")
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("title", "slug", ("kind", "sub_kind"), "summary")}),
        (
            "When and where",
            {"fields": (("start_date", "end_date", "date_precision"), "place")},
        ),
        ("Status", {"fields": (("verification", "status", "in_focus"),)}),
        ("Coverage", {"fields": ("articles",)}),
        ("Record", {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )
    inlines = (IncidentActorInline, FigureInline)

    def save_formset(
        self, request: HttpRequest, form: Any, formset: Any, change: bool
    ) -> None:
        if formset.model is not Figure:
            super().save_formset(request, form, formset, change)
            return
        # Figures go through the services, so each edit raises the figure's
        # version and an API client holding the old one is refused.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = (
            [],
            [],
            [],
        )
        for row in formset.forms:
            if row in formset.deleted_forms:
                if row.instance.pk:
                    services.figure_delete(figure=row.instance, user=request.user)
                    formset.deleted_objects.append(row.instance)
            elif row.instance.pk and row.has_changed():
                figure_save(form=row, incident=form.instance, user=request.user)
                formset.changed_objects.append((row.instance, row.changed_data))
            elif not row.instance.pk and row.has_changed():
                figure_save(form=row, incident=form.instance, user=request.user)
                formset.new_objects.append(row.instance)


@admin.register(Figure)
class FigureAdmin(ReadableHistoryAdmin):
    history_text_fields = (("excerpt", "excerpt"), ("note", "note"))
    list_display = (
        "incident",
        "metric",
        "group",
        "low",
        "high",
        "qualifier",
        "claimant",
        "reported_on",
    )
    list_filter = ("metric", "group", "qualifier")
    list_select_related = ("incident",)
    search_fields = ("claimant", "incident__title", "excerpt")
    date_hierarchy = "reported_on"
    autocomplete_fields = ("incident", "article", "source")
    readonly_fields = ("created_at", "updated_at")
    form = FigureAdminForm

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple:
        # A claim belongs to its incident; record a new one rather than move it.
        readonly = super().get_readonly_fields(request, obj)
        return (*readonly, "incident") if obj is not None else readonly

    def save_model(
        self, request: HttpRequest, obj: Figure, form: Any, change: bool
    ) -> None:
        incident = obj.incident if change else form.cleaned_data["incident"]
        figure_save(form=form, incident=incident, user=request.user)

    def delete_model(self, request: HttpRequest, obj: Figure) -> None:
        services.figure_delete(figure=obj, user=request.user)


class ConfirmCandidateForm(forms.Form):
    incident = forms.ModelChoiceField(
        queryset=Incident.objects.all(), help_text="The incident the number is about."
    )
    metric = forms.ChoiceField(
        choices=Metric.choices, help_text="What the number counts."
    )
    claimant = forms.CharField(
        max_length=200, help_text="Who made the claim, e.g. “SDF”."
    )


@dashboard_queue_register
def figures_to_confirm(request: HttpRequest) -> Queue | None:
    """The importer's suggested numbers, waiting for an editor to confirm or dismiss."""
    if not request.user.has_perm("incidents.change_figurecandidate"):
        return None
    pending = (
        FigureCandidate.objects.filter(status=CandidateStatus.PENDING)
        .select_related("article")
        .order_by("id")
    )
    return Queue(
        title="Figures to confirm",
        url=reverse("admin:incidents_figurecandidate_changelist")
        + "?status__exact=pending",
        count=pending.count(),
        items=[
            QueueItem(
                label=f"{c.text}",
                url=reverse("admin:incidents_figurecandidate_change", args=[c.pk]),
                note=f"in “{c.article.headline}”",
            )
            for c in pending[:3]
        ],
        empty="No suggested figures.",
    )


@admin.register(FigureCandidate)
class FigureCandidateAdmin(admin.ModelAdmin):
    list_display = ("text", "article", "low", "high", "qualifier", "metric", "status")
    list_filter = ("status", "metric")
    list_select_related = ("article",)
    search_fields = ("text", "sentence", "article__headline")
    autocomplete_fields = ("article",)
    readonly_fields = ("figure",)
    actions = ("confirm_selected", "dismiss_selected")

    @admin.action(description="Confirm selected suggestions as figures…")
    def confirm_selected(
        self, request: HttpRequest, queryset: QuerySet
    ) -> HttpResponse | None:
        form = ConfirmCandidateForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done = 0
            for candidate in queryset.filter(status=CandidateStatus.PENDING):
                try:
                    services.figure_candidate_confirm(
                        candidate=candidate,
                        user=request.user,
                        incident=form.cleaned_data["incident"],
                        metric=candidate.metric or form.cleaned_data["metric"],
                        claimant=form.cleaned_data["claimant"],
                    )
                except (ValidationError, PermissionDenied) as exc:
                    report_service_errors(self, request, exc)
                else:
                    done += 1
            self.message_user(request, f"Confirmed {done} figure(s).", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Confirm figures",
            "candidates": queryset,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request, "admin/incidents/figurecandidate/confirm.html", context
        )

    @admin.action(description="Dismiss selected suggestions")
    def dismiss_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = 0
        for candidate in queryset:
            try:
                services.figure_candidate_dismiss(
                    candidate=candidate, user=request.user
                )
            except PermissionDenied as exc:
                report_service_errors(self, request, exc)
                return
            count += 1
        self.message_user(
            request, f"Dismissed {count} suggestion(s).", messages.SUCCESS
        )


class RecommendationUpdateFormSet(forms.BaseInlineFormSet):
    """New rows become status changes through the service; old rows stay as history."""

    def clean(self) -> None:
        super().clean()
        current = self.instance.status if self.instance.pk else None
        for form in self.forms:
            if not form.has_changed() or form.instance.pk or not form.cleaned_data:
                continue
            data = form.cleaned_data
            if data.get("status") == current:
                form.add_error("status", "The recommendation already has this status.")
            if not (
                data.get("evidence_article")
                or data.get("evidence_url")
                or (data.get("note") or "").strip()
            ):
                form.add_error(
                    "evidence_url", "Give the evidence: an article, a link or a note."
                )
            current = data.get("status")


class RecommendationUpdateInline(admin.TabularInline):
    model = RecommendationUpdate
    formset = RecommendationUpdateFormSet
    extra = 1
    autocomplete_fields = ("evidence_article",)
    fields = (
        "status",
        "changed_on",
        "note",
        "evidence_article",
        "evidence_url",
        "created_by",
    )
    readonly_fields = ("created_by",)
    can_delete = False
    verbose_name = "status change"
    verbose_name_plural = "status history (add a row to change the status)"

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Recommendation)
class RecommendationAdmin(CountryAutocompleteMixin, ReadableHistoryAdmin):
    history_text_fields = (("statement", "statement"),)
    list_display = (
        "short_statement",
        "action",
        "addressee",
        "status",
        "status_changed_on",
        "made_in",
    )
    list_filter = ("action", "status")
    list_select_related = ("made_in", "recommended_by_person", "recommended_by_source")
    search_fields = ("statement", "addressed_to_group")
    autocomplete_fields = (
        "recommended_by_person",
        "recommended_by_source",
        "made_in",
        "incident",
    )
    readonly_fields = ("status", "status_changed_on", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("action", "statement")}),
        ("Addressed to", {"fields": ("addressed_to_countries", "addressed_to_group")}),
        (
            "Made by",
            {
                "fields": (
                    "recommended_by_person",
                    "recommended_by_source",
                    "made_in",
                    "incident",
                )
            },
        ),
        ("Status", {"fields": (("status", "status_changed_on"),)}),
        ("Record", {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )
    inlines = (RecommendationUpdateInline,)

    @admin.display(description="statement")
    def short_statement(self, obj: Recommendation) -> str:
        return obj.statement[:90]

    def save_model(
        self, request: HttpRequest, obj: Recommendation, form: Any, change: bool
    ) -> None:
        if change:
            data = {
                name: form.cleaned_data[name]
                for name in form.changed_data
                if name in services.RECOMMENDATION_EDITABLE_FIELDS
            }
            if data:
                services.recommendation_update(
                    recommendation=obj, user=request.user, data=data
                )
            return
        fields = {name: form.cleaned_data.get(name) for name in form.cleaned_data}
        created = services.recommendation_create(user=request.user, **fields)
        obj.pk = created.pk
        obj.status = created.status

    def save_formset(
        self, request: HttpRequest, form: Any, formset: Any, change: bool
    ) -> None:
        if formset.model is not RecommendationUpdate:
            super().save_formset(request, form, formset, change)
            return
        # The change message reads these; rows are saved by the service instead.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = (
            [],
            [],
            [],
        )
        for row in formset.forms:
            if row.instance.pk or not row.has_changed() or not row.cleaned_data:
                continue
            data = row.cleaned_data
            try:
                update = services.recommendation_set_status(
                    recommendation=form.instance,
                    status=data["status"],
                    user=request.user,
                    changed_on=data.get("changed_on"),
                    note=data.get("note") or "",
                    evidence_article=data.get("evidence_article"),
                    evidence_url=data.get("evidence_url") or "",
                )
            except (ValidationError, PermissionDenied) as exc:
                report_service_errors(self, request, exc)
            else:
                formset.new_objects.append(update)
