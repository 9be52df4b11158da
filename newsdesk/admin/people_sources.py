"""Reference data: sources, people and topics."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.http import HttpRequest

from newsdesk.admin.widgets import CountryAutocompleteMixin
from newsdesk.models import Person, Source, Topic


@admin.register(Source)
class SourceAdmin(CountryAutocompleteMixin, admin.ModelAdmin):
    list_display = ("name", "domain", "kind", "country", "language", "reliability")
    list_filter = ("kind", "reliability", "language")
    search_fields = ("name", "domain")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("name", "slug", "domain", "homepage")}),
        (
            "Profile",
            {"fields": ("kind", "country", "language", "reliability", "notes")},
        ),
        ("Record", {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "affiliation", "title")
    search_fields = ("name", "affiliation")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("name", "slug", "affiliation", "title")}),
        ("Profile", {"fields": ("bio", "link", "user")}),
        ("Record", {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "user":
            # Only newsroom accounts write bylines; a short list, no user admin needed.
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "updated_at")
