"""Invalidation: a write names the tags it affects; stored answers carrying them go.

The app's rendered-response cache learns it at once and again on commit (a
reader rendering in between saw the old rows); the edge is purged once the
transaction commits, with every tag of the transaction in one request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction

from newsdesk.http import tags as cache_tags
from newsdesk.http.backends import edge_backend

# Stores of derived renderings outside the cache (the article pages kept in the
# database) forget what a purge names; each is called with the purged tags.
purge_listeners: list[Callable[[set[str]], None]] = []


class _Batch:
    """The tags of one transaction, purged together once it commits."""

    def __init__(self) -> None:
        self.tags: set[str] = set()

    def __call__(self) -> None:
        purge_now(self.tags)


def purge_now(tags: Iterable[str]) -> None:
    """Retire `tags` in the app's cache and at the edge, outside any transaction."""
    tags = set(tags)
    if not tags:
        return
    cache_tags.bump(tags)
    for listener in purge_listeners:
        listener(tags)
    backend = edge_backend()
    if backend is not None:
        backend.purge(tags)


def invalidate(tags: Iterable[str]) -> None:
    """Retire `tags` now and once the current transaction commits."""
    tags = set(tags)
    if not tags:
        return
    cache_tags.bump(tags)
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        # Join the batch registered at this same savepoint depth, so a rolled
        # back savepoint takes only its own tags with it.
        for savepoints, callback, _robust in connection.run_on_commit:
            if isinstance(callback, _Batch) and savepoints == set(
                connection.savepoint_ids
            ):
                callback.tags.update(tags)
                return
    batch = _Batch()
    batch.tags.update(tags)
    transaction.on_commit(batch, robust=True)


def purge_everything() -> None:
    """Retire every stored answer (all answers carry the `all` tag)."""
    purge_now({cache_tags.EVERYTHING})
