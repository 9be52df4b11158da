"""Lists whose items are kept per row (`newsdesk.http.fragments`).

A list answer reads its page of rows through the model's `published()` on
every request — their key, version and position only — and takes each row's
item from the row's fragment; only the rows without a current one are read
with everything their items show and serialised.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model, QuerySet
from rest_framework.response import Response

from newsdesk.http.fragments import fragments, origin_variant, plain


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

    def item_tags(self, row: Any) -> Iterable[str]:
        """Tags an item depends on beyond the rows it loads (its own listings)."""
        return ()

    def list(self, request, *args, **kwargs) -> Response:
        queryset = self.filter_queryset(self.list_rows())
        rows = self.paginate_queryset(queryset.only(*self.page_row_fields))
        items = fragments(
            rows,
            kind=f"api-{self.list_model._meta.label_lower}",
            variant=origin_variant(request),
            build=self._items,
        )
        return self.get_paginated_response(items)

    def _items(self, rows: list[Any]) -> dict[Any, tuple[Any, Any, set[str]]]:
        loaded = list(self.item_rows([row.pk for row in rows]))
        serialised = self.get_serializer(loaded, many=True).data
        return {
            row.pk: (row, plain(item), set(self.item_tags(row)))
            for row, item in zip(loaded, serialised, strict=True)
        }
