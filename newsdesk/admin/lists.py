"""Changelists that stay fast at archive scale: bounded counts, date links from the index."""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from typing import Any

from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Exists, F, Max, Min, OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import cached_property

from newsdesk.admin.row_actions import RowActionLinks
from newsdesk.models import ArticleAuthor, ArticleQuerySet, ArticleRevision


class ArticleListPaginator(Paginator):
    """Counts that stay cheap at archive scale.

    The unfiltered list of a big table takes PostgreSQL's row estimate instead
    of a COUNT(*) (`estimated`). A filtered or searched list is counted up to
    `cap` ("more than 1,000" past it, `capped`): enough pages to look through.

    On SQLite the keys of those first matches are read once, in the list's
    order, and give both the count and, sliced, the page's keys (`keys`): its
    full-text index lists a word's matches anew for every statement, so a
    search asked once to count and again for its page costs twice. PostgreSQL
    counts from its indexes without the order and walks the order only as far
    as the page.
    """

    cap = 1_000
    exact_below = 10_000

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.capped = False
        self.estimated = False
        # Keys of a filtered list's first matches, in order (None: not read).
        self.keys: list[Any] | None = None

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not isinstance(queryset, QuerySet):
            return super().count
        if not queryset.query.where:
            return self._whole_table_count(queryset)
        if connections[queryset.db].vendor == "sqlite":
            keys = list(queryset.values_list("pk", flat=True)[: self.cap + 1])
            self.keys = keys[: self.cap]
            found = len(keys)
        else:
            found = queryset.order_by()[: self.cap + 1].count()
        self.capped = found > self.cap
        return min(found, self.cap)

    def _whole_table_count(self, queryset: QuerySet) -> int:
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return queryset.count()  # SQLite counts a table from its smallest index
        # One query either way: the planner's estimate for a big table, an
        # exact count for a small one.
        table = connection.ops.quote_name(queryset.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.reltuples >= %s, CASE WHEN c.reltuples >= %s "
                f"THEN c.reltuples::bigint ELSE (SELECT COUNT(*) FROM {table}) END "
                "FROM pg_class c WHERE c.oid = %s::regclass",
                [self.exact_below, self.exact_below, queryset.model._meta.db_table],
            )
            row = cursor.fetchone()
        if row is None:
            return queryset.count()
        self.estimated = bool(row[0])
        return int(row[1])

    def page_keys(self, number: int | None = None) -> list[Any] | None:
        """The keys of page `number` (every key read when None); None when not read."""
        if self.keys is None:
            return None
        if number is None:
            return self.keys
        bottom = (self.validate_number(number) - 1) * self.per_page
        return self.keys[bottom : bottom + self.per_page]

    def page(self, number: int | str) -> Any:
        number = self.validate_number(number)
        keys = self.page_keys(number)
        if keys is None:
            return super().page(number)
        return self._get_page(keys, number, self)


NAVIGATION_CACHE_SECONDS = 300


def _navigation_key(prefix: str, query: Any) -> str:
    """A cache key for a navigation query, the same for a whole minute."""
    sql, params = query.sql_with_params()
    # "Now" in published()/scheduled() changes every request; a minute is close enough.
    params = [
        p.replace(second=0, microsecond=0) if isinstance(p, datetime.datetime) else p
        for p in params
    ]
    return prefix + hashlib.sha256(f"{sql}|{params}".encode()).hexdigest()


def _bucket_starts(
    first: datetime.datetime, last: datetime.datetime, kind: str
) -> list[datetime.datetime]:
    """The start of every year, month or day from `first` to `last` (local times)."""
    tz = first.tzinfo
    year, month, day = first.year, first.month if kind != "year" else 1, first.day
    if kind != "day":
        day = 1
    starts = []
    while True:
        start = datetime.datetime(year, month, day, tzinfo=tz)
        if start > last:
            return starts
        starts.append(start)
        if kind == "year":
            year += 1
        elif kind == "month":
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        else:
            following = start.date() + datetime.timedelta(days=1)
            year, month, day = following.year, following.month, following.day


