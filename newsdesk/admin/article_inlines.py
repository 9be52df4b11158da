"""What an article's change form edits alongside it: byline, quotes, links, corrections."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from newsdesk.models import ArticleAuthor, Correction, Person, Quote, RelatedLink


class ArticleAuthorInline(admin.TabularInline):
    model = ArticleAuthor
    extra = 0
    autocomplete_fields = ("person",)
    fields = ("position", "person")
    verbose_name = "author"
    verbose_name_plural = "authors (byline order)"

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        # A new article opens with one row: the writer's own byline.
        return 1 if obj is None and own_person(request) is not None else 0


def own_person(request: HttpRequest) -> Person | None:
    """The Person the signed-in user writes as, if their account has one."""
    return Person.objects.filter(user_id=request.user.pk).first()


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    autocomplete_fields = ("person",)
    fields = (("person", "position"), "text", "attribution")


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    fk_name = "article"
    extra = 0
    autocomplete_fields = ("target", "via")
    fields = ("position", "target", "title", "url", "via")
    verbose_name = "“Read also” link"
    verbose_name_plural = (
        "“Read also” links (set a target to resolve an imported title)"
    )


class CorrectionInline(admin.TabularInline):
    """Corrections are appended through the workflow so readers see them dated."""

    model = Correction
    extra = 0
    fields = ("published_at", "kind", "note", "created_by")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
