"""Paging without COUNT(*): fetch one row more than a page shows.

Counting every match of a large listing costs more than showing a page of it;
these pages offer "previous" and "next" instead of "page N of M".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import QuerySet

MAX_PAGE = 500


@dataclass
class CountlessPage:
    """One page of a listing whose length is not counted."""

    object_list: list = field(default_factory=list)
    number: int = 1
    per_page: int = 20
    has_next: bool = False

    def __iter__(self) -> Iterator:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.object_list)

    @property
    def total(self) -> int | None:
        """The number of rows in the whole listing, when this page reveals it."""
        if self.has_next or (self.number > 1 and not self.object_list):
            return None
        return self.end_index()


def page_number(raw: str | None, *, max_page: int = MAX_PAGE) -> int:
    """The requested page number; anything unusable means the first page."""
    try:
        number = int(raw or 1)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), max_page)


def countless_page(
    queryset: QuerySet,
    raw_number: str | None,
    *,
    per_page: int,
    max_page: int = MAX_PAGE,
) -> CountlessPage:
    """The requested page of an ordered queryset, from a single query."""
    number = page_number(raw_number, max_page=max_page)
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    return CountlessPage(
        object_list=rows[:per_page],
        number=number,
        per_page=per_page,
        has_next=len(rows) > per_page,
    )
