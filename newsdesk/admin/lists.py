"""Changelists that stay fast at archive scale: estimated counts, cached date links."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.contrib.admin.views.main import ChangeList
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

from newsdesk.models import ArticleAuthor, ArticleQuerySet


class EstimatedCountPaginator(Paginator):
    """Avoid COUNT(*) over a whole large table: PostgreSQL's estimate is used instead.

    Filtered lists are counted exactly (their filters are indexed); only the
    unfiltered changelist of a big table uses the planner's row estimate.
    """

    exact_below = 10_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if (
            connection.vendor == "postgresql"
            and isinstance(queryset, QuerySet)
            and not queryset.query.where
        ):
            # One query either way: the planner's estimate for a big table, an
            # exact count for a small one.
            table = connection.ops.quote_name(queryset.model._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT CASE WHEN c.reltuples >= %s THEN c.reltuples::bigint "
                    f"ELSE (SELECT COUNT(*) FROM {table}) END "
                    "FROM pg_class c WHERE c.oid = %s::regclass",
                    [self.exact_below, queryset.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row is not None:
                return int(row[0])
        return super().count


class SearchResultPaginator(Paginator):
    """Counts a search's matches up to `cap`: enough pages to look through.

    A common word matches most of the archive, and counting every match costs
    more than finding the page; past the cap the list says "more than".
    """

    cap = 1_000

    @cached_property
    def count(self) -> int:
        found = self.object_list.order_by()[: self.cap + 1].count()
        self.capped = found > self.cap
        return min(found, self.cap)


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


class DateNavigationQuerySet(ArticleQuerySet):
    """Caches the date-hierarchy links for a few minutes.

    The admin's date hierarchy asks for the first and last dates and for
    DISTINCT truncated dates over every matching row; at archive scale those
    scans cost more than the page itself (SQLite reads the whole index for a
    MIN and a MAX in one query), and the links change only as often as the
    archive gains a new month.
    """

    def datetimes(self, *args: Any, **kwargs: Any) -> list:
        query = super().datetimes(*args, **kwargs)
        if query.query.is_empty():  # e.g. a refused search: nothing to cache or ask
            return []
        key = _navigation_key("admin-dates:", query.query)
        values = cache.get(key)
        if values is None:
            values = list(query)
            cache.set(key, values, NAVIGATION_CACHE_SECONDS)
        return values

    def aggregate(self, *args: Any, **kwargs: Any) -> dict:
        # Only the hierarchy's date range: {"first": Min(field), "last": Max(field)}.
        if args or set(kwargs) != {"first", "last"} or self.query.is_empty():
            return super().aggregate(*args, **kwargs)
        key = _navigation_key(
            f"admin-date-range:{kwargs['first']!r}|{kwargs['last']!r}:", self.query
        )
        values = cache.get(key)
        if values is None:
            values = super().aggregate(**kwargs)
            cache.set(key, values, NAVIGATION_CACHE_SECONDS)
        return values


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

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        # Sorting every match of a common search word would carry each article's
        # whole row (its body and HTML) through the sort: sort the keys alone,
        # then read only the page's rows.
        page_ids = list(self.result_list.values_list("pk", flat=True))
        rows = self.apply_select_related(self.model_admin.get_queryset(request))
        self.result_list = (
            rows.filter(pk__in=page_ids)
            .order_by(*self.result_list.query.order_by)
            .prefetch_related(
                Prefetch(
                    "article_authors",
                    queryset=ArticleAuthor.objects.select_related("person").order_by(
                        "position"
                    ),
                )
            )
        )
