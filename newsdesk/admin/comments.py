"""Comment moderation: read-only comments, moderated in bulk through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest

from newsdesk import services
from newsdesk.models import Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("short_body", "name", "article", "status", "created_at")
    list_filter = ("status",)
    date_hierarchy = "created_at"
    search_fields = ("body", "name")
    list_select_related = ("article",)
    readonly_fields = (
        "article",
        "name",
        "body",
        "status",
        "created_at",
        "moderated_at",
        "moderated_by",
    )
    fields = readonly_fields
    actions = ("approve_selected", "spam_selected", "remove_selected")
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="comment")
    def short_body(self, obj: Comment) -> str:
        return obj.body[:80]

    def _moderate(
        self, request: HttpRequest, queryset: QuerySet, service: Any, verb: str
    ) -> None:
        try:
            changed = service(comments=list(queryset), user=request.user)
        except PermissionDenied as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(
                request, f"{verb} {changed} comment(s).", messages.SUCCESS
            )

    @admin.action(description="Approve selected comments")
    def approve_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._moderate(request, queryset, services.comment_approve, "Approved")

    @admin.action(description="Mark selected comments as spam")
    def spam_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._moderate(request, queryset, services.comment_mark_spam, "Marked as spam")

    @admin.action(description="Remove selected comments")
    def remove_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._moderate(request, queryset, services.comment_remove, "Removed")
