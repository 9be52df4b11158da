"""Cache tags: what a public answer shows, named so that a write purges exactly it.

Two kinds of tag:

- an *entity* tag, `article:42`, `topic:syria`, `person:3`, `incident:7`, …:
  the answer shows that row; a change to the row (or to rows it owns, such as
  an article's corrections) purges it;
- a *collection* tag, `list:articles`, `list:topic:syria`, `feed:corrections`, …:
  the answer lists members of a collection; a row joining, leaving or moving
  in it purges it.

Entity tags are collected on their own: while a public answer is rendered,
every registered model instance loaded declares its tag (`post_init`). Views
declare collection tags, and anything read without model instances, with
`declare()`.

A page of a list in a fixed order (a cursor page of the API) shows one
*window* of its collection. It names, instead of the collection tag, the
window's *buckets* (`list:articles:publish_at:d:2026-11-29`: the days, months
or years, or id ranges, its rows and cursor span) and, when the window is
open at an end (a first or last page), the collection's *head* tag
(`list:articles:head`). A row joining, leaving or moving in the collection
purges the head and every bucket holding its old or new position
(`window_purge`): a new story purges the first pages, not every older page a
client has paged through; an edit of a row on a page purges it by the row's
own tag.
"""

from __future__ import annotations

import contextlib
import datetime
import time
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_init

EVERYTHING = "all"
LIST_ARTICLES = "list:articles"
FEED_CORRECTIONS = "feed:corrections"
TAG_VERSION_PREFIX = "newsdesk:tag:"
# More entity tags of one kind than this (a sitemap, a long page) are replaced
# by the kind's collection tag, which every change of membership purges.
MAX_TAGS_PER_KIND = 100

_collector: ContextVar[set[str] | None] = ContextVar("cache_tags", default=None)
_kinds: dict[str, str] = {}
_model_collections: dict[type, str] = {}
_entity_keys: dict[type, tuple[str, Callable[[Any], Any]]] = {}


def entity(kind: str, key: Any) -> str:
    """The tag of one row, e.g. `entity("article", 42)` → `article:42`."""
    return f"{kind}:{key}"


def listing(kind: str, key: Any = None) -> str:
    """A collection tag: `list:articles`, or a parent's articles `list:topic:syria`."""
    return f"list:{kind}" if key is None else f"list:{kind}:{key}"


def collection_of(kind: str) -> str:
    """The collection tag standing in for many entity tags of `kind`."""
    return _kinds.get(kind, listing(kind + "s"))


def collection_for_model(model: type) -> str:
    """The collection tag of a model's public list (`list:articles`, …)."""
    return _model_collections.get(model) or listing(model._meta.model_name + "s")


def register_model(
    model: type, kind: str, key: Callable[[Any], Any], *, collection: str
) -> None:
    """Loaded rows of `model` declare `kind:key(row)` while a public answer renders.

    `key` must read only fields every public read loads (a pk, a slug); it
    returns None when the row's key was not loaded.
    """
    _kinds[kind] = collection
    _model_collections[model] = collection
    _entity_keys[model] = (kind, key)

    def loaded(sender, instance, **kwargs) -> None:
        collected = _collector.get()
        if collected is not None and (value := key(instance)) is not None:
            collected.add(entity(kind, value))

    post_init.connect(
        loaded, sender=model, weak=False, dispatch_uid=f"cache_tags_{kind}"
    )


def declare_rows(model: type, rows: Iterable[Any]) -> None:
    """Declare the entity tags of rows of `model` read without model instances.

    Each row holds the fields the model's key reads in its `__dict__`, as a
    loaded instance would; what its `post_init` would have declared.
    """
    collected = _collector.get()
    entry = _entity_keys.get(model)
    if collected is None or entry is None:
        return
    kind, key = entry
    for row in rows:
        if (value := key(row)) is not None:
            collected.add(entity(kind, value))


def row_tags(instance: Any) -> set[str]:
    """The entity tags of a loaded row and of every row loaded with it.

    Follows what was loaded along with it: `select_related` rows, prefetched
    relations and `Prefetch(..., to_attr=...)` lists, however deep.
    """
    found: set[str] = set()
    seen: set[int] = set()
    todo = [instance]
    while todo:
        row = todo.pop()
        if id(row) in seen or not hasattr(row, "_state"):
            continue
        seen.add(id(row))
        entry = _entity_keys.get(type(row)) or _entity_keys.get(
            row._meta.concrete_model
        )
        if entry is not None and (value := entry[1](row)) is not None:
            found.add(entity(entry[0], value))
        todo.extend(row._state.fields_cache.values())
        for related in getattr(row, "_prefetched_objects_cache", {}).values():
            todo.extend(related._result_cache or ())
        for value in row.__dict__.values():
            if isinstance(value, list):
                todo.extend(value)
    return found


