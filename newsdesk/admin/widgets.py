"""Widgets for long lists of fixed choices, searched as the editor types, and the
hidden inputs of the article form written out directly."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe
from django_countries.fields import CountryField


class _SearchedChoices:
    """The admin's autocomplete box (select2) over fixed choices, filtered in
    the browser: no request per keystroke."""

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        attrs = {
            "class": "nd-choices-autocomplete",
            "data-placeholder": "Type to search",
            "style": "width: 100%; max-width: 30rem",
            **(attrs or {}),
        }
        super().__init__(attrs, choices)

    @property
    def media(self) -> forms.Media:
        extra = "" if settings.DEBUG else ".min"
        return forms.Media(
            js=(
                f"admin/js/vendor/jquery/jquery{extra}.js",
                f"admin/js/vendor/select2/select2.full{extra}.js",
                "admin/js/jquery.init.js",
                "newsdesk/admin/choices-autocomplete.js",
            ),
            css={
                "screen": (
                    f"admin/css/vendor/select2/select2{extra}.css",
                    "admin/css/autocomplete.css",
                )
            },
        )


class ChoicesAutocomplete(_SearchedChoices, forms.SelectMultiple):
    """Several of a long list of choices, e.g. the countries a text is addressed to."""


class ChoiceAutocomplete(_SearchedChoices, forms.Select):
    """One of a long list of choices, e.g. a country."""


class CountryAutocompleteMixin:
    """Every country field of the model admin as a searchable box, not a 250-row list."""

    def formfield_for_dbfield(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if isinstance(db_field, CountryField):
            multiple = db_field.multiple
            kwargs["widget"] = ChoicesAutocomplete if multiple else ChoiceAutocomplete
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def _attribute(value: Any) -> str:
    # As the templates print `value|stringformat:'s'`: kept as is when safe.
    return conditional_escape(value) if isinstance(value, SafeData) else escape(value)


class PlainHiddenInput(forms.HiddenInput):
    """The tag Django's `hidden.html`, `input.html` and `attrs.html` render,
    written out without rendering the three templates: the article's change
    form has 40 hidden inputs (each row's ids, each formset's counts)."""

    def _render(self, template_name: str, context: dict, renderer: Any = None) -> str:
        widget = context["widget"]
        tag = [
            f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"'
        ]
        if widget["value"] is not None:
            tag.append(f' value="{_attribute(widget["value"])}"')
        for name, value in widget["attrs"].items():
            if value is True:
                tag.append(f" {escape(name)}")
            elif value is not False:
                tag.append(f' {escape(name)}="{_attribute(value)}"')
        tag.append(">")
        return mark_safe("".join(tag))


def plain_hidden_inputs(form: forms.BaseForm) -> None:
    """Give `form`'s hidden inputs the `PlainHiddenInput` rendering."""
    for field in form.fields.values():
        if type(field.widget) is forms.HiddenInput:
            field.widget.__class__ = PlainHiddenInput
