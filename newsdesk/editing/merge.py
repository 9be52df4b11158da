"""The three-way view after a refused stale save of an article.

When the form's version check refuses a save (someone saved since the editor
opened the form), the form comes back with the editor's text and, above it,
each field that differs: the version they started from (the historical
record at their base version), what was saved meanwhile, and theirs. A field
only the other editor changed is taken from the saved version; a field only
this editor changed keeps the editor's text; a field both changed keeps the
editor's text, marked, until they choose. "Take mine" / "Take theirs" set the form's field (the form
is the merged result), and "Save merged result" saves it over the current
version. Nothing is overwritten silently and nothing must be retyped.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib.admin.utils import display_for_value
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.formats import date_format

from newsdesk.editing.guard import display_name
from newsdesk.models import Article, ArticleRevision
from newsdesk.revisions.recording import ROW_KINDS
from newsdesk.revisions.snapshot import article_snapshot

MERGE_VERSION = "_merge_version"
CONFLICT_CODE = "version_conflict"
# "_merge_rows_quotes" = "theirs": the merged result keeps the other editor's rows.
MERGE_ROWS = "_merge_rows_"
ROW_LABELS = {
    "authors": "Authors (byline order)",
    "quotes": "Quotes",
    "related_links": "“Read also” links",
    "incidents": "Incidents covered",
}


ROWS_VANISHED = (
    "Someone else removed or replaced some of these rows after you opened the "
    "form. Nothing was saved: compare the rows above and choose whose to keep."
)


def rows_conflict_message() -> str:
    """The refusal above the three-way view when only rows changed meanwhile."""
    return (
        "Someone else changed this article's rows (its byline, quotes or links) "
        "after you opened it. Nothing was saved, and your changes are still in "
        "this form: compare them with theirs below, choose per field, then save "
        "the merged result."
    )


def rows_vanished(context: dict[str, Any]) -> bool:
    """Whether a posted inline row is gone since the editor opened the form."""
    return any(
        getattr(inline_formset.formset, "vanished", None)
        for inline_formset in context.get("inline_admin_formsets") or []
    )


def merge_conflict_message(current: Article) -> str:
    """The refusal shown above the three-way view: nothing was saved, nothing lost."""
    who = current.updated_by.get_username() if current.updated_by else "someone else"
    when = date_format(timezone.localtime(current.updated_at), "DATETIME_FORMAT")
    return (
        f"This article was changed by {who} on {when} (version {current.version}) "
        "after you opened it. Nothing was saved, and your changes are still in this "
        "form: compare them with theirs below, choose per field, then save the "
        "merged result."
    )


def merge_version(data: QueryDict | dict, current_version: int) -> int | None:
    """The version a "Save merged result" was made against, if it is still current."""
    raw = str(data.get(MERGE_VERSION, "")).partition(":")[0]
    return current_version if raw.isdigit() and int(raw) == current_version else None


def merge_pending(data: QueryDict | dict, current_pending: int) -> int | None:
    """The pending revision (0: none) a merged result of pending changes was made
    against, if it is still the pending one: the value reads "version:revision"."""
    raw = str(data.get(MERGE_VERSION, "")).partition(":")[2]
    return current_pending if raw.isdigit() and int(raw) == current_pending else None


@dataclass
class FieldMerge:
    name: str
    label: str
    base: str
    theirs: str
    mine: str
    state: str  # "theirs" (only they changed), "mine" (only you), "both"
    inputs_theirs: dict[str, list[str]] = field(default_factory=dict)
    inputs_mine: dict[str, list[str]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)


def _plain(model_field: models.Field | None, value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet | list | tuple | set):
        return sorted(_plain(None, v) for v in value)
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=0)
    if isinstance(value, str):
        return value.replace("\r\n", "\n")
    if value is None and isinstance(model_field, models.CharField | models.TextField):
        return ""
    return value


def _shown(model_field: models.Field, value: Any, related: dict) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(related.get(v, v)) for v in value)
    if model_field.is_relation:
        return str(related.get(value, value))
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(display_for_value(value, "—"))


def _inputs(form: forms.Form, name: str, value: Any) -> dict[str, list[str]]:
    """The form inputs (name to values) that post `value` for field `name`."""
    bound = form[name]
    widget = bound.field.widget
    prepared = bound.field.prepare_value(value)
    key = form.add_prefix(name)
    if isinstance(widget, forms.MultiWidget):
        parts = widget.decompress(prepared)
        return {
            f"{key}{suffix}": [str(sub.format_value(part) or "")]
            for suffix, sub, part in zip(
                widget.widgets_names, widget.widgets, parts, strict=False
            )
        }
    if isinstance(widget, forms.CheckboxInput):
        return {key: ["on"] if value else []}
    if isinstance(prepared, list | tuple):
        return {key: [str(v) for v in prepared]}
    return {key: ["" if prepared is None else str(prepared)]}


def _posted(form: forms.Form, inputs: dict[str, list[str]]) -> dict[str, list[str]]:
    return {name: form.data.getlist(name) for name in inputs}


def _related_labels(model_field: models.Field, ids: set) -> dict:
    ids = {i for i in ids if i not in (None, "")}
    if not model_field.is_relation or not ids:
        return {}
    model = model_field.related_model
    return {row.pk: str(row) for row in model._default_manager.filter(pk__in=ids)}


@dataclass
class RowsMerge:
    """One inline's rows (authors, quotes…) on the three sides, as lines to read."""

    key: str
    label: str
    base: list[str] | None  # None: not recorded
    theirs: list[str]
    mine: list[str]
    state: str  # as FieldMerge's
    kept: str  # "mine" or "theirs": what the merged result keeps unless changed

    @property
    def choice_name(self) -> str:
        return f"{MERGE_ROWS}{self.key}"