def loaded_field(name: str) -> Callable[[Any], Any]:
    """A `key` for `register_model` reading a field only if it was loaded."""
    return lambda instance: instance.__dict__.get(name)


@contextlib.contextmanager
def collecting(*, separate: bool = False) -> Iterator[set[str]]:
    """Collect the tags declared while the block runs.

    Nested blocks share the outer set, unless `separate`: then the block gets
    its own set, added to the outer one when it ends.
    """
    outer = _collector.get()
    if outer is not None and not separate:
        yield outer
        return
    collected: set[str] = set()
    token = _collector.set(collected)
    try:
        yield collected
    finally:
        _collector.reset(token)
        if outer is not None:
            outer.update(collected)


def forget_collecting(**kwargs: Any) -> None:
    """Start a request with no collector, whatever an earlier one left behind.

    Connected to `request_started`: a view that raised before closing its
    collection must not hand its set (and what it named) to the next request
    served by the same thread.
    """
    _collector.set(None)


def start_collecting() -> Any:
    """Begin collecting for a request handled in several steps; see `stop_collecting`."""
    if _collector.get() is not None:
        return None
    return _collector.set(set())


def collected() -> set[str]:
    """The tags collected so far in this context (empty when not collecting)."""
    return set(_collector.get() or ())


def stop_collecting(token: Any) -> set[str]:
    tags = collected()
    if token is not None:
        _collector.reset(token)
    return tags


def declare(*tags: str) -> None:
    """Add tags to the answer being rendered (a no-op outside one)."""
    collected = _collector.get()
    if collected is not None:
        collected.update(tags)


def header_tags(tags: Iterable[str]) -> list[str]:
    """The tags an answer sends: sorted, with crowded kinds folded into collections."""
    by_kind: dict[str, set[str]] = {}
    others: set[str] = {EVERYTHING}
    for tag in tags:
        kind = tag.partition(":")[0]
        if kind in ("list", "feed") or ":" not in tag:
            others.add(tag)
        else:
            by_kind.setdefault(kind, set()).add(tag)
    for kind, members in by_kind.items():
        if len(members) > MAX_TAGS_PER_KIND:
            others.add(collection_of(kind))
        else:
            others.update(members)
    return sorted(others)


def set_headers(response: Any, tags: Iterable[str]) -> list[str]:
    """Name the answer's tags for Fastly and Varnish (`Surrogate-Key`) and Cloudflare."""
    sent = header_tags(tags)
    response["Surrogate-Key"] = " ".join(sent)
    response["Cache-Tag"] = ",".join(sent)
    return sent


# --- Windows of ordered lists -------------------------------------------------

#: A page names at most this many buckets of its order; a window wider than
#: that at the coarsest grain names the whole collection instead.
MAX_WINDOW_BUCKETS = 24
_DATE_GRAINS = ("h", "d", "m", "y")  # hours, days, months, years (UTC)
_NUMBER_GRAINS = (1, 2, 3, 4, 6, 9)  # ranges of 10**n ids


def head(collection: str) -> str:
    """The tag of a collection's open ends: `list:articles:head`."""
    return f"{collection}:head"


def _utc(value: datetime.datetime) -> datetime.datetime:
    return value.astimezone(datetime.UTC) if value.tzinfo else value


