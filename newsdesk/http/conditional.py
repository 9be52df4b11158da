"""Conditional GETs and rendered-response caching for public pages.

304s come from Django's `get_conditional_response`; stored renderings are
returned like any other answer.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date

from newsdesk.http.keys import response_cache_key
from newsdesk.http.storage import cached_response, store_response
from newsdesk.http.validators import is_public_request, page_etag, page_last_modified

PUBLIC_MAX_AGE = 60
PUBLIC_STATUSES = frozenset({200, 301, 304, 410})


def _render(
    view: Callable, params: frozenset[str] | None, request: HttpRequest, *args, **kw
) -> HttpResponse:
    """The view's answer, from the rendered-response cache when it may be."""
    key = None
    if params is not None and params.issuperset(request.GET):
        key = response_cache_key(request)
        response = cached_response(key)
        if response is not None:
            return response
    response = view(request, *args, **kw)
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    if key is not None and request.method == "GET":
        store_response(key, response)
    return response


def public_page(
    max_age: int = PUBLIC_MAX_AGE, *, cache_params: tuple[str, ...] | None = None
) -> Callable:
    """Give a page ETag/Last-Modified, 304 answers and public caching when anonymous.

    With `cache_params` (the query parameters the page reads; `()` for none),
    anonymous renderings are also kept in the cache under the page's validator;
    requests with other parameters get a fresh rendering. Signed-in users
    (editors seeing previews and links) get private, uncached pages.
    """
    params = frozenset(cache_params) if cache_params is not None else None

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in ("GET", "HEAD") or not is_public_request(request):
                response = view(request, *args, **kwargs)
                if not response.has_header("Cache-Control"):
                    patch_cache_control(response, private=True, no_cache=True)
                patch_vary_headers(response, ("Cookie",))
                return response
            etag = page_etag(request)
            last_modified = page_last_modified()
            response = get_conditional_response(
                request, etag=etag, last_modified=int(last_modified.timestamp())
            )
            if response is None:
                response = _render(view, params, request, *args, **kwargs)
            if response.has_header("Cache-Control"):
                return response
            if response.status_code in PUBLIC_STATUSES:
                response.headers.setdefault("ETag", etag)
                response.headers.setdefault(
                    "Last-Modified", http_date(last_modified.timestamp())
                )
                patch_cache_control(response, public=True, max_age=max_age)
            else:
                patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ("Cookie",))
            return response

        return wrapped

    return decorator