def _label(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("label") or value.get("id") or "")
    return "" if value is None else str(value)


def row_line(key: str, item: Any) -> str:
    """One row as an editor reads it: a name, a quote and its speaker, a link."""
    if not isinstance(item, dict):
        return _label(item)
    if key == "quotes":
        who = _label(item.get("speaker")) or item.get("attribution") or "unattributed"
        text = " ".join(str(item.get("text") or "").split())
        text = text if len(text) <= 160 else f"{text[:157]}…"
        extra = (
            f", {item['attribution']}"
            if item.get("speaker") and item.get("attribution")
            else ""
        )
        return f"“{text}” — {who}{extra}"
    if key == "related_links":
        title = item.get("title") or item.get("label") or item.get("url") or "—"
        return f"{title} ({item['url']})" if item.get("url") else str(title)
    return _label(item)


def _same(key: str, a: Any, b: Any) -> bool:
    return [row_line(key, i) for i in a or []] == [row_line(key, i) for i in b or []]


def rows_merge(
    base: dict[str, Any] | None,
    theirs: dict[str, Any],
    mine: dict[str, Any],
) -> list[RowsMerge]:
    """Per inline whose rows differ between the editor's form and the saved
    article: the three sides, and which the merged result keeps (theirs when
    only they changed them, else the editor's)."""
    merges = []
    for key, label in ROW_LABELS.items():
        if key not in mine or key not in theirs or _same(key, mine[key], theirs[key]):
            continue
        known = base is not None and key in base
        if known and _same(key, mine[key], base[key]):
            state = "theirs"
        elif known and _same(key, theirs[key], base[key]):
            state = "mine"
        else:
            state = "both"
        merges.append(
            RowsMerge(
                key=key,
                label=label,
                base=[row_line(key, i) for i in base[key] or []] if known else None,
                theirs=[row_line(key, i) for i in theirs[key] or []],
                mine=[row_line(key, i) for i in mine[key] or []],
                state=state,
                kept="theirs" if state == "theirs" else "mine",
            )
        )
    return merges


def posted_rows(context: dict[str, Any]) -> dict[str, list]:
    """The rows the editor's refused form holds, per snapshot key of its inlines."""
    rows = {}
    for inline_formset in context.get("inline_admin_formsets") or []:
        key = getattr(inline_formset.opts, "snapshot_key", "")
        formset = inline_formset.formset
        if key and formset.is_bound:
            formset.is_valid()  # each row's cleaned data, even beside a refused row
            rows[key] = inline_formset.opts.snapshot_rows(formset)
    return rows


def rows_chosen(data: QueryDict | dict) -> dict[str, str]:
    """The sides ("mine"/"theirs") a merged result chose per inline's rows."""
    return {
        name[len(MERGE_ROWS) :]: str(data.get(name))
        for name in data
        if name.startswith(MERGE_ROWS) and data.get(name) in ("mine", "theirs")
    }


def base_snapshot(article: Article, version: int) -> dict[str, Any] | None:
    """The article's rows as they were at `version` (None when not recorded)."""
    revision = (
        ArticleRevision.objects.filter(
            article_id=article.pk, kind__in=ROW_KINDS, based_on_version__lte=version
        )
        # Row saves keep the article's version: the first record at that
        # version is the article as that version was saved.
        .order_by("-based_on_version", "created_at", "id")
        .only("snapshot")
        .first()
    )
    return revision.snapshot if revision is not None else None


def base_record(article: Article, version: int) -> Any:
    """The article as it was at `version`: its newest historical record up to it.

    A save that changed nothing records no entry, so the content at `version`
    is that of the last entry recorded at or before it.
    """
    return (
        article.history.filter(version__lte=version)
        .order_by("-version", "-history_date", "-history_id")
        .first()
    )


def three_way(form: forms.ModelForm, base_version: int) -> list[FieldMerge]:
    """Per field that differs between the editor's form and the saved article."""
    current = Article.objects.select_related("updated_by").get(pk=form.instance.pk)
    base = base_record(current, base_version)
    rows_then = base_snapshot(current, base_version)

    def m2m_ids(obj: Any, name: str) -> list | None:
        # History records keep no many-to-many values: the revision at the base
        # version does, when there is one.
        if obj is base:
            if rows_then is None or name not in rows_then:
                return None
            return sorted(_label_id(ref) for ref in rows_then[name] or [])
        return sorted(getattr(obj, name).values_list("pk", flat=True))

    return compare(form, current, base, m2m_ids)


