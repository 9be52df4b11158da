"""The article page's read model: the page built once, kept in the database.

Building a page takes a dozen queries and most of the rendering; the result
is kept per article as a `StoredArticlePage` row, stamped with its format,
its article's version and last change and the site's origin. A stored page
is used only while its article's row, read through `published()` in the
same query that loads the stored page, still has that stamp, and while the
rows it shows are exactly the visible ones among those it refers to
(`StoredArticlePageRef` rows), counted through `published()` and each
section's own gate in that same query; so nothing unpublished is ever shown
from it, whatever changed and however. Otherwise it is built again and
stored.

The approved comments are stored with the page, rendered, under the state
of the article's approved comments (how many, the newest, the last
moderated), which the same query reads: a comment approved or removed, by
whatever path, makes the page be built again.

Writes to what a page shows purge one of the cache tags it keeps
(`newsdesk.http.tags`): the purge deletes the stored pages carrying the tag
(`forget_pages`) once the write commits. A reader storing a page built from
the rows as they were checks the cache's record of when each tag was last
purged before and after its write, and deletes what it wrote if a purge came
in between (`_kept_unless_purged`); so reading a stored page needs no look at
the tags. Pages older than `ARTICLE_PAGE_MAX_AGE` are built again (so the
related articles move on).

The queries of a request are compiled once per process, per shape, with
stand-in values (`PreparedQuery`), and run with the request's own values and
time: compiling them is most of what reading a page would otherwise cost.
"""

from __future__ import annotations

