"""What an article's change form edits alongside it: byline, quotes, links, corrections."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Model, prefetch_related_objects
from django.http import HttpRequest

from newsdesk import services
from newsdesk.admin.forms import LeanFormSetMixin
from newsdesk.admin.related_widgets import (
    RelationWidgetsMixin,
    chosen_box,
    shows_rows_by_pk,
)
from newsdesk.editing.merge import CONFLICT_CODE, MERGE_VERSION, ROWS_VANISHED
from newsdesk.models import (
    Article,
    ArticleAuthor,
    Correction,
    Person,
    Quote,
    RelatedLink,
)
from newsdesk.revisions.selectors import pending_revision
from newsdesk.revisions.services import pending_view
from newsdesk.revisions.snapshot import (
    REF_FIELDS,
    TEXT_FIELDS,
    article_snapshot,
    author_refs,
    link_part,
    quote_part,
)

# Refused rows of one formset: form index (None for the formset) -> messages.
Refusals = dict[int | None, list[str]]


class RowsRefused(Exception):
    """A service refused inline rows; the admin's transaction rolls back."""

    def __init__(self, refusals: dict[str, Refusals]) -> None:
        super().__init__("inline rows refused")
        self.refusals = refusals


def refusal_messages(exc: ValidationError | PermissionDenied) -> list[str]:
    return exc.messages if isinstance(exc, ValidationError) else [str(exc)]


def is_staged(obj: Article | None) -> bool:
    """Whether saving this article's form stages pending changes (it is published)."""
    return obj is not None and obj.stages_edits()


def staged_view(obj: Article) -> dict[str, Any]:
    """What the form of a published article opens from (once per request)."""
    if not hasattr(obj, "_staged_view"):
        obj._pending_revision = pending_revision(obj)
        obj._live_path = obj.get_absolute_url()
        # The row as read for the form, its topics read once for the snapshot
        # and the form's initial values alike.
        prefetch_related_objects([obj], "topics")
        named: list[Model] = []
        live = article_snapshot(obj, row=obj, named=named)
        # The people and articles the rows name, for the rows' boxes to show.
        obj._rows_named = named
        obj._staged_view = (
            pending_view(obj._pending_revision, live) if obj._pending_revision else live
        )
        if obj._pending_revision is not None:
            for name in TEXT_FIELDS:
                setattr(obj, name, obj._staged_view[name])
            for key, attname in REF_FIELDS.items():
                value = obj._staged_view[key]
                setattr(obj, attname, value["id"] if value else None)
                obj._state.fields_cache.pop(key, None)
    return obj._staged_view


