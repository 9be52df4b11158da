"""Rendered anonymous answers kept in the cache (shared through Redis when configured)."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpResponse

from newsdesk.http.validators import VALIDATOR_INTERVAL

# Entries are unreachable once the validator moves on; this only bounds how
# long an unreachable entry occupies the cache.
RESPONSE_CACHE_SECONDS = VALIDATOR_INTERVAL
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


def cached_response(key: str) -> HttpResponse | None:
    """The stored rendering under `key` as a fresh response, or None."""
    entry = cache.get(key)
    if entry is None:
        return None
    status, headers, content = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response[CACHE_STATUS_HEADER] = "HIT"
    return response


def storable(response: HttpResponse) -> bool:
    """Complete, cookie-free answers that do not forbid shared caching."""
    directives = response.get("Cache-Control", "").lower()
    return not (
        response.status_code not in CACHED_STATUSES
        or response.streaming
        or response.cookies
        or any(d in directives for d in ("private", "no-cache", "no-store"))
    )


def store_response(key: str, response: HttpResponse) -> bool:
    """Keep a rendered answer for the next reader; only storable ones."""
    if not storable(response):
        return False
    headers = [
        (name, value)
        for name, value in response.items()
        if name.lower() not in _PER_RESPONSE_HEADERS
    ]
    cache.set(
        key,
        (response.status_code, headers, response.content),
        RESPONSE_CACHE_SECONDS,
    )
    response[CACHE_STATUS_HEADER] = "MISS"
    return True