import datetime
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.db.models import (
    CharField,
    Count,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from newsdesk.extensions import article_sections
from newsdesk.forms import CommentForm
from newsdesk.http import tags as cache_tags
from newsdesk.http.validators import rebuilds_stored
from newsdesk.models import (
    Article,
    Comment,
    RelatedLink,
    StoredArticlePage,
    StoredArticlePageRef,
    StoredArticlePageTag,
)
from newsdesk.prepared import server_statement
from newsdesk.selectors import (
    article_for_public,
    article_related,
    article_row_queryset,
    comments_queryset,
)

logger = logging.getLogger(__name__)

# A stored page older than this is built again, so its related articles move on.
ARTICLE_PAGE_MAX_AGE = 86400
# Raised whenever the stored shape or the page templates change.
ARTICLE_PAGE_FORMAT = 4
# Where the approved comments go in the stored page; no reader can type it.
_COMMENTS_SLOT = "\x00comments\x00"
# The stored page's columns read along with the article's row.
_STORED_COLUMNS = (
    "stamp",
    "built_at",
    "head",
    "content",
    "before",
    "after",
    "comments",
    "refs",
)

Refs = dict[str, set[int]]
# Stand-ins compiled into a prepared query, replaced by each run's values: the
# time, a slug, and ids (negative: no row has them).
_MOMENT = datetime.datetime(1971, 1, 1, 0, 0, 0, 123457, tzinfo=datetime.UTC)
_SLUG = "\x00slug\x00"
_FIRST_ID = -(10**12)
# Compiled queries per shape kept by a process; shapes are few, the cap a guard.
_PREPARED_LIMIT = 512
_prepared: dict[tuple, PreparedQuery | None] = {}


@dataclass(frozen=True)
class PreparedQuery:
    """SQL compiled once from a queryset, run later with the current time and
    the values standing in for `stand_ins` (in their order)."""

    sql: str
    params: tuple
    moment_at: tuple[int, ...]  # positions of the time parameter
    values_at: tuple[int, ...] = ()  # positions of the stand-ins, in order

    @classmethod
    def of(cls, queryset: QuerySet, stand_ins: Sequence = ()) -> PreparedQuery | None:
        """The prepared query, or None when a stand-in is not exactly one parameter."""
        sql, params = queryset.query.sql_with_params()
        moment = _adapted(_MOMENT)
        positions = tuple(i for i, value in enumerate(params) if value == moment)
        values_at = []
        for stand_in in stand_ins:
            found = [
                i
                for i, value in enumerate(params)
                if type(value) is type(stand_in) and value == stand_in
            ]
            if len(found) != 1:
                return None
            values_at.append(found[0])
        return cls(sql, tuple(params), positions, tuple(values_at))

    def rows(self, model, values: Sequence = ()) -> list:
        params = list(self.params)
        now = _adapted(timezone.now())
        for position in self.moment_at:
            params[position] = now
        for position, value in zip(self.values_at, values, strict=True):
            params[position] = value
        sql, params = server_statement(model.objects.db, self.sql, params)
        return list(model.objects.raw(sql, params))


def _run(
    shape: tuple,
    build: Callable[..., QuerySet],
    stand_ins: Sequence,
    values: Sequence,
    model,
    *,
    timed: bool = False,
) -> list:
    """Rows of `build(*values)`, through the query prepared for `shape`.

    `build` is called once per process and shape with the stand-ins; a query
    the stand-ins cannot be told apart in (or, when `timed`, that does not
    read the time through `_MOMENT`) is compiled on each call instead.
    """
    key = (connections[model.objects.db].vendor, *shape)
    if key not in _prepared:
        if len(_prepared) >= _PREPARED_LIMIT:
            _prepared.clear()
        prepared = PreparedQuery.of(build(*stand_ins), stand_ins)
        # Only a query that reads the time again on each run may be kept.
        if prepared is not None and timed and not prepared.moment_at:
            prepared = None
        _prepared[key] = prepared
    prepared = _prepared[key]
    if prepared is None:
        return list(build(*values))
    return prepared.rows(model, values)


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
    stamp: str = ""
    # The approved comments rendered for the slot between `before` and `after`.
    comments_html: str = ""
    references: Refs = field(default_factory=dict)
    shown: Refs = field(default_factory=dict)
    # The article whose approved comments go between `before` and `after`.
    article_id: int | None = None
    # The cache tags of what it shows (declared again whenever it is served)
    # and when its building began: a tag purged since then retires it.
    tags: tuple[str, ...] = ()
    built_at: float = 0.0

    def html(self, comments_html: str | None = None) -> str:
        """The whole page, with the approved comments it was built or stored
        with unless others are given."""
        if comments_html is None:
            comments_html = self.comments_html
        return self.before + comments_html + self.after


def _stamp(article: Article, request: HttpRequest, comments: str = "") -> str:
    """What a stored page is valid for: its format, the article's version and
    last change, the origin and language, and (last) its comments' state."""
    return "|".join(
        str(part)
        for part in (
            ARTICLE_PAGE_FORMAT,
            article.pk,
            article.version,
            article.updated_at.isoformat(),
            request.scheme,
            request.get_host(),
            # The page shows its dates in the active language.
            translation.get_language() or "",
            comments,
        )
    )


def _comments_state() -> Coalesce:
    """An annotation naming the state of an article's approved comments: how
    many, the newest, the last moderated. Read with the row, it tells whether
    the comments a stored page holds are still those readers may see."""
    approved = (
        Comment.objects.approved()
        .filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(
            state=Concat(
                Cast(Count("pk"), CharField()),
                Value("/"),
                Cast(Max("pk"), CharField()),
                Value("/"),
                Coalesce(Cast(Max("moderated_at"), CharField()), Value("")),
                output_field=CharField(),
            )
        )
        .values("state")
    )
    return Coalesce(Subquery(approved[:1]), Value(""), output_field=CharField())


def _comments_html(comments: Sequence[Comment]) -> str:
    # Nothing in the comments depends on the reader: no request context.
    return render_to_string("newsdesk/article/comments.html", {"comments": comments})


def _merge(into: Refs, more: Refs) -> None:
    for kind, ids in more.items():
        into.setdefault(kind, set()).update(ids)


def _visible_rows(kind: str, ids: set[int] | QuerySet, moment) -> QuerySet:
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


def _kinds() -> tuple[str, ...]:
    """The kinds of rows a page can refer to: articles and the sections' own."""
    return (
        "article",
        *(kind for section in article_sections for kind in section.kinds),
    )


def _visibility_checks(moment) -> dict:
    """Annotations of an article's row counting, per kind, the visible rows
    among those its stored page shows and among those it leaves out."""
    checks = {}
    for kind in _kinds():
        for shown in (True, False):
            ids = StoredArticlePageRef.objects.filter(
                page_id=OuterRef(OuterRef("pk")), kind=kind, shown=shown
            ).values("ref_id")
            name = f"{'shown' if shown else 'hidden'}_{kind}"
            checks[name] = _count(_visible_rows(kind, ids, moment))
    return checks


def _still_visible(page: ArticlePage, row: Article) -> bool:
    """Every row the page shows is visible and none it leaves out is, by the
    counts read with `row` (`_visibility_checks`)."""
    kinds = _kinds()
    if not set(page.references) <= set(kinds):
        return False
    for kind in kinds:
        if getattr(row, f"shown_{kind}", None) != len(page.shown.get(kind, ())):
            return False
        if getattr(row, f"hidden_{kind}", None) != 0:
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
        article_id=article.pk,
    )
    if not is_preview:
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
        page.comments_html = _comments_html(list(comments_queryset(article=article)))
    return page