class VanishedRowField(forms.Field):
    """The id of a row that is gone since the form opened: read as a new row."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def clean(self, value: Any) -> None:
        return None


class ServiceRowsFormSet(LeanFormSetMixin, forms.BaseInlineFormSet):
    """Shows, when the form comes back, what a service refused on the last try.

    `staged`: the rows of a published article, opened from its pending changes
    (or live version) as new rows and read back into a snapshot, never saved.

    A posted row whose id is no longer one of the article's rows (a colleague
    removed it, or the form is older than the rows) has `vanished`: the save is
    refused as stale, so the editor gets the three-way view instead of a row
    error; in the merged result it is the editor's row, written as a new one
    when they keep their rows.
    """

    def __init__(
        self,
        *args: Any,
        refused: Refusals | None = None,
        staged: bool = False,
        **kwargs: Any,
    ):
        self.staged = staged
        self.vanished: list[int] = []
        super().__init__(*args, **kwargs)
        self.refused = refused or {}
        if staged:
            # No row is read: they are opened from the snapshot.
            self._queryset = []

    def _construct_form(self, i: int, **kwargs: Any) -> forms.Form:
        form = super()._construct_form(i, **kwargs)
        if self.is_bound and i < self.initial_form_count() and form.instance.pk is None:
            self.vanished.append(i)
            form.fields[self.model._meta.pk.name] = VanishedRowField()
        if self.staged:
            # Every row shown is part of the article: validated even if untouched;
            # they are never saved, so the live rows' uniqueness does not apply.
            form.empty_permitted = i >= len(self.initial_extra or ())
            form.validate_unique = lambda: None
        return form

    @cached_property
    def forms(self) -> list[forms.Form]:
        rows = forms.BaseInlineFormSet.forms.func(self)
        # Each autocomplete box names its chosen row: one read per field for
        # all the rows, not one per row.
        names = {
            name
            for row in rows
            for name, field in row.fields.items()
            if chosen_box(field.widget) is not None
        }
        for name in names:
            chosen = {
                str(getattr(value, "pk", value))
                for row in rows
                if (value := row[name].value()) not in (None, "")
            }
            field = rows[0].fields[name]
            found = self._rows_read(field, name, rows, chosen)
            missing = chosen - set(found)
            if missing:
                found.update(
                    (str(obj.pk), obj) for obj in field.queryset.filter(pk__in=missing)
                )
            for row in rows:
                box = chosen_box(row.fields[name].widget)
                box.chosen, box.chosen_complete = found, True
        if self.vanished:
            # The admin shows the initial forms beside the rows read, pair by
            # pair: each form's own row, so a vanished one is shown (and sent
            # back with the merged result) instead of dropped or mismatched.
            self._queryset = [row.instance for row in rows[: self.initial_form_count()]]
        return rows

    def _rows_read(
        self, field: forms.Field, name: str, rows: list[forms.Form], chosen: set[str]
    ) -> dict[str, Model]:
        """The rows chosen in the `name` boxes that the page has read already:
        with each row's instance (`select_related`), or for the article's
        snapshot (`staged_view`)."""
        model = field.queryset.model
        if not shows_rows_by_pk(field):
            return {}
        read = list(getattr(self.instance, "_rows_named", ()))
        model_field = self.model._meta.get_field(name)
        read += [
            model_field.get_cached_value(row.instance)
            for row in rows
            if model_field.is_cached(row.instance)
        ]
        return {
            key: obj
            for obj in read
            if type(obj) is model and (key := str(obj.pk)) in chosen
        }

    def kept_forms(self, field: str) -> list[forms.Form]:
        """The rows staying, in their position order, that name `field`."""
        return kept_rows(self, field)

    def clean(self) -> None:
        super().clean()
        for index, messages in self.refused.items():
            if index is not None and index < len(self.forms):
                self.forms[index].add_error(None, messages)
        if None in self.refused:
            raise ValidationError(self.refused[None])
        if self.vanished and MERGE_VERSION not in self.data:
            raise ValidationError(ROWS_VANISHED, code=CONFLICT_CODE)


class ServiceInline(RelationWidgetsMixin, admin.options.InlineModelAdmin):
    """An article inline whose rows are written by the services, not `formset.save()`.

    `save_rows` raises `ValidationError`/`PermissionDenied` for the whole formset
    or records a row's refusal in `refused` by form index.
    """

    formset = ServiceRowsFormSet
    #: The key of the revision snapshot these rows make (empty: not staged).
    snapshot_key = ""

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any):
        if self.snapshot_key and is_staged(obj):
            rows = staged_view(obj).get(self.snapshot_key) or []
            kwargs["extra"] = len(rows)
        return super().get_formset(request, obj, **kwargs)

    def snapshot_initial(self, part: list) -> list[dict]:
        """The form rows showing a snapshot part."""
        raise NotImplementedError

    def snapshot_rows(self, formset: ServiceRowsFormSet) -> list:
        """The snapshot part the submitted rows make."""
        raise NotImplementedError

    def save_rows(
        self,
        *,
        request: HttpRequest,
        article: Article,
        formset: ServiceRowsFormSet,
        refused: Refusals,
    ) -> None:
        raise NotImplementedError


def kept_rows(formset: forms.BaseInlineFormSet, field: str) -> list[forms.Form]:
    """The rows staying after the save that name a `field`, in their `position` order."""
    rows = [
        row
        for row in formset.forms
        if row not in formset.deleted_forms and row.cleaned_data.get(field)
    ]
    return sorted(rows, key=lambda row: row.cleaned_data.get("position") or 0)


def note_changes(formset: forms.BaseInlineFormSet) -> None:
    """What the history message lists, for rows saved by a service in one go."""
    formset.deleted_objects = [
        row.instance for row in formset.deleted_forms if row.instance.pk
    ]
    kept = [
        row
        for row in formset.forms
        if row not in formset.deleted_forms and row.has_changed()
    ]
    formset.new_objects = [row.instance for row in kept if not row.instance.pk]
    formset.changed_objects = [
        (row.instance, row.changed_data) for row in kept if row.instance.pk
    ]


def save_each_row(
    formset: forms.BaseInlineFormSet,
    *,
    article: Article,
    save: Callable[[Model], Any],
    delete: Callable[[Model], Any],
    refused: Refusals,
) -> None:
    """Delete, then add or change, row by row through `save`/`delete`."""
    note_changes(formset)
    deleted = [row for row in formset.deleted_forms if row.instance.pk]
    changed = [
        row
        for row in formset.forms
        if row not in formset.deleted_forms and row.has_changed()
    ]
    for row, write in [(row, delete) for row in deleted] + [
        (row, save) for row in changed
    ]:
        row.instance.article = article
        try:
            write(row.instance)
        except (ValidationError, PermissionDenied) as exc:
            refused[formset.forms.index(row)] = refusal_messages(exc)


class ArticleAuthorInline(ServiceInline, admin.TabularInline):
    model = ArticleAuthor
    extra = 0
    autocomplete_fields = ("person",)
    fields = ("position", "person")
    verbose_name = "author"
    verbose_name_plural = "authors (byline order)"
    snapshot_key = "authors"

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        # Each row is shown by its person's name: read with the rows.
        return super().get_queryset(request).select_related("person")

    def snapshot_initial(self, part: list) -> list[dict]:
        return [{"person": a["id"], "position": i} for i, a in enumerate(part)]

    def snapshot_rows(self, formset) -> list:
        return author_refs(
            r.cleaned_data["person"] for r in formset.kept_forms("person")
        )

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        # A new article opens with one row: the writer's own byline.
        return 1 if obj is None and own_person(request) is not None else 0

    def save_rows(self, *, request, article, formset, refused) -> None:
        # The byline is replaced as a whole, renumbered from 0 in position order.
        note_changes(formset)
        if not formset.has_changed():
            return
        authors = [row.cleaned_data["person"] for row in kept_rows(formset, "person")]
        services.article_set_authors(
            article=article, authors=authors, user=request.user
        )


def own_person(request: HttpRequest) -> Person | None:
    """The Person the signed-in user writes as, if their account has one."""
    return Person.objects.filter(user_id=request.user.pk).first()


class QuoteInline(ServiceInline, admin.StackedInline):
    model = Quote
    extra = 0
    autocomplete_fields = ("person",)
    # The words first, then who said them on one line: a quote reads as a quote.
    fields = ("text", ("person", "attribution", "position"))
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 80})}
    }
    snapshot_key = "quotes"

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        # Each row's box shows its speaker: read with the rows.
        return super().get_queryset(request).select_related("person")

    def snapshot_initial(self, part: list) -> list[dict]:
        return [
            {
                "person": q["speaker"]["id"] if q["speaker"] else None,
                "text": q["text"],
                "attribution": q["attribution"],
                "position": i,
            }
            for i, q in enumerate(part)
        ]

    def snapshot_rows(self, formset) -> list:
        return [
            quote_part(
                r.cleaned_data.get("person"),
                r.cleaned_data["text"],
                r.cleaned_data.get("attribution", ""),
            )
            for r in formset.kept_forms("text")
        ]

    def save_rows(self, *, request, article, formset, refused) -> None:
        save_each_row(
            formset,
            article=article,
            save=lambda quote: services.quote_save(quote=quote, user=request.user),
            delete=lambda quote: services.quote_delete(quote=quote, user=request.user),
            refused=refused,
        )


class RelatedLinkInline(ServiceInline, admin.TabularInline):
    model = RelatedLink
    fk_name = "article"
    extra = 0
    autocomplete_fields = ("target", "via")
    fields = ("position", "target", "title", "url", "via")
    verbose_name = "“Read also” link"
    verbose_name_plural = (
        "“Read also” links (set a target to resolve an imported title)"
    )
    snapshot_key = "related_links"

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        # Each row's boxes show its target and who recommended it: read with them.
        return super().get_queryset(request).select_related("target", "via")

    def snapshot_initial(self, part: list) -> list[dict]:
        return [
            {
                "target": link["id"],
                "title": link["title"],
                "url": link["url"],
                "via": link["via"]["id"] if link["via"] else None,
                "position": i,
            }
            for i, link in enumerate(part)
        ]

    def snapshot_rows(self, formset) -> list:
        rows = [
            r
            for r in formset.forms
            if r not in formset.deleted_forms
            and (r.cleaned_data.get("target") or r.cleaned_data.get("title"))
        ]
        rows.sort(key=lambda r: r.cleaned_data.get("position") or 0)
        return [
            link_part(
                r.cleaned_data.get("target"),
                r.cleaned_data.get("title", ""),
                r.cleaned_data.get("url", ""),
                r.cleaned_data.get("via"),
            )
            for r in rows
        ]

    def save_rows(self, *, request, article, formset, refused) -> None:
        save_each_row(
            formset,
            article=article,
            save=lambda link: services.related_link_save(link=link, user=request.user),
            delete=lambda link: services.related_link_delete(
                link=link, user=request.user
            ),
            refused=refused,
        )


class CorrectionFormSet(LeanFormSetMixin, forms.BaseInlineFormSet):
    pass


class CorrectionInline(admin.TabularInline):
    """Corrections are appended through the workflow so readers see them dated."""

    model = Correction
    extra = 0
    fields = ("published_at", "kind", "note", "created_by")
    readonly_fields = fields
    can_delete = False
    formset = CorrectionFormSet

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
