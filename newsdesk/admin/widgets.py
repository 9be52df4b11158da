"""Widgets for long lists of fixed choices, searched as the editor types."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings


class ChoicesAutocomplete(forms.SelectMultiple):
    """A multiple choice over a fixed list (e.g. countries) as the admin's
    autocomplete box, filtered in the browser: no request per keystroke."""

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        attrs = {
            "class": "nd-choices-autocomplete",
            "data-placeholder": "Type to search",
            "style": "width: 100%; max-width: 40rem",
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
