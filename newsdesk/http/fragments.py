"""Per-row fragments ("Russian doll"): one row's rendering kept under its own version.

A list answer is its page of rows plus each row's rendering (its API item,
its teaser). When the answer itself must be rendered again — a row joined
the list, the cache was bypassed — the rows nobody changed need not be:
each row's rendering is kept under the row's primary key and version (its
`updated_at`), with the cache tags of everything it was built from, and is
used only while none of those tags has been purged since it was built. A
write therefore re-renders exactly the fragments showing what it changed.

Which rows an answer shows is never taken from a fragment: the page of rows
is read through `published()` on every request, so visibility is decided
where it always is. Fragments live no longer than a stored answer would
(`NEWSDESK_RESPONSE_CACHE_SECONDS`): they are checked the same way, by tags.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from newsdesk.http import tags as cache_tags

FRAGMENT_PREFIX = "newsdesk:fragment:"
# Raised whenever the shape of stored fragments changes.
FRAGMENT_FORMAT = 1


def fragment_key(
    kind: str, variant: str, pk: Any, version: Any, language: str | None = None
) -> str:
    # A fragment may show dates, in the active language.
    if language is None:
        language = translation.get_language() or ""
    return (
        f"{FRAGMENT_PREFIX}{FRAGMENT_FORMAT}:{kind}:{variant}:{language}:{pk}:{version}"
    )


def row_version(row: Any) -> str:
    """A row's version: the moment of its last change (`updated_at`)."""
    return row.updated_at.isoformat()


def fragments(
    rows: Sequence[Any],
    *,
    kind: str,
    variant: str,
    build: Callable[[list[Any]], dict[Any, tuple[Any, Any, set[str]]]],
    version: Callable[[Any], Any] = row_version,
) -> list[Any]:
    """Each row's fragment, in order: stored ones still fresh, the others built.

    `rows` are the answer's rows as loaded for it (their key and version
    only); `variant` names whatever else the rendering depends on (the
    origin of absolute links, a format). `build(missing_rows)` renders the
    missing ones together and returns `{pk: (loaded row, fragment, tags)}`;
    each fragment keeps `tags` (what it depends on beyond the rows it loaded,
    such as its own listings) and the tags of its row and of everything
    loaded with it (`tags.row_tags`). Every fragment served declares its tags
    on the answer being rendered.
    """
    language = translation.get_language() or ""
    keys = {
        row.pk: fragment_key(kind, variant, row.pk, version(row), language)
        for row in rows
    }
    found = cache.get_many(list(keys.values())) if keys else {}
    versions = cache_tags.tag_versions(
        {tag for _, entry_tags, _ in found.values() for tag in entry_tags}
    )
    values: dict[Any, Any] = {}
    for pk, key in keys.items():
        entry = found.get(key)
        if entry is not None and _fresh(entry, versions):
            _, entry_tags, value = entry
            cache_tags.declare(*entry_tags)
            values[pk] = value
    missing = [row for row in rows if row.pk not in values]
    if missing:
        values.update(_built(missing, keys, build))
    return [values[row.pk] for row in rows if row.pk in values]


def _fresh(entry: tuple, versions: dict[str, float | None]) -> bool:
    built_at, entry_tags, _ = entry
    return all(
        (version := versions.get(tag)) is not None and version < built_at
        for tag in entry_tags
    )


def _built(missing: list[Any], keys: dict[Any, str], build: Callable) -> dict[Any, Any]:
    built_at = time.time()
    with cache_tags.collecting(separate=True) as collected:
        built = build(missing)
    own = {
        pk: cache_tags.row_tags(row) | extra for pk, (row, _, extra) in built.items()
    }
    # A tag declared while building that no row's own loads account for (a
    # collection, a row read on the side) is kept by every fragment of the batch.
    shared = collected.difference(*own.values())
    entries = {
        keys[pk]: (built_at, tuple(sorted(own[pk] | shared)), value)
        for pk, (_, value, _) in built.items()
    }
    every = shared.union(*own.values())
    cache_tags.declare(*every)
    cache_tags.ensure_versions(every)
    cache.set_many(entries, settings.NEWSDESK_RESPONSE_CACHE_SECONDS)
    return {pk: value for pk, (_, value, _) in built.items()}


def plain(value: Any) -> Any:
    """`value` as plain dicts, lists and strings, cheap to store and to read back
    (DRF's hyperlinks are strings that keep their model instance)."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, str):
        return str(value)
    return value


def origin_variant(request: Any, *parts: Iterable[str]) -> str:
    """The part of a fragment's key naming the origin its absolute links use."""
    return "|".join((request.scheme, request.get_host(), *parts))
