"""The article page's read model: the page rendered once, kept per article.

Building a page takes a dozen queries and most of the rendering; the result
is kept in the cache under the article's slug, stamped with its version, last
change and the site's origin. A stored page is used only while the rows it
shows are exactly the visible ones among those it refers to, counted through
`published()` (and each section's own gate) in the same query that loads the
article's row, so nothing unpublished is ever shown from it; otherwise it is
rebuilt. Writes to what a page shows purge one of the cache tags it keeps
(`newsdesk.http.tags`), which retires it; entries expire after
`ARTICLE_PAGE_SECONDS` in any case.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connections
from django.db.models import F, Func, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from newsdesk.extensions import article_sections
from newsdesk.forms import CommentForm
from newsdesk.http import tags as cache_tags
from newsdesk.models import Article, Comment, RelatedLink
from newsdesk.selectors import (
    article_for_public,
    article_related,
    article_row_queryset,
    comments_queryset,
)

ARTICLE_PAGE_SECONDS = 600
# Raised whenever the stored shape or the page templates change.
ARTICLE_PAGE_FORMAT = 2
_KEY = "newsdesk:article-page:{format}:{slug}"
# Where the approved comments go in the stored page; no reader can type it.
_COMMENTS_SLOT = "\x00comments\x00"

Refs = dict[str, set[int]]
# Stands for "now" in a prepared query; replaced by the time of each run.
_MOMENT = datetime.datetime(1971, 1, 1, 0, 0, 0, 123457, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class PreparedQuery:
    """SQL compiled once from a queryset, run later with the current time."""

    sql: str
    params: tuple
    moment_at: tuple[int, ...]  # positions of the time parameter

    @classmethod
    def of(cls, queryset: QuerySet) -> PreparedQuery:
        sql, params = queryset.query.sql_with_params()
        moment = _adapted(_MOMENT)
        positions = tuple(i for i, value in enumerate(params) if value == moment)
        return cls(sql, tuple(params), positions)

    def rows(self, model) -> list:
        params = list(self.params)
        now = _adapted(timezone.now())
        for position in self.moment_at:
            params[position] = now
        return list(model.objects.raw(self.sql, params))


def _adapted(moment: datetime.datetime):
    field = Article._meta.get_field("publish_at")
    return field.get_db_prep_value(moment, connections[Article.objects.db])


@dataclass
class ArticlePage:
    """An article's page: head tags, the article, and the whole page around
    the comments (`before` + comments + `after`) for anonymous readers."""

    head: SafeString
    content: SafeString
    before: str = ""
    after: str = ""
    stamp: tuple = ()
    references: Refs = field(default_factory=dict)
    shown: Refs = field(default_factory=dict)
    row_query: PreparedQuery | None = None
    comments_query: PreparedQuery | None = None
    # The cache tags of what it shows (declared again whenever it is served)
    # and when its building began: a tag purged since then retires it.
    tags: tuple[str, ...] = ()
    built_at: float = 0.0

    def html(self, comments_html: str) -> str:
        return self.before + comments_html + self.after

    def comments(self) -> list[Comment]:
        """The article's approved comments now, by the query prepared with the page."""
        return self.comments_query.rows(Comment)


def _key(slug: str) -> str:
    return _KEY.format(format=ARTICLE_PAGE_FORMAT, slug=slug)


def _stamp(article: Article, request: HttpRequest) -> tuple:
    return (
        article.pk,
        article.version,
        article.updated_at.isoformat(),
        request.scheme,
        request.get_host(),
    )


def _merge(into: Refs, more: Refs) -> None:
    for kind, ids in more.items():
        into.setdefault(kind, set()).update(ids)


def _visible_rows(kind: str, ids: set[int], moment) -> QuerySet:
    if kind == "article":
        # Checked by primary key: SQLite would otherwise walk every published row.
        return Article.objects.published_rows(moment).filter(pk__in=ids)
    for section in article_sections:
        rows = section.visible_rows(kind, ids)
        if rows is not None:
            return rows
    raise LookupError(f"No section shows rows of kind {kind!r}.")


def _count(rows: QuerySet) -> Coalesce:
    counted = (
        rows.order_by()
        .annotate(_n=Func(F("pk"), function="COUNT", output_field=IntegerField()))
        .values("_n")
    )
    return Coalesce(Subquery(counted[:1]), 0)


