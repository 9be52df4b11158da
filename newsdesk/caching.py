"""Conditional-request support for anonymous public pages.

A single content version, kept in the cache (shared through Redis when
configured), changes whenever anything readers can see changes; ETags derive
from it, so a conditional request is answered with 304 without touching the
database.
"""

from __future__ import annotations

import datetime
import hashlib
import time
from collections.abc import Callable
from functools import wraps

from django.core.cache import cache
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
    """Invalidate every public page's validators."""
    cache.set(CONTENT_VERSION_KEY, time.time(), timeout=None)


def _validator_time() -> float:
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
    raw = f"{_validator_time()}|{request.get_full_path()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _last_modified(request: HttpRequest, *args, **kwargs) -> datetime.datetime | None:
    if not _validates(request):
        return None
    return datetime.datetime.fromtimestamp(int(_validator_time()), tz=datetime.UTC)


def public_page(max_age: int = PUBLIC_MAX_AGE) -> Callable:
    """Give a page ETag/Last-Modified, 304 answers and public caching when anonymous.

    Signed-in users (editors seeing previews and links) get private, uncached pages.
    """

    def decorator(view: Callable) -> Callable:
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
