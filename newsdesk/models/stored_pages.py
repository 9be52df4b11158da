"""Article pages kept in the database: what a reader's page shows, built once.

A stored page is derived data, never a source of truth: it is used only
while its article's row (read through `published()`) still has the version
it was built from and every row it shows is still visible; writes to
anything it shows delete it (`newsdesk.article_page`).
"""

from __future__ import annotations

from django.db import models

from newsdesk.models.articles import Article


class StoredArticlePage(models.Model):
    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    # The page's shape, the article's version and the origin of its links.
    stamp = models.CharField(max_length=500)
    built_at = models.FloatField(help_text="When its building began (epoch seconds).")
    head = models.TextField()
    content = models.TextField()
    before = models.TextField()
    after = models.TextField()
    # The approved comments as rendered between `before` and `after`; the
    # stamp names their state (count, newest id, last moderation).
    comments = models.TextField(blank=True, default="")
    # JSON: {"references": {kind: [ids]}, "shown": {kind: [ids]}, "tags": [...]},
    # the rows the page refers to, those it shows, and its cache tags.
    refs = models.TextField()
    # The article's API detail item, kept with the page and checked by its
    # visibility counts: its stamp (updated_at, origin), when its building
    # began, and JSON {"item": ..., "tags": [...]}; empty until an API read.
    api_stamp = models.CharField(max_length=500, blank=True, default="")
    api_built_at = models.FloatField(default=0.0)
    api_item = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = "stored article page"

    def __str__(self) -> str:
        return f"Stored page of article {self.article_id}"


class StoredArticlePageTag(models.Model):
    """One cache tag of a stored page: a write purging the tag deletes the page."""

    page = models.ForeignKey(
        StoredArticlePage, on_delete=models.CASCADE, related_name="tag_rows"
    )
    tag = models.CharField(max_length=200, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("page", "tag"), name="stored_page_tag")
        ]

    def __str__(self) -> str:
        return self.tag


class StoredArticlePageRef(models.Model):
    """A row a stored page refers to, of a kind (`article`, `incident`, …):
    shown on it (visible when it was built), or left out (not visible then).
    The page's visibility check counts these against each kind's gate."""

    page = models.ForeignKey(
        StoredArticlePage, on_delete=models.CASCADE, related_name="ref_rows"
    )
    kind = models.CharField(max_length=50)
    ref_id = models.BigIntegerField()
    shown = models.BooleanField()

    class Meta:
        indexes = [
            models.Index(fields=("page", "kind", "shown"), name="stored_page_ref_idx")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.ref_id}"
