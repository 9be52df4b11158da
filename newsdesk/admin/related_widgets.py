"""The article form's relation boxes, read and linked once per page, not once per box.

Every autocomplete box of the change form (source, topics, lead image and each
inline row's person, target or incident) is the admin's `AutocompleteSelect`
inside its `RelatedFieldWidgetWrapper` (the add/change/view links). Rendered as
the admin ships them, each box compiles a query for its chosen rows even when
it has none (every empty "add another" row), and reverses its autocomplete and
link URLs on every render. Here a box reads its chosen rows only when it has
some the page has not read already, and the URLs are reversed once a process.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import (
    AutocompleteSelect,
    AutocompleteSelectMultiple,
    RelatedFieldWidgetWrapper,
)
from django.core.signals import setting_changed
from django.db.models import Model
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse


# Bounded: a link reversed with a row's key is kept as well as the patterns.
@lru_cache(maxsize=4096)
def _reverse(viewname: str, args: tuple, current_app: str | None, *where: Any) -> str:
    return reverse(viewname, args=args, current_app=current_app)


def admin_url(viewname: str, *args: Any, current_app: str | None = None) -> str:
    """`reverse()` of an admin URL, kept per script prefix and URLconf."""
    where = (get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    return _reverse(viewname, args, current_app, *where)


@receiver(setting_changed)
def _forget_urls(*, setting: str, **kwargs: Any) -> None:
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME"}:
        _reverse.cache_clear()


class _ChosenRows:
    """Answers an autocomplete box's one read of its chosen rows from rows the
    page read already."""

    def __init__(self, rows: Iterable[Model]) -> None:
        self.rows = list(rows)

    def using(self, alias: str | None) -> _ChosenRows:
        return self

    def filter(self, **lookups: Any) -> _ChosenRows:
        return self

    def __iter__(self):
        return iter(self.rows)


class ChosenAutocompleteMixin:
    """An autocomplete box that reads its chosen rows only when it must.

    `chosen` (id as text -> row): rows read for it beforehand, by the formset
    for all its rows or from the article's own relations. With nothing chosen
    the box reads nothing; with every chosen row in `chosen` it reads nothing
    either. `chosen_complete`: `chosen` holds every row the field may show
    (a row missing from it is one the field's queryset would not find).
    """

    chosen: dict[str, Model] | None = None
    chosen_complete = False

    def get_url(self) -> str:
        return admin_url(self.url_name % self.admin_site.name)

    def optgroups(self, name: str, value: list[str], attr: Any = None) -> list:
        empty = self.choices.field.empty_values
        wanted = [v for v in value if v not in empty]
        chosen = self.chosen or {}
        if wanted and not (self.chosen_complete or all(v in chosen for v in wanted)):
            return super().optgroups(name, value, attr)
        choices = self.choices
        self.choices = copy.copy(choices)
        self.choices.queryset = _ChosenRows(chosen[v] for v in wanted if v in chosen)
        try:
            return super().optgroups(name, value, attr)
        finally:
            self.choices = choices


class ChosenAutocompleteSelect(ChosenAutocompleteMixin, AutocompleteSelect):
    """One row chosen, e.g. an article's source or a byline's person."""


class ChosenAutocompleteSelectMultiple(
    ChosenAutocompleteMixin, AutocompleteSelectMultiple
):
    """Several rows chosen, e.g. an article's topics."""


class LinkedRelatedWidgetWrapper(RelatedFieldWidgetWrapper):
    """The admin's add/change/view/delete links beside a relation's box, with
    their URLs reversed once a process instead of on every render."""

    def get_related_url(self, info: tuple[str, str], action: str, *args: Any) -> str:
        return admin_url(
            "admin:{}_{}_{}".format(*info, action),
            *args,
            current_app=self.admin_site.name,
        )


def with_cached_links(formfield: forms.Field | None) -> forms.Field | None:
    """`formfield` with the admin's links wrapper replaced by `LinkedRelatedWidgetWrapper`."""
    widget = getattr(formfield, "widget", None)
    if type(widget) is RelatedFieldWidgetWrapper:
        # Same state, one method different: the wrapper is built by the admin.
        widget.__class__ = LinkedRelatedWidgetWrapper
    return formfield


def chosen_box(widget: forms.Widget) -> ChosenAutocompleteMixin | None:
    """The chosen-rows autocomplete box of `widget`, inside its links wrapper."""
    inner = getattr(widget, "widget", widget)
    return inner if isinstance(inner, ChosenAutocompleteMixin) else None


class RelationWidgetsMixin:
    """Mixed into the article's model admin and inlines: autocomplete fields
    get chosen-rows boxes, every relation its once-reversed links."""

    def formfield_for_foreignkey(
        self, db_field: Any, request: Any, **kwargs: Any
    ) -> Any:
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = ChosenAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(
        self, db_field: Any, request: Any, **kwargs: Any
    ) -> Any:
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = ChosenAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        return with_cached_links(
            super().formfield_for_dbfield(db_field, request, **kwargs)
        )


def shows_rows_by_pk(field: forms.Field) -> bool:
    """Whether `field` offers every row of its model by primary key, so that a
    row read elsewhere is one it would find."""
    to_field = getattr(field, "to_field_name", None)
    return not field.get_limit_choices_to() and to_field in (
        None,
        field.queryset.model._meta.pk.attname,
    )


def offer_loaded_rows(form: forms.ModelForm) -> None:
    """Let `form`'s autocomplete boxes name their chosen rows from the instance's
    relations as they were read with it (`select_related`, prefetched), instead
    of reading them again; a box whose value is not among them reads as before."""
    instance = form.instance
    if instance.pk is None:
        return
    prefetched = getattr(instance, "_prefetched_objects_cache", {})
    for name, field in form.fields.items():
        box = chosen_box(field.widget)
        if box is None or not shows_rows_by_pk(field):
            continue
        model_field = instance._meta.get_field(name)
        if model_field.many_to_many:
            # The box lists the rows in its queryset's order: the prefetched
            # rows are in the same (the model's) order unless the admin sets one.
            if name in prefetched and not field.queryset.query.order_by:
                box.chosen = {str(row.pk): row for row in prefetched[name]}
        elif model_field.is_cached(instance):
            row = model_field.get_cached_value(instance)
            if row is not None:
                box.chosen = {str(row.pk): row}
