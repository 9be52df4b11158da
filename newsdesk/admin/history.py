"""Change history people can read, and any two of its entries compared side by side.

Each entry of a simple-history record list becomes a snapshot of labels (the
choice's label, the related row's name, a local time), and two neighbouring
snapshots are compared with `newsdesk.revisions.compare`: an entry lists what
changed in words, and an entry that changed nothing shown is left out.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_m2m_reverse_field_name

from newsdesk.models.history import BOOKKEEPING_FIELDS
from newsdesk.revisions.compare import Comparison, compare

# Never shown as a change: set once, or written by every save.
HIDDEN_FIELDS = frozenset({*BOOKKEEPING_FIELDS, "id", "created_at", "created_by"})


class KeepStoredPrecisionForm(forms.ModelForm):
    """A time the editor left alone keeps its stored value, microseconds included.

    The admin's date and time inputs show whole seconds; without this every
    save would write the shown value back and record a change nobody made.
    """

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.instance.pk:
            for name, field in self.fields.items():
                if (
                    isinstance(field, forms.DateTimeField | forms.SplitDateTimeField)
                    and name in self.initial
                    and name in data
                    and name not in self.changed_data
                ):
                    data[name] = self.initial[name]
        return data


def display_value(field: models.Field, value: Any, related: Any = None) -> Any:
    """What an editor reads for a stored value: a label, a local time, a name."""
    if value is None or value == "":
        return None
    if field.is_relation:
        label = str(related) if related is not None else f"deleted ({value})"
        return {"id": value, "label": label}
    if field.choices and field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        return date_format(moment, "j F Y, H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    return value if isinstance(value, str) else str(value)


def tracked_fields(model: type[models.Model], record: Any) -> list[models.Field]:
    """The model's fields kept in its history, less those never worth showing."""
    names = {f.attname for f in record._meta.fields}
    return [
        field
        for field in model._meta.concrete_fields
        if field.attname in names and field.name not in HIDDEN_FIELDS
    ]


def m2m_accessors(history_model: type[models.Model]) -> list[tuple[Any, str, str]]:
    """(field, accessor of its history rows, name of the row's target) per tracked m2m."""
    found = []
    for field in getattr(history_model, "_history_m2m_fields", ()):
        target = get_m2m_reverse_field_name(field)
        for rel in history_model._meta.related_objects:
            names = {f.name for f in rel.related_model._meta.fields}
            if (
                rel.related_model.__name__.endswith(f"_{field.name}")
                and target in names
            ):
                found.append((field, rel.get_accessor_name(), target))
    return found


def record_snapshot(model: type[models.Model], record: Any) -> dict[str, Any]:
    """One history entry as labels, keyed by field name (many-to-many as lists)."""
    snap: dict[str, Any] = {}
    for field in tracked_fields(model, record):
        value = getattr(record, field.attname)
        related = None
        if field.is_relation and value is not None:
            try:
                related = getattr(record, field.name)
            except models.ObjectDoesNotExist:
                related = None
        snap[field.name] = display_value(field, value, related)
    for field, accessor, target in m2m_accessors(type(record)):
        rows = getattr(record, accessor).all()
        snap[field.name] = sorted(
            (
                {"id": getattr(row, f"{target}_id"), "label": str(getattr(row, target))}
                for row in rows
            ),
            key=lambda item: item["id"],
        )
    return snap


def field_labels(model: type[models.Model]) -> dict[str, str]:
    return {
        f.name: str(f.verbose_name)
        for f in [*model._meta.concrete_fields, *model._meta.many_to_many]
    }