class DateNavigationQuerySet(ArticleQuerySet):
    """The date-hierarchy links from index look-ups, cached for a few minutes.

    The admin's date hierarchy asks for the first and last dates and for
    DISTINCT truncated dates over every matching row: a scan that truncates
    each row's time (on SQLite in Python, about a second at 100,000 articles).
    Here the first and last dates are one look each into the publish-time
    index, and each year (month, day) between them one EXISTS probe, all in one
    query; the links change only as often as the archive gains a new month.

    `navigation_key`, set by the changelist from its filters, names the list in
    the cache without compiling its SQL on every page.
    """

    navigation_key: str | None = None

    def _cache_key(self, prefix: str, query: Any) -> str:
        if self.navigation_key is not None:
            return f"{prefix}{self.navigation_key}"
        return _navigation_key(prefix, query() if callable(query) else query)

    def _probe(self, **lookups: Any) -> dict[str, Any]:
        """Several look-ups in one query, asked as the columns of any one row."""
        rows = list(
            self.model._base_manager.using(self.db)
            .order_by()
            .annotate(**lookups)
            .values(*lookups)[:1]
        )
        return rows[0] if rows else dict.fromkeys(lookups)

    def _date_range(self, field_name: str) -> dict[str, datetime.datetime | None]:
        """The first and last dates, cached: asked for the links and for the years."""
        key = self._cache_key(f"admin-date-range:{field_name}:", self.query)
        values = cache.get(key)
        if values is None:
            values = self._read_date_range(field_name)
            cache.set(key, values, NAVIGATION_CACHE_SECONDS)
        return values

    def _read_date_range(self, field_name: str) -> dict[str, datetime.datetime | None]:
        dated = self.filter(**{f"{field_name}__isnull": False}).values(field_name)
        return self._probe(
            first=Subquery(dated.order_by(field_name)[:1]),
            last=Subquery(dated.order_by(f"-{field_name}")[:1]),
        )

    def datetimes(
        self,
        field_name: str,
        kind: str,
        order: str = "ASC",
        tzinfo: datetime.tzinfo | None = None,
    ) -> list:
        if self.query.is_empty():  # e.g. a refused search: nothing to cache or ask
            return []
        if kind not in {"year", "month", "day"} or order != "ASC":
            return super().datetimes(field_name, kind, order, tzinfo)
        key = self._cache_key(
            f"admin-dates:{field_name}:{kind}:{tzinfo}:",
            lambda: (
                super(DateNavigationQuerySet, self)
                .datetimes(field_name, kind, order, tzinfo)
                .query
            ),
        )
        values = cache.get(key)
        if values is None:
            values = self._existing_buckets(field_name, kind, tzinfo)
            cache.set(key, values, NAVIGATION_CACHE_SECONDS)
        return values

    def _existing_buckets(
        self, field_name: str, kind: str, tzinfo: datetime.tzinfo | None
    ) -> list[datetime.datetime]:
        bounds = self._date_range(field_name)
        if bounds["first"] is None or bounds["last"] is None:
            return []
        tz = tzinfo or timezone.get_current_timezone()
        starts = _bucket_starts(
            bounds["first"].astimezone(tz), bounds["last"].astimezone(tz), kind
        )
        probes = {}
        for index, start in enumerate(starts):
            bucket = self.filter(**{f"{field_name}__gte": start})
            if index + 1 < len(starts):
                bucket = bucket.filter(**{f"{field_name}__lt": starts[index + 1]})
            probes[f"bucket_{index}"] = Exists(bucket.order_by())
        found = self._probe(**probes) if probes else {}
        return [start for index, start in enumerate(starts) if found[f"bucket_{index}"]]

    def aggregate(self, *args: Any, **kwargs: Any) -> dict:
        # Only the hierarchy's date range: {"first": Min(field), "last": Max(field)}.
        if (
            args
            or set(kwargs) != {"first", "last"}
            or not isinstance(kwargs["first"], Min)
            or not isinstance(kwargs["last"], Max)
            or self.query.is_empty()
        ):
            return super().aggregate(*args, **kwargs)
        (field_name,) = {
            expression.source_expressions[0].name for expression in kwargs.values()
        }
        return self._date_range(field_name)