# --- Stored pages ------------------------------------------------------------


def _stored_columns(columns: Sequence[str]) -> dict:
    stored = StoredArticlePage.objects.filter(pk=OuterRef("pk"))
    return {f"page_{column}": Subquery(stored.values(column)[:1]) for column in columns}


def _row_with_stored_page(slug: str) -> Article | None:
    """The published article at `slug` (its page's own fields), with its stored
    page's columns as `page_<column>` (None when it has none), the counts of
    its visibility check and the state of its approved comments, in one query."""

    def build(chosen_slug: str) -> QuerySet:
        return article_row_queryset(slug=chosen_slug, moment=_MOMENT).annotate(
            **_stored_columns(_STORED_COLUMNS),
            **_visibility_checks(_MOMENT),
            comments_state=_comments_state(),
        )

    rows = _run(("row",), build, (_SLUG,), (slug,), Article, timed=True)
    return rows[0] if rows else None


def _ids(refs: dict) -> Refs:
    return {kind: set(ids) for kind, ids in refs.items()}


def _stored(row: Article) -> ArticlePage | None:
    if row.page_stamp is None:
        return None
    refs = json.loads(row.page_refs)
    return ArticlePage(
        head=mark_safe(row.page_head),
        content=mark_safe(row.page_content),
        before=row.page_before,
        after=row.page_after,
        comments_html=row.page_comments,
        stamp=row.page_stamp,
        references=_ids(refs["references"]),
        shown=_ids(refs["shown"]),
        article_id=row.pk,
        tags=tuple(refs["tags"]),
        built_at=float(row.page_built_at),
    )


def _not_purged_since(tags: Sequence[str], moment: float) -> bool:
    """No tag the cache remembers was purged at or after `moment`.

    A tag the cache does not know (emptied, evicted) counts as not purged: a
    purge deletes the stored pages carrying it (`forget_pages`).
    """
    return all(
        version is None or version < moment
        for version in cache_tags.tag_versions(tags).values()
    )


def _not_written_since(tags: Sequence[str], moment: float) -> bool:
    """None of `tags` was written since `moment` by this connection's open
    transaction: its purge is still to come, and its own reads must not use
    what was built from the rows before its write."""
    written = cache_tags.uncommitted()
    return not written or all(written.get(tag, 0.0) < moment for tag in tags)


def _usable(page: ArticlePage | None, row: Article, request: HttpRequest) -> bool:
    """Whether the stored `page` may be served with `row`: the same stamp
    (comments included), young enough, showing exactly the rows visible now,
    and not older than a write of the reader's own open transaction. A
    committed purge of what it shows has deleted it (`_kept_unless_purged`)."""
    return (
        page is not None
        and page.stamp == _stamp(row, request, row.comments_state)
        and page.built_at > time.time() - ARTICLE_PAGE_MAX_AGE
        and _not_written_since(page.tags, page.built_at)
        and _still_visible(page, row)
    )


def _forget_page(article_id: int) -> None:
    StoredArticlePageTag.objects.filter(page_id=article_id).delete()
    StoredArticlePageRef.objects.filter(page_id=article_id).delete()
    StoredArticlePage.objects.filter(pk=article_id).delete()