class ReadableHistoryAdmin(SimpleHistoryAdmin):
    """The history screen in words, with "compare" between any two entries."""

    object_history_template = "admin/history/object_history.html"
    object_history_list_template = "admin/history/object_history_list.html"
    # Compared word by word, as (field name, label).
    history_text_fields: Sequence[tuple[str, str]] = ()

    def get_urls(self) -> list:
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.history_compare_view),
                name=f"{opts.app_label}_{opts.model_name}_history_compare",
            ),
            *super().get_urls(),
        ]

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        qs = super().get_history_queryset(request, history_manager, pk_name, object_id)
        rows = [
            f"{accessor}__{target}"
            for _, accessor, target in m2m_accessors(history_manager.model)
        ]
        return qs.prefetch_related(*rows) if rows else qs

    def _snapshot(self, record: Any) -> dict[str, Any]:
        if not hasattr(record, "_readable_snapshot"):
            record._readable_snapshot = record_snapshot(self.model, record)
        return record._readable_snapshot

    def history_comparison(self, old: Any, new: Any) -> Comparison:
        return compare(
            self._snapshot(old) if old is not None else {},
            self._snapshot(new),
            text_fields=self.history_text_fields,
            labels=field_labels(self.model),
        )

    def set_history_delta_changes(
        self, request, historical_records, foreign_keys_are_objs=True
    ) -> None:
        records = list(historical_records)
        pk_name = self.model._meta.pk.attname
        if records and records[-1].history_type != "+":
            # The page's oldest entry is compared with the one before it.
            earlier = (
                type(records[-1])
                .objects.filter(
                    **{pk_name: getattr(records[-1], pk_name)},
                    history_date__lte=records[-1].history_date,
                )
                .exclude(pk=records[-1].pk)
                .order_by("-history_date", "-history_id")
                .first()
            )
        else:
            earlier = None
        shown = []
        for index, record in enumerate(records):
            previous = records[index + 1] if index + 1 < len(records) else earlier
            if record.history_type == "~" and previous is not None:
                record.readable_changes = self.history_comparison(
                    previous, record
                ).changes
                record.compare_previous = previous.pk
                if not record.readable_changes and not record.history_change_reason:
                    continue  # a save that changed nothing shown
            else:
                record.readable_changes = []
            shown.append(record)
        historical_records.shown_records = shown

    def history_view(self, request, object_id, extra_context=None):
        opts = self.model._meta
        extra_context = {
            **(extra_context or {}),
            "compare_url": reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history_compare",
                args=[object_id],
            ),
        }
        return super().history_view(request, object_id, extra_context)

    def history_compare_view(
        self, request: HttpRequest, object_id: str
    ) -> HttpResponse:
        """Two entries of one row's history side by side (default: the newest two)."""
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.has_view_history_or_change_history_permission(request, obj):
            raise PermissionDenied
        history = getattr(obj, self.model._meta.simple_history_manager_attribute)
        records = history.order_by("-history_date", "-history_id")
        try:
            chosen = [
                records.get(pk=int(request.GET[key])) if request.GET.get(key) else None
                for key in ("from", "to")
            ]
        except (ValueError, records.model.DoesNotExist):
            raise Http404 from None
        old, new = chosen
        if new is None:
            new = records.first()
        if new is None:
            raise Http404
        if old is None:
            old = records.filter(history_date__lt=new.history_date).first()
        if old is not None and old.history_date > new.history_date:
            old, new = new, old
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "original": obj,
            "title": f"Compare versions: {obj}",
            "comparison": self.history_comparison(old, new),
            "old_label": self.version_label(old) if old else "Nothing before",
            "new_label": self.version_label(new),
            "history_url": reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history",
                args=[obj.pk],
            ),
            "change_url": reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                args=[obj.pk],
            ),
        }
        return TemplateResponse(request, "admin/history/compare.html", context)

    @staticmethod
    def version_label(record: Any) -> str:
        moment = date_format(timezone.localtime(record.history_date), "j F Y, H:i")
        who = record.history_user.get_username() if record.history_user else ""
        version = getattr(record, "version", None)
        label = f"Version {version}, {moment}" if version else moment
        return f"{label}{f' by {who}' if who else ''}"
