"""Invalidation: a write names the tags it affects; stored answers carrying them go.

A write purges once, when its transaction commits: the app's cache, the
stored article pages and the edge, every tag of the transaction together.
Until then other readers see the old rows, so their stored answers are
still right and keep being served; only the writing transaction's own reads
treat its tags as purged already (`tags.uncommitted`), so it never reads a
rendering older than its own write.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction

from newsdesk.http import tags as cache_tags
from newsdesk.http.backends import PurgeBackend, edge_backend

# Stores of derived renderings outside the cache (the article pages kept in the
# database) forget what a purge names; each is called with the purged tags.
purge_listeners: list[Callable[[set[str]], None]] = []


class _Commit:
    """What one transaction purges when it commits: its batches' tags, at once."""

    def __init__(self) -> None:
        self.tags: set[str] = set()
        self.last: _Flush | None = None


class _Batch(cache_tags.UncommittedPurge):
    """The tags written at one savepoint depth.

    Registered with `on_commit` at that depth, so Django drops it if its
    savepoint rolls back; when the transaction commits it hands its tags to
    the transaction's `_Commit`.
    """

    def __init__(self, commit: _Commit) -> None:
        super().__init__()
        self.commit = commit

    def add(self, tags: Iterable[str]) -> None:
        now = time.time()
        self.tags.update(dict.fromkeys(tags, now))

    def __call__(self) -> None:
        self.commit.tags.update(self.tags)


class _Flush:
    """Purges the transaction's tags once, after every batch that survived.

    One is queued after each new batch, outside every savepoint (only the
    transaction's own rollback drops it); only the last queued one purges.
    """

    def __init__(self, commit: _Commit) -> None:
        self.commit = commit
        commit.last = self

    def __call__(self) -> None:
        if self.commit.last is self:
            purge_now(self.commit.tags)


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
        purge_edge_again_later(backend, tags)


def purge_edge_again_later(backend: PurgeBackend, tags: set[str]) -> None:
    """Purge `tags` at the edge once more, `NEWSDESK_EDGE_REPURGE_SECONDS` later.

    The edge stores whatever answer reaches it: one it asked for before the
    commit, rendered from the old rows, can arrive after the purge and would
    then be kept until the next purge naming it. The app's own cache cannot
    keep such an answer (it is stored under the tag versions read before the
    rows), so a second purge of the edge, once a render that started before
    the commit has had time to end, clears it; the edge's next read of those
    pages is an app-cache hit.
    """
    delay = settings.NEWSDESK_EDGE_REPURGE_SECONDS
    if delay <= 0:
        return
    # Not a daemon: a command that publishes (publish_due) waits for it.
    timer = threading.Timer(delay, backend.purge, args=(sorted(tags),))
    timer.name = "edge-repurge"
    timer.start()


def invalidate(tags: Iterable[str]) -> None:
    """Retire `tags` once the current transaction commits (at once outside one).

    However many writes a transaction makes, it purges once, all its tags
    together; a rolled back savepoint takes only its own tags with it.
    """
    tags = set(tags)
    if not tags:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        purge_now(tags)
        return
    savepoints = set(connection.savepoint_ids)
    batches = [
        (ids, callback)
        for ids, callback, _robust in connection.run_on_commit
        if isinstance(callback, _Batch)
    ]
    for ids, batch in batches:
        if ids == savepoints:
            batch.add(tags)
            return
    commit = batches[-1][1].commit if batches else _Commit()
    batch = _Batch(commit)
    batch.add(tags)
    transaction.on_commit(batch, robust=True)
    connection.run_on_commit.append((set(), _Flush(commit), True))


def purge_everything() -> None:
    """Retire every stored answer (all answers carry the `all` tag)."""
    purge_now({cache_tags.EVERYTHING})
