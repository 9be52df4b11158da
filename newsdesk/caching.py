"""Conditional requests and rendered-response caching for anonymous readers.

A single content version, kept in the cache (shared through Redis when
configured), changes whenever anything readers can see changes; ETags derive
from it, so a conditional request is answered with 304 without touching the
database. Rendered anonymous responses are cached under the same validator:
a new version (or the validator interval rolling over) makes every earlier
entry unreachable, so nothing needs purging.
"""

from __future__ import annotations

import datetime
import hashlib
import time
from collections.abc import Callable
from functools import wraps

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import condition

from newsdesk.previews import PREVIEW_PARAM

CONTENT_VERSION_KEY = "newsdesk:content-version"
PUBLIC_MAX_AGE = 60
# Validators also roll over every interval, so that changes made without
# signals (bulk updates, a scheduled time passing) show within it.
VALIDATOR_INTERVAL = 60


def content_version() -> float:
    """The time of the last change to public content (set on first use)."""
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        version = time.time()
        cache.add(CONTENT_VERSION_KEY, version, timeout=None)
        version = cache.get(CONTENT_VERSION_KEY, version)
    return float(version)


def content_changed() -> None:
    """Invalidate every public page's validators (and so its cached rendering)."""
    cache.set(CONTENT_VERSION_KEY, time.time(), timeout=None)


def content_changed_on_commit() -> None:
    """Invalidate now and again once the current transaction commits.

    A reader who rendered between the first bump and the commit saw the old
    rows under the new version; the second bump retires that rendering.
    """
    content_changed()
    transaction.on_commit(content_changed, robust=True)


def validator_time() -> float:
    """The content version, or the start of the current interval if later."""
    bucket = time.time() // VALIDATOR_INTERVAL * VALIDATOR_INTERVAL
    return max(content_version(), bucket)


def _is_anonymous(request: HttpRequest) -> bool:
    return not request.user.is_authenticated


def _validates(request: HttpRequest) -> bool:
    """Only anonymous, non-preview requests get validators; previews are never cached."""
    return _is_anonymous(request) and PREVIEW_PARAM not in request.GET


def _etag(request: HttpRequest, *args, **kwargs) -> str | None:
    if not _validates(request):
        return None
    raw = f"{validator_time()}|{request.get_full_path()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _last_modified(request: HttpRequest, *args, **kwargs) -> datetime.datetime | None:
    if not _validates(request):
        return None
    return datetime.datetime.fromtimestamp(int(validator_time()), tz=datetime.UTC)


# --- Rendered responses ------------------------------------------------------

RESPONSE_CACHE_PREFIX = "newsdesk:response:"
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


def response_cache_key(request: HttpRequest, *parts: str) -> str:
    """The key of a rendered answer: validator, origin, full path and `parts`.

    The origin is part of it because pages carry absolute links.
    """
    raw = "|".join(
        (
            repr(validator_time()),
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            *parts,
        )
    )
    return RESPONSE_CACHE_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


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


def store_response(key: str, response: HttpResponse) -> bool:
    """Keep a rendered answer for the next reader; only complete, cookie-free ones."""
    directives = response.get("Cache-Control", "").lower()
    if (
        response.status_code not in CACHED_STATUSES
        or response.streaming
        or response.cookies
        or any(d in directives for d in ("private", "no-cache", "no-store"))
    ):
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


def _rendered_once(view: Callable, params: frozenset[str]) -> Callable:
    """Serve anonymous GETs from the rendered-response cache.

    Only requests whose query parameters are all in `params` are cached, so an
    unknown parameter cannot fill the cache with copies of one page (it gets a
    fresh rendering instead).
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        key = None
        if (
            request.method in ("GET", "HEAD")
            and _validates(request)
            and params.issuperset(request.GET)
        ):
            key = response_cache_key(request)
            response = cached_response(key)
            if response is not None:
                return response
        response = view(request, *args, **kwargs)
        if key is not None and request.method == "GET":
            store_response(key, response)
        return response

    return wrapped


def public_page(
    max_age: int = PUBLIC_MAX_AGE, *, cache_params: tuple[str, ...] | None = None
) -> Callable:
    """Give a page ETag/Last-Modified, 304 answers and public caching when anonymous.

    With `cache_params` (the query parameters the page reads; `()` for none),
    anonymous renderings are also kept in the cache under the page's validator.
    Signed-in users (editors seeing previews and links) get private, uncached pages.
    """

    def decorator(view: Callable) -> Callable:
        if cache_params is not None:
            view = _rendered_once(view, frozenset(cache_params))
        conditional = condition(etag_func=_etag, last_modified_func=_last_modified)(
            view
        )

        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            response = conditional(request, *args, **kwargs)
            if response.has_header("Cache-Control"):
                return response
            if _is_anonymous(request) and response.status_code in (200, 304, 301, 410):
                patch_cache_control(response, public=True, max_age=max_age)
            else:
                patch_cache_control(response, private=True, no_cache=True)
                response.headers.pop("ETag", None)
                response.headers.pop("Last-Modified", None)
            patch_vary_headers(response, ("Cookie",))
            return response

        return wrapped

    return decorator
