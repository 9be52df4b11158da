"""Rendered anonymous answers kept in the cache (shared through Redis when configured).

An entry remembers when its rendering began and the tags it carries; it is
served only while none of those tags has been purged since.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.http import http_date

from newsdesk.http import tags as cache_tags

CACHED_STATUSES = frozenset({200, 410})
# Headers that belong to each answer, not to the stored rendering.
_PER_RESPONSE_HEADERS = frozenset(
    {
        "allow",
        "cache-control",
        "content-length",
        "etag",
        "expires",
        "last-modified",
        "set-cookie",
        "vary",
        "x-cache",
    }
)
CACHE_STATUS_HEADER = "X-Cache"
T = TypeVar("T")


@dataclass(frozen=True)
class StoredAnswer:
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes
    etag: str
    rendered_at: float
    tags: tuple[str, ...]

    def response(self) -> HttpResponse:
        """A fresh response carrying the stored rendering and its validators."""
        response = HttpResponse(self.content, status=self.status)
        for name, value in self.headers:
            response[name] = value
        response["ETag"] = self.etag
        response["Last-Modified"] = http_date(self.rendered_at)
        response[CACHE_STATUS_HEADER] = "HIT"
        return response


def storable(response: HttpResponse) -> bool:
    """Complete, cookie-free answers that do not forbid shared caching."""
    directives = response.get("Cache-Control", "").lower()
    return not (
        response.status_code not in CACHED_STATUSES
        or response.streaming
        or response.cookies
        or response.has_header("Set-Cookie")
        or any(d in directives for d in ("private", "no-cache", "no-store"))
    )


def load(key: str) -> StoredAnswer | None:
    """The entry under `key` if none of its tags was purged since it was rendered."""
    entry = cache.get(key)
    if not isinstance(entry, StoredAnswer):
        return None
    if not cache_tags.fresh_since(entry.tags, entry.rendered_at):
        return None
    return entry


def save(
    key: str,
    response: HttpResponse,
    *,
    tags: Iterable[str],
    rendered_at: float,
) -> bool:
    """Keep a rendered answer for the next reader; only storable ones."""
    if not storable(response):
        return False
    tags = tuple(sorted(set(tags)))
    cache_tags.ensure_versions(tags)
    headers = tuple(
        (name, value)
        for name, value in response.items()
        if name.lower() not in _PER_RESPONSE_HEADERS
    )
    entry = StoredAnswer(
        status=response.status_code,
        headers=headers,
        content=response.content,
        etag=response["ETag"],
        rendered_at=rendered_at,
        tags=tags,
    )
    cache.set(key, entry, settings.NEWSDESK_RESPONSE_CACHE_SECONDS)
    response[CACHE_STATUS_HEADER] = "MISS"
    return True


# --- Small derived values ----------------------------------------------------

VALUE_CACHE_PREFIX = "newsdesk:value:"


def cached_value(
    name: str, compute: Callable[[], T], *, tags: Iterable[str], timeout: int
) -> T:
    """`compute()`, kept until one of `tags` (or a row it loaded) is purged.

    The entity tags of the rows it loads are kept with it and declared again
    whenever the value is served, so the answer showing it carries them.
    """
    key = VALUE_CACHE_PREFIX + name
    entry = cache.get(key)
    if entry is not None:
        computed_at, entry_tags, value = entry
        if cache_tags.fresh_since(entry_tags, computed_at):
            cache_tags.declare(*entry_tags)
            return value
    computed_at = time.time()
    with cache_tags.collecting(separate=True) as collected:
        value = compute()
        entry_tags = tuple(sorted(collected | set(tags)))
    cache_tags.declare(*entry_tags)
    cache_tags.ensure_versions(entry_tags)
    cache.set(key, (computed_at, entry_tags, value), timeout)
    return value
