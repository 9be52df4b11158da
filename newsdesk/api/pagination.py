"""Cursor pages without COUNT, with links in the body and the `Link` header."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rest_framework import exceptions
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.response import Response

from newsdesk.api.validation import InvalidCursor, cursor_position


class ApiCursorPagination(CursorPagination):
    """Cursor pages (no COUNT), `page_size` up to a cap, links in body and `Link`."""

    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"
    cursor_query_description = (
        "The page cursor, taken from a `next` or `previous` link."
    )
    page_size_query_description = "Items per page, 1 to 100 (default 20)."

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except (TypeError, ValueError):
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise exceptions.ValidationError(
                {"page_size": [f"Enter a whole number from 1 to {self.max_page_size}."]}
            )
        return size

    def paginate_queryset(self, queryset, request, view=None):
        self.ordering = getattr(view, "ordering", None) or self.ordering
        self._queryset = queryset
        return super().paginate_queryset(queryset, request, view)

    def paginate_first(
        self, read: Callable[[int], list[Any]], request, view
    ) -> list[Any]:
        """The first page (no cursor) from `read(n)`, the list's first n rows in
        the view's default ordering, read without building a queryset.

        Leaves the paginator as `paginate_queryset` does for a first page, so
        the links, the `Link` header and `window()` are the same.
        """
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.ordering = tuple(view.ordering)
        self.cursor = None
        results = read(self.page_size + 1)
        self.page = results[: self.page_size]
        self.has_previous = False
        self.has_next = len(results) > len(self.page)
        if self.has_next:
            self.next_position = self._get_position_from_instance(
                results[-1], self.ordering
            )
            if self.template is not None:
                self.display_page_controls = True
        return self.page

    def decode_cursor(self, request) -> Cursor | None:
        """The cursor, its position read back as a value of the ordering field.

        Anything but a cursor this list handed out is a 404 naming `cursor`,
        whether it fails to decode or holds a position the database would refuse.
        """
        try:
            cursor = super().decode_cursor(request)
        except exceptions.NotFound:
            raise InvalidCursor("The cursor is not one this list handed out.") from None
        if cursor is None or cursor.position is None:
            return cursor
        field = self.ordering[0].lstrip("-")
        position = cursor_position(self._queryset, field, cursor.position)
        return cursor._replace(position=position)

    def window(self) -> tuple[str, list[Any], bool] | None:
        """The span of the list this page shows: (ordering field, positions, open).

        The positions are the page's rows' values of the ordering field and
        the cursor's: a row joining between them changes the page. Open when
        nothing precedes or follows the page. (The row read after the page,
        whose presence makes the next link, names its own tag as it loads.)
        None before paging or when a row's position was not loaded.
        """
        page = getattr(self, "page", None)
        if page is None:
            return None
        field = self.ordering[0].lstrip("-")
        positions = [row.__dict__.get(field) for row in page]
        if self.cursor is not None and self.cursor.position is not None:
            positions.append(self.cursor.position)
        return field, positions, not (self.has_next and self.has_previous)

    def get_paginated_response(self, data) -> Response:
        next_url, previous_url = self.get_next_link(), self.get_previous_link()
        response = Response(
            {"next": next_url, "previous": previous_url, "results": data}
        )
        links = [
            f'<{url}>; rel="{rel}"'
            for url, rel in ((next_url, "next"), (previous_url, "prev"))
            if url
        ]
        if links:
            response["Link"] = ", ".join(links)
        return response

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page, or null on the last page.",
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The previous page, or null on the first page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": self.cursor_query_description,
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": self.page_size_query_description,
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                },
            },
        ]
