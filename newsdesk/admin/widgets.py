"""Widgets for long lists of fixed choices, searched as the editor types."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest
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
