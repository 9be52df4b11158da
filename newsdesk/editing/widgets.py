"""The Markdown body widget: a plain textarea that the editor script enhances."""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

from newsdesk.rendering import EMBED_PROVIDER_NAMES


class MarkdownEditor(forms.Textarea):
    """Toolbar, shortcuts and live preview with JavaScript; a textarea without."""

    wrapper_template = "newsdesk/widgets/markdown_editor.html"

    class Media:
        css = {"all": ("css/editor.css",)}
        js = ("js/editor.js", "js/embeds.js")

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(
            attrs={"rows": 24, "class": "nd-editor-source", **(attrs or {})}
        )

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer=None):
        textarea = super().render(name, value, attrs, renderer)
        # The wrapper comes from the project's templates, with the others.
        return render_to_string(
            self.wrapper_template,
            {
                "textarea": textarea,
                "preview_url": reverse("editing:body_preview"),
                "images_url": reverse("editing:image_chooser"),
                "providers": ", ".join(EMBED_PROVIDER_NAMES),
            },
        )