# What a row of the article list shows, for the list and its row menu; the
# long texts it does not show (the rendered HTML, standfirst, notes) stay unread.
LIST_COLUMNS = (
    "headline",
    "slug",
    "needs_headline",
    "body",
    "status",
    "publish_at",
    "first_published_at",
    "retracted_at",
    "language",
    "version",
    "created_at",
    "updated_at",
    "lead_image",
    "created_by",
    "source",
    "updated_by",
)
# The related rows the list reads with each article, and what of them (the
# lead image whole: its thumbnail needs the file, size and focal point).
LIST_RELATED = {"lead_image": "lead_image"}
# The names the list shows of others, read as values in the same query: a model
# row each for the source and the last editor cost more than the cells.
LIST_NAMES = {
    "list_source_name": "source__name",
    "list_updated_by": f"updated_by__{get_user_model().USERNAME_FIELD}",
}


class ArticleChangeList(ChangeList):
    """The article list: the page's keys first, then its rows; bylines in one query."""

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        # The date links of a search would be worked out over every match, for
        # each new search term (seconds for a common word at archive scale);
        # they come back once the search is cleared or a date is chosen.
        drilled = any(key.startswith(f"{self.date_hierarchy}__") for key in self.params)
        if self.query and not drilled:
            self.date_hierarchy = None

    def get_queryset(
        self, request: HttpRequest, exclude_parameters: Any = None
    ) -> QuerySet:
        queryset = super().get_queryset(request, exclude_parameters)
        if isinstance(queryset, DateNavigationQuerySet):
            # What the list is narrowed by, and for whom ("my drafts").
            filters = sorted(self.get_filters_params().items())
            described = f"{request.user.pk}|{self.query}|{filters}"
            queryset.navigation_key = hashlib.sha256(described.encode()).hexdigest()
        return queryset

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        # Sorting every match of a common search word would carry each article's
        # whole row (its body and HTML) through the sort: sort the keys alone,
        # then read only the page's rows. A filtered list has read its keys
        # already, with its count.
        everything = (self.show_all and self.can_show_all) or not self.multi_page
        page_ids = self.paginator.page_keys(None if everything else self.page_num)
        if page_ids is None:
            page_ids = list(self.result_list.values_list("pk", flat=True))
        rows = (
            self.model_admin.get_queryset(request)
            .filter(pk__in=page_ids)
            .order_by(*self.queryset.query.order_by)
            .select_related(None)
            .select_related(*LIST_RELATED)
            .only(*LIST_COLUMNS, *LIST_RELATED.values())
            .annotate(
                has_pending_changes=Exists(
                    ArticleRevision.objects.pending().filter(article=OuterRef("pk"))
                ),
                **{name: F(path) for name, path in LIST_NAMES.items()},
            )
        )
        # The bylines as names in one query (model rows for each byline and
        # person cost more than the rest of the page's reading).
        bylines = defaultdict(list)
        for article_id, name in (
            ArticleAuthor.objects.filter(article_id__in=page_ids)
            .order_by("article_id", "position")
            .values_list("article_id", "person__name")
        ):
            bylines[article_id].append(name)
        # Each row's menu (edit, view, preview, compare, workflow steps), for
        # this user, from what the row holds: no query per row.
        links = RowActionLinks(self.model_admin, request)
        self.result_list = list(rows)
        for article in self.result_list:
            article.list_byline = ", ".join(bylines[article.pk])
            article.list_links = links
            article.row_actions = links.for_article(
                article, has_pending=article.has_pending_changes
            )