def _kept_unless_purged(
    article_id: int, tags: Sequence[str], built_at: float, write: Callable[[], None]
) -> None:
    """Run `write` (storing what was built from the rows read since `built_at`)
    unless one of `tags` was purged since, then check once more.

    A purge retires its tags in the cache first, then deletes the stored pages
    carrying them (`forget_pages`). A write committed before that deletion is
    deleted by it; one that commits after the purge's deletion found nothing
    sees the retired tags in the check that follows it, and deletes what it
    wrote. So a page built from rows a write has since changed is never read
    again, and reading a stored page needs no look at the tags. A failed
    write (a busy SQLite file) only means the next reader builds it.
    """
    if not _not_purged_since(tags, built_at):
        return
    try:
        write()
        if not _not_purged_since(tags, built_at):
            with transaction.atomic():
                _forget_page(article_id)
    except DatabaseError:
        logger.warning("Could not store the page of article %s", article_id)


def _store(page: ArticlePage, *, replacing: bool) -> None:
    """Keep `page` (`replacing` the stored one) with one row per cache tag and
    one per row it refers to, unless a write purged its tags meanwhile."""
    _kept_unless_purged(
        page.article_id,
        page.tags,
        page.built_at,
        lambda: _write_page(page, replacing=replacing),
    )


def _write_page(page: ArticlePage, *, replacing: bool) -> None:
    refs = {
        "references": {kind: sorted(ids) for kind, ids in page.references.items()},
        "shown": {kind: sorted(ids) for kind, ids in page.shown.items()},
        "tags": list(page.tags),
    }
    stored = StoredArticlePage(
        article_id=page.article_id,
        stamp=page.stamp,
        built_at=page.built_at,
        head=page.head,
        content=page.content,
        before=page.before,
        after=page.after,
        comments=page.comments_html,
        refs=json.dumps(refs),
        # An API item kept with the page's earlier version goes with it.
        api_stamp="",
        api_built_at=0.0,
        api_item="",
    )
    with transaction.atomic():
        StoredArticlePage.objects.bulk_create(
            [stored],
            update_conflicts=True,
            unique_fields=["article"],
            update_fields=[*_STORED_COLUMNS, "api_stamp", "api_built_at", "api_item"],
        )
        if replacing:
            StoredArticlePageTag.objects.filter(page_id=page.article_id).delete()
            StoredArticlePageRef.objects.filter(page_id=page.article_id).delete()
        StoredArticlePageRef.objects.bulk_create(
            [
                StoredArticlePageRef(
                    page_id=page.article_id,
                    kind=kind,
                    ref_id=ref_id,
                    shown=ref_id in page.shown.get(kind, ()),
                )
                for kind, ids in sorted(page.references.items())
                for ref_id in sorted(ids | page.shown.get(kind, set()))
            ]
        )
        StoredArticlePageTag.objects.bulk_create(
            [
                StoredArticlePageTag(page_id=page.article_id, tag=tag)
                for tag in page.tags
            ],
            ignore_conflicts=True,
        )


# --- The API detail item, kept with the page ---------------------------------

API_ITEM_FORMAT = 1


def _api_stamp(article_id: int, updated_at: datetime.datetime, variant: str) -> str:
    return f"{API_ITEM_FORMAT}|{article_id}|{updated_at.isoformat()}|{variant}"


def _page_prefix(article_id: int) -> str:
    return f"{ARTICLE_PAGE_FORMAT}|{article_id}|"


def api_row_with_item(
    *, pk: int, variant: str, fields: Sequence[str]
) -> tuple[Article | None, tuple[dict, tuple[str, ...]] | None, bool]:
    """The published article `pk` (its `fields` only), else None; the API
    detail item kept with its stored page and the item's tags, while still
    valid, else None; and whether the article has a stored page to keep an
    item with. One query: the row through `published()` with the stored
    page's columns and the counts of its visibility check, which cover every
    row the item shows.
    """
    columns = ("stamp", "refs", "api_stamp", "api_built_at", "api_item")
    fields = tuple(fields)
    rows = _run(
        ("api", fields),
        lambda chosen: (
            Article.objects.published(_MOMENT)
            .filter(pk=chosen)
            .only(*fields)
            .annotate(**_stored_columns(columns), **_visibility_checks(_MOMENT))
        ),
        (_FIRST_ID,),
        (pk,),
        Article,
        timed=True,
    )
    if not rows:
        return None, None, False
    row = rows[0]
    if row.page_stamp is None:
        return row, None, False
    return row, _kept_api_item(row, variant), True