def _bucket_names(value: Any) -> list[tuple[str, str]]:
    """(grain, bucket) of `value` at every grain: what a move of it purges."""
    if isinstance(value, datetime.datetime):
        moment = _utc(value)
        return [(grain, _date_name(moment, grain)) for grain in _DATE_GRAINS]
    if isinstance(value, int) and not isinstance(value, bool):
        return [(f"e{n}", str(value // 10**n)) for n in _NUMBER_GRAINS]
    return []


def _bucket(collection: str, field: str, grain: str, name: str) -> str:
    return f"{collection}:{field}:{grain}:{name}"


def window_tags(
    collection: str, field: str, values: Iterable[Any], *, open_end: bool
) -> list[str] | None:
    """What a page showing the window `values` of `collection` ordered by `field` names.

    `values` are the positions the page spans: its rows' values of `field`,
    the cursor it starts from and the row following it. None when the window
    cannot be named in buckets (an order by another field, a window too
    wide): the page then names the whole collection.
    """
    values = list(values)
    if any(value is None for value in values):
        return None
    found: list[str] = [head(collection)] if open_end else []
    if not values:
        return found if open_end else None
    try:
        low, high = min(values), max(values)
    except TypeError:  # positions that do not compare: not one order
        return None
    if isinstance(low, datetime.datetime) and isinstance(high, datetime.datetime):
        low, high = _utc(low), _utc(high)
        for grain in _DATE_GRAINS:
            names = _date_names(low, high, grain)
            if names is not None:
                return found + [_bucket(collection, field, grain, n) for n in names]
        return None
    if all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high)):
        for n in _NUMBER_GRAINS:
            first, last = low // 10**n, high // 10**n
            if last - first < MAX_WINDOW_BUCKETS:
                return found + [
                    _bucket(collection, field, f"e{n}", str(k))
                    for k in range(first, last + 1)
                ]
        return None
    return None


def _date_name(moment: datetime.datetime, grain: str) -> str:
    text = f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T{moment.hour:02d}"
    return text[: {"h": 13, "d": 10, "m": 7, "y": 4}[grain]]


def _date_names(
    low: datetime.datetime, high: datetime.datetime, grain: str
) -> list[str] | None:
    """The buckets of `grain` from `low` to `high`, None if more than the maximum."""
    if grain == "y":
        first, last = low.year, high.year
        if last - first >= MAX_WINDOW_BUCKETS:
            return None
        buckets = [datetime.datetime(y, 1, 1) for y in range(first, last + 1)]
    elif grain == "m":
        first, last = low.year * 12 + low.month - 1, high.year * 12 + high.month - 1
        if last - first >= MAX_WINDOW_BUCKETS:
            return None
        buckets = [
            datetime.datetime(k // 12, k % 12 + 1, 1) for k in range(first, last + 1)
        ]
    else:
        step = datetime.timedelta(hours=1 if grain == "h" else 24)
        first = low.replace(minute=0, second=0, microsecond=0, tzinfo=None)
        if grain == "d":
            first = first.replace(hour=0)
        count = (high.replace(tzinfo=None) - first) // step + 1
        if count > MAX_WINDOW_BUCKETS:
            return None
        buckets = [first + k * step for k in range(count)]
    return [_date_name(moment, grain) for moment in buckets]


def window_purge(collection: str, positions: dict[str, Any]) -> set[str]:
    """The tags a row joining, leaving or moving at `positions` purges.

    `positions` maps each field the collection's pages may be ordered by to
    the row's value (`{"publish_at": …, "id": 42}`): the head and the row's
    bucket at every grain, whichever grain a page chose.
    """
    purged = {head(collection)}
    for field, value in positions.items():
        purged.update(
            _bucket(collection, field, grain, name)
            for grain, name in _bucket_names(value)
        )
    return purged


# --- Versions: when each tag was last purged, shared through the cache --------


def _version_key(tag: str) -> str:
    return TAG_VERSION_PREFIX + tag


def _shared_versions(tags: list[str]) -> dict[str, float | None]:
    found = cache.get_many([_version_key(tag) for tag in tags])
    return {tag: found.get(_version_key(tag)) for tag in tags}


def tag_versions(tags: Iterable[str]) -> dict[str, float | None]:
    """When each tag was last purged (None if unknown: treat as just purged).

    Inside a transaction, a tag it wrote counts as purged when it was
    written (`uncommitted`): its own reads never use a rendering of the rows
    before its write, while every other reader keeps the renderings of the
    committed rows until the write commits and purges them.
    """
    tags = list(tags)
    versions = _shared_versions(tags)
    for tag, moment in uncommitted().items():
        if tag in versions:
            versions[tag] = max(moment, versions[tag] or moment)
    return versions


def ensure_versions(tags: Iterable[str]) -> None:
    """Give never-purged tags a version in the past, so stored answers can be checked."""
    missing = [
        tag for tag, version in _shared_versions(list(tags)).items() if version is None
    ]
    for tag in missing:
        cache.add(_version_key(tag), 0.0, timeout=None)


def bump(tags: Iterable[str]) -> None:
    """Mark `tags` purged now: answers rendered before this moment are stale."""
    now = time.time()
    cache.set_many({_version_key(tag): now for tag in tags}, timeout=None)


class UncommittedPurge:
    """Tags a transaction will purge when it commits, and when each was written.

    `newsdesk.http.purge` registers one per transaction (and savepoint) with
    `on_commit`; Django drops it with the transaction or savepoint if that
    rolls back, so what is registered is exactly what is still to be purged.
    """

    def __init__(self) -> None:
        self.tags: dict[str, float] = {}


def uncommitted() -> dict[str, float]:
    """The tags this connection's open transaction wrote, and when (last write)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return {}
    written: dict[str, float] = {}
    for _savepoints, callback, _robust in connection.run_on_commit:
        if isinstance(callback, UncommittedPurge):
            for tag, moment in callback.tags.items():
                written[tag] = max(moment, written.get(tag, moment))
    return written


def fresh_since(tags: Iterable[str], moment: float) -> bool:
    """True when none of `tags` was purged at or after `moment`."""
    return all(
        version is not None and version < moment
        for version in tag_versions(tags).values()
    )
