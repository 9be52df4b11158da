"""Lists whose items are kept per row (`newsdesk.http.fragments`).

A list answer reads its page of rows through the model's `published()` on
every request — their key, version and position only — and takes each row's
item from the row's fragment; only the rows without a current one are read
with everything their items show and serialised.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Model, QuerySet
from rest_framework.response import Response
from rest_framework.settings import api_settings

from newsdesk.http import tags as cache_tags
from newsdesk.http.fragments import fragments, origin_variant, plain
from newsdesk.prepared import prepared_values


class PageRow:
    """A row of a list's page read without a model instance: the fields of
    `page_row_fields` as attributes (and in `__dict__`, as a loaded
    instance's), `pk` its key."""

    def __init__(self, fields: tuple[str, ...], values: tuple) -> None:
        self.__dict__.update(zip(fields, values, strict=True))
        self.pk = self.__dict__["id"]


class FragmentedListMixin:
    """`list()` from a page of rows and one fragment per row's item.

    Views set `list_model`, `page_row_fields` (the key, `updated_at` and the
    ordering's fields, which cursors read) and implement `list_rows()` (the
    published rows, before filters) and `item_rows(pks)` (those rows with
    everything their items show, again through `published()`).
    """

    list_model: type[Model]
    page_row_fields: tuple[str, ...] = ("id", "updated_at")

    def list_rows(self) -> QuerySet:
        raise NotImplementedError

    def item_rows(self, pks: list[Any]) -> QuerySet:
        raise NotImplementedError

    def first_page_rows(self, moment: datetime.datetime) -> QuerySet | None:
        """`list_rows()` as of `moment` (a stand-in for now: the gates take it
        where they would take the current time), for the first page read
        through a prepared query; None to read every page through a queryset."""
        return None

    def item_tags(self, row: Any) -> Iterable[str]:
        """Tags an item depends on beyond the rows it loads (its own listings)."""
        return ()

    def list(self, request, *args, **kwargs) -> Response:
        if self._plain_first_page(request):
            rows = self.paginator.paginate_first(self._first_rows, request, self)
        else:
            queryset = self.filter_queryset(self.list_rows())
            rows = self.paginate_queryset(queryset.only(*self.page_row_fields))
        items = fragments(
            rows,
            kind=f"api-{self.list_model._meta.label_lower}",
            variant=origin_variant(request),
            build=self._items,
        )
        return self.get_paginated_response(items)

    def _plain_first_page(self, request) -> bool:
        """True for a first page with no filter, search, order or cursor."""
        if self.first_page_rows.__func__ is FragmentedListMixin.first_page_rows:
            return False
        named = set(request.query_params) & self.cached_query_params()
        return not named - {
            self.paginator.page_size_query_param,
            api_settings.URL_FORMAT_OVERRIDE,
        }

    def _first_rows(self, count: int) -> list[PageRow]:
        fields = self.page_row_fields
        ordering = tuple(self.ordering)

        def build(moment: datetime.datetime, count: int) -> QuerySet:
            return (
                self.first_page_rows(moment)
                .order_by(*ordering)
                .values_list(*fields)[:count]
            )

        name = f"api-first-page:{self.list_model._meta.label_lower}:{ordering}"
        rows = [
            PageRow(fields, values) for values in prepared_values(name, build, count)
        ]
        # What loading them as instances would have declared.
        cache_tags.declare_rows(self.list_model, rows)
        return rows

    def _items(self, rows: list[Any]) -> dict[Any, tuple[Any, Any, set[str]]]:
        loaded = list(self.item_rows([row.pk for row in rows]))
        serialised = self.get_serializer(loaded, many=True).data
        return {
            row.pk: (row, plain(item), set(self.item_tags(row)))
            for row, item in zip(loaded, serialised, strict=True)
        }