def _kept_api_item(row: Article, variant: str) -> tuple[dict, tuple[str, ...]] | None:
    page_parts = row.page_stamp.split("|")
    if (
        row.page_api_stamp != _api_stamp(row.pk, row.updated_at, variant)
        or not row.page_stamp.startswith(_page_prefix(row.pk))
        or page_parts[3:4] != [row.updated_at.isoformat()]
        or float(row.page_api_built_at) <= time.time() - ARTICLE_PAGE_MAX_AGE
    ):
        return None
    kept = json.loads(row.page_api_item)
    tags = tuple(kept["tags"])
    if not _not_written_since(tags, float(row.page_api_built_at)):
        return None
    refs = json.loads(row.page_refs)
    page = ArticlePage(
        head=mark_safe(""),
        content=mark_safe(""),
        references=_ids(refs["references"]),
        shown=_ids(refs["shown"]),
    )
    if not _still_visible(page, row):
        return None
    return kept["item"], tags


def store_api_item(
    *,
    article_id: int,
    updated_at: datetime.datetime,
    variant: str,
    item: dict,
    tags: set[str],
    built_at: float,
) -> None:
    """Keep the API detail item with the article's stored page of the same
    last change, if there is one (its visibility counts check the item),
    unless a write purged its tags meanwhile (`_kept_unless_purged`)."""
    kept = json.dumps({"item": item, "tags": sorted(tags)})

    def write() -> None:
        with transaction.atomic():
            updated = StoredArticlePage.objects.filter(
                pk=article_id, stamp__startswith=_page_prefix(article_id)
            ).update(
                api_stamp=_api_stamp(article_id, updated_at, variant),
                api_built_at=built_at,
                api_item=kept,
            )
            if updated:
                StoredArticlePageTag.objects.bulk_create(
                    [StoredArticlePageTag(page_id=article_id, tag=t) for t in tags],
                    ignore_conflicts=True,
                )

    _kept_unless_purged(article_id, sorted(tags), built_at, write)


def forget_pages(tags: set[str]) -> None:
    """Delete the stored pages carrying any of `tags` (all of them for `all`)."""
    if cache_tags.EVERYTHING in tags:
        StoredArticlePageTag.objects.all().delete()
        StoredArticlePageRef.objects.all().delete()
        StoredArticlePage.objects.all().delete()
        return
    ids = list(
        StoredArticlePageTag.objects.filter(tag__in=sorted(tags))
        .values_list("page_id", flat=True)
        .distinct()
    )
    if ids:
        StoredArticlePageTag.objects.filter(page_id__in=ids).delete()
        StoredArticlePageRef.objects.filter(page_id__in=ids).delete()
        StoredArticlePage.objects.filter(pk__in=ids).delete()


def article_with_page(
    *, slug: str, request: HttpRequest, store: bool = True
) -> tuple[Article | None, ArticlePage | None]:
    """The published article at `slug` (its row) and its page, stored or built.

    One query while the stored page is still valid (the row with the stored
    page and the visibility of what it shows); (None, None) when no
    published article has this slug. With `store=False` (a write's own
    request, such as a comment posted) a page built is used, never kept:
    only reads store pages.
    """
    row = _row_with_stored_page(slug)
    if row is None:
        return None, None
    stored = None if rebuilds_stored(request) else _stored(row)
    if _usable(stored, row, request):
        cache_tags.declare(*stored.tags)
        return row, stored
    built_at = time.time()
    with cache_tags.collecting(separate=True) as collected:
        full = article_for_public(slug=slug)
        if full is None:  # unpublished in the meantime
            return None, None
        page = _build(full, request, is_preview=False)
    page.tags, page.built_at = tuple(sorted(collected)), built_at
    # One page is stored per article, in the site's language: a reader's
    # other language is rendered for them (and its answer cached as usual)
    # instead of overwriting the stored page back and forth.
    if (
        store
        and page.stamp == _stamp(row, request)
        and translation.get_language() == settings.LANGUAGE_CODE
    ):
        # Stamped with the comments' state read with the row, before the build
        # read the comments: a comment moderated in between changes the state
        # again, and the next reader renders the page anew.
        page.stamp = _stamp(row, request, row.comments_state)
        _store(page, replacing=row.page_stamp is not None)
    return row, page


def article_preview_page(*, article: Article, request: HttpRequest) -> ArticlePage:
    """The page of any loaded article as staff preview it; never stored."""
    return _build(article, request, is_preview=True)