def _checks(page: ArticlePage, moment: datetime.datetime) -> dict:
    """Annotations counting, per kind, the visible rows among those the page
    shows and among those it refers to but does not show."""
    checks = {}
    for kind, ids in page.references.items():
        shown = page.shown.get(kind, set())
        if shown:
            checks[f"shown_{kind}"] = _count(_visible_rows(kind, shown, moment))
        if ids - shown:
            checks[f"hidden_{kind}"] = _count(_visible_rows(kind, ids - shown, moment))
    return checks


def _still_valid(page: ArticlePage, row: Article, request: HttpRequest) -> bool:
    if page.stamp != _stamp(row, request):
        return False
    for kind, ids in page.references.items():
        shown = page.shown.get(kind, set())
        if shown and getattr(row, f"shown_{kind}", None) != len(shown):
            return False
        if ids - shown and getattr(row, f"hidden_{kind}", None) != 0:
            return False
    return True


def _build(article: Article, request: HttpRequest, *, is_preview: bool) -> ArticlePage:
    related = article_related(article=article)
    references: Refs = {
        "article": set(
            RelatedLink.objects.filter(article=article, target__isnull=False)
            .order_by()
            .values_list("target_id", flat=True)
        )
        | {a.pk for a in related}
    }
    shown: Refs = {
        "article": {link.target_id for link in article.public_related_links}
        | {a.pk for a in related}
    }
    shown["article"].discard(None)
    for section in article_sections:
        _merge(references, section.references(article))
        _merge(shown, section.shown(article))
    context = {"article": article, "is_preview": is_preview}
    sections = [
        mark_safe(render_to_string(section.template_name, context, request))
        for section in article_sections
        if section.template_name
    ]
    content = {**context, "sections": sections, "related_articles": related}
    page = ArticlePage(
        head=mark_safe(
            render_to_string("newsdesk/article/head.html", context, request)
        ),
        content=mark_safe(
            render_to_string("newsdesk/article/content.html", content, request)
        ),
        stamp=_stamp(article, request),
        references=references,
        shown=shown,
    )
    if not is_preview:
        # The row and every visibility count in one query, compiled once here:
        # compiling it is most of a request's cost.
        row_query = PreparedQuery.of(
            article_row_queryset(slug=article.slug, moment=_MOMENT).annotate(
                **_checks(page, _MOMENT)
            )
        )
        # Only a query that reads the time again on each run may be kept.
        page.row_query = row_query if row_query.moment_at else None
        page.comments_query = PreparedQuery.of(comments_queryset(article=article))
        whole = render_to_string(
            "newsdesk/article_detail.html",
            {
                **context,
                "page": page,
                "comments_html": mark_safe(_COMMENTS_SLOT),
                "comment_form": CommentForm(),
            },
            request,
        )
        # Only the form and the footer follow the slot: no content can hold it.
        page.before, _, page.after = whole.rpartition(_COMMENTS_SLOT)
    return page


def article_with_page(
    *, slug: str, request: HttpRequest
) -> tuple[Article | None, ArticlePage | None]:
    """The published article at `slug` (its row) and its page, stored or built.

    One query, prepared when the page was stored, while the stored page is
    still valid; (None, None) when no published article has this slug.
    """
    stored = cache.get(_key(slug))
    if stored is not None and stored.row_query is not None:
        row = next(iter(stored.row_query.rows(Article)), None)
    else:
        row = article_row_queryset(slug=slug).first()
    if row is None:
        return None, None
    if (
        stored is not None
        and _still_valid(stored, row, request)
        and cache_tags.fresh_since(stored.tags, stored.built_at)
    ):
        cache_tags.declare(*stored.tags)
        return row, stored
    built_at = time.time()
    with cache_tags.collecting(separate=True) as collected:
        full = article_for_public(slug=slug)
        if full is None:  # unpublished in the meantime
            return None, None
        page = _build(full, request, is_preview=False)
    page.tags, page.built_at = tuple(sorted(collected)), built_at
    cache_tags.ensure_versions(page.tags)
    if page.stamp == _stamp(row, request):
        cache.set(_key(slug), page, ARTICLE_PAGE_SECONDS)
    return row, page


def article_preview_page(*, article: Article, request: HttpRequest) -> ArticlePage:
    """The page of any loaded article as staff preview it; never stored."""
    return _build(article, request, is_preview=True)
