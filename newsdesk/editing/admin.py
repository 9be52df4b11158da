"""What the body editor adds to the article admin: widget, checks panel, publish label."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.template.loader import render_to_string

from newsdesk.editing.widgets import MarkdownEditor
from newsdesk.models import Article
from newsdesk.publish_checks import ArticleDraft, Check, article_checks, publish_label


class ArticleEditorMixin:
    """Mixed into the article admin before its workflow mixin."""

    def formfield_for_dbfield(
        self, db_field: models.Field, request: HttpRequest, **kwargs
    ):
        if db_field.name == "body":
            kwargs["widget"] = MarkdownEditor()
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @staticmethod
    def _checks(obj: Article | None) -> list[Check]:
        # The panel and the publish button ask on the same request: check once.
        if obj is None or not obj.pk:
            return article_checks(ArticleDraft())
        if not hasattr(obj, "_publish_checks"):
            obj._publish_checks = article_checks(ArticleDraft.of(obj))
        return obj._publish_checks

    @admin.display(description="Checks")
    def publish_checks(self, obj: Article | None) -> str:
        checks = self._checks(obj)
        blockers = sum(check.level == "blocker" for check in checks)
        return render_to_string(
            "newsdesk/editing/checks_panel.html",
            {"checks": checks, "blockers": blockers},
        )

    def workflow_actions(
        self, request: HttpRequest, obj: Article
    ) -> list[tuple[str, str]]:
        buttons: list[tuple[str, str]] = super().workflow_actions(request, obj)
        if not any(action == "publish" for action, _ in buttons):
            return buttons
        label = publish_label(self._checks(obj))
        return [
            (
                action,
                label
                if action == "publish" and label != "Publish or schedule"
                else text,
            )
            for action, text in buttons
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple:
        return (*super().get_readonly_fields(request, obj), "publish_checks")