def _label_id(ref: Any) -> Any:
    return ref.get("id") if isinstance(ref, dict) else ref


def compare(
    form: forms.ModelForm,
    current: Any,
    base: Any,
    m2m_ids: Any,
    only: set[str] | None = None,
) -> list[FieldMerge]:
    """Rows for the fields where the form differs from `current`; `base` (or
    None) is what the editor started from, `m2m_ids(obj, name)` reads a
    many-to-many field's ids (None when not known), `only` limits the fields."""
    mine_obj = form.instance  # the form applied the editor's values to it
    rows: list[FieldMerge] = []
    for name in form.fields:
        if name == "version_seen" or (only is not None and name not in only):
            continue
        try:
            model_field = Article._meta.get_field(name)
        except FieldDoesNotExist:  # a form-only field: not compared
            continue
        if not model_field.editable or name not in form.cleaned_data:
            continue
        m2m = model_field.many_to_many
        if m2m:
            theirs = m2m_ids(current, name)
            mine = _plain(None, form.cleaned_data[name])
            base_value = m2m_ids(base, name) if base is not None else None
            known_base = base_value is not None
        else:
            theirs = _plain(model_field, getattr(current, model_field.attname))
            mine = _plain(model_field, getattr(mine_obj, model_field.attname))
            known_base = base is not None and hasattr(base, model_field.attname)
            base_value = (
                _plain(model_field, getattr(base, model_field.attname))
                if known_base
                else None
            )
        if mine == theirs:
            continue
        if known_base and mine == base_value:
            state = "theirs"
        elif known_base and theirs == base_value:
            state = "mine"
        else:
            state = "both"
        flat = {
            v
            for value in (base_value, theirs, mine)
            for v in (value if isinstance(value, list) else [value])
        }
        related = _related_labels(model_field, flat)
        theirs_value = theirs if m2m else getattr(current, name)
        inputs_theirs = _inputs(form, name, theirs_value)
        rows.append(
            FieldMerge(
                name=form.add_prefix(name),
                label=str(form.fields[name].label or model_field.verbose_name),
                base=_shown(model_field, base_value, related)
                if known_base
                else "(not recorded)",
                theirs=_shown(model_field, theirs, related),
                mine=_shown(model_field, mine, related),
                state=state,
                inputs_theirs=inputs_theirs,
                inputs_mine=_posted(form, inputs_theirs),
                labels={str(k): v for k, v in related.items()},
            )
        )
    return rows


def _take_theirs(form: forms.Form, rows: list[FieldMerge]) -> None:
    """Show what only the other editor changed in the form, so saving keeps it."""
    data = form.data.copy()
    for row in rows:
        if row.state == "theirs":
            for name, values in row.inputs_theirs.items():
                data.setlist(name, values)
    form.data = data


class ThreeWayMergeMixin:
    """Mixed into the article admin: the three-way view on a refused stale save."""

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Article | None = None,
    ) -> HttpResponse:
        adminform = context.get("adminform")
        form = adminform.form if adminform is not None else None
        bound = change and form is not None and form.is_bound
        if (
            bound
            and MERGE_VERSION not in form.data
            and not _refused_as_stale(form)
            and rows_vanished(context)
        ):
            # Rows the form names are gone: a colleague changed them since.
            form.add_error(
                None, forms.ValidationError(rows_conflict_message(), code=CONFLICT_CODE)
            )
        stale = bound and _refused_as_stale(form)
        if stale and "pending_seen" in form.fields:
            # A live article's pending changes: compared as revisions keep them.
            rows, context["merge"] = self.pending_merge(form, obj, posted_rows(context))
            _take_theirs(form, rows)
        elif stale:
            base_version = form.cleaned_data.get("version_seen")
            current = Article.objects.select_related("updated_by").get(pk=obj.pk)
            rows = three_way(form, base_version) if base_version is not None else []
            _take_theirs(form, rows)
            context["merge"] = {
                "rows": rows,
                "row_parts": rows_merge(
                    base_snapshot(current, base_version)
                    if base_version is not None
                    else None,
                    article_snapshot(current),
                    posted_rows(context),
                ),
                "base_version": base_version,
                "current": current,
                "saved_by": display_name(current.updated_by)
                if current.updated_by
                else "Someone else",
                "inputs": {
                    row.name: {
                        "theirs": row.inputs_theirs,
                        "mine": row.inputs_mine,
                        "labels": row.labels,
                    }
                    for row in rows
                },
                "field_name": MERGE_VERSION,
                "token": current.version,
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request: HttpRequest, obj: Article) -> HttpResponse:
        if MERGE_VERSION in request.POST:
            # A merged result is checked where it was made: back to the form.
            request.POST = request.POST.copy()
            request.POST["_continue"] = "1"
        return super().response_change(request, obj)


def _refused_as_stale(form: forms.Form) -> bool:
    errors = form.errors.as_data().get("__all__", [])
    return any(error.code == CONFLICT_CODE for error in errors)
