"""Change history that records changes only: a save that changed nothing adds no entry."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from simple_history.models import HistoricalRecords

# Written by every save, so they say nothing about what changed.
BOOKKEEPING_FIELDS = ("version", "updated_at", "updated_by")


class ChangedOnlyHistoricalRecords(HistoricalRecords):
    """`HistoricalRecords` that skips an update leaving every tracked field as it was.

    Values are compared as stored (a time keeps its microseconds) against the
    newest entry; `bookkeeping` fields (the version counter, the last-saved
    stamp and who saved) do not count as a change.
    """

    def __init__(
        self, *args: Any, bookkeeping: Iterable[str] = BOOKKEEPING_FIELDS, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.bookkeeping = frozenset(bookkeeping)

    def post_save(self, instance: Any, created: bool, using: Any = None, **kwargs: Any):
        if (
            not created
            and not kwargs.get("raw", False)
            and not hasattr(instance, "skip_history_when_saving")
            and self.unchanged(instance, using=using)
        ):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def unchanged(self, instance: Any, *, using: Any = None) -> bool:
        """Whether `instance` holds what its newest history entry holds."""
        names = [
            field.attname
            for field in self.fields_included(instance)
            if field.name not in self.bookkeeping
        ]
        manager = getattr(instance, self.manager_name)
        if using is not None:
            manager = manager.using(using)
        latest = manager.order_by("-history_date", "-history_id").values(*names).first()
        if latest is None:
            return False
        return all(latest[name] == getattr(instance, name) for name in names)
