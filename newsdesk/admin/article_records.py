"""Records that hang off articles: redirects, quotes, "Read also" links, corrections."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from newsdesk.models import ArticleRedirect, Correction, Quote, RelatedLink


@admin.register(ArticleRedirect)
class ArticleRedirectAdmin(admin.ModelAdmin):
    list_display = ("old_path", "article", "created_at")
    search_fields = ("old_path", "article__headline")
    list_select_related = ("article",)
    autocomplete_fields = ("article",)
    readonly_fields = ("created_at",)


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ("short_text", "person", "article")
    search_fields = ("text", "person__name", "article__headline")
    list_select_related = ("person", "article")
    autocomplete_fields = ("article", "person")

    @admin.display(description="quote")
    def short_text(self, obj: Quote) -> str:
        return str(obj)


@admin.register(RelatedLink)
class RelatedLinkAdmin(admin.ModelAdmin):
    list_display = ("title", "article", "target", "is_resolved")
    list_filter = (("target", admin.EmptyFieldListFilter),)
    search_fields = ("title", "article__headline")
    list_select_related = ("article", "target")
    autocomplete_fields = ("article", "target", "via")

    @admin.display(boolean=True, description="resolved")
    def is_resolved(self, obj: RelatedLink) -> bool:
        return obj.is_resolved


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """Corrections are added from the article's “Add correction” button; kept read-only here."""

    list_display = ("published_at", "kind", "article", "created_by")
    list_filter = ("kind",)
    date_hierarchy = "published_at"
    search_fields = ("note", "article__headline")
    list_select_related = ("article", "created_by")
    readonly_fields = ("article", "kind", "note", "published_at", "created_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
