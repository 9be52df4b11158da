"""Conditional GETs, cache headers and stored renderings for public answers.

One flow for pages, feeds, sitemaps and the API: look the answer up under its
key (a 304 straight from the stored validators when the client's copy is
current), else render it while collecting its tags, then name the tags, give
it validators, store it and answer conditionally. 304s come from Django's
`get_conditional_response`; nothing travels as an exception.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from functools import wraps

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponsePermanentRedirect,
)
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date

from newsdesk.http import storage
from newsdesk.http import tags as cache_tags
from newsdesk.http.keys import clean_path, response_cache_key, unknown_params
from newsdesk.http.validators import bypasses_cache, ensure_etag, is_public_request

PUBLIC_STATUSES = frozenset({200, 301, 304, 410})
READ_METHODS = ("GET", "HEAD")

TagSource = Iterable[str] | Callable[..., Iterable[str]]


def stored_answer(request: HttpRequest, key: str) -> HttpResponse | None:
    """The stored answer under `key` (or a 304 for it), None on a miss."""
    entry = storage.load(key)
    if entry is None:
        return None
    response = entry.response()
    cache_tags.set_headers(response, entry.tags)
    return _conditional(request, response, entry.rendered_at)


def finish_answer(
    request: HttpRequest,
    response: HttpResponse,
    *,
    key: str | None,
    tags: Iterable[str],
    rendered_at: float,
    etag_prefix: str = "",
    weak: bool = False,
) -> HttpResponse:
    """Tags, validators and storage for a freshly rendered answer; 304 when current."""
    sent = cache_tags.set_headers(response, tags)
    if response.streaming or response.status_code not in storage.CACHED_STATUSES:
        return response
    ensure_etag(
        response,
        variant=f"{request.get_full_path()}|{response.get('Content-Type', '')}",
        prefix=etag_prefix,
        weak=weak,
    )
    response["Last-Modified"] = http_date(rendered_at)
    if key is not None:
        storage.save(key, response, tags=sent, rendered_at=rendered_at)
    return _conditional(request, response, rendered_at)


def _conditional(
    request: HttpRequest, response: HttpResponse, rendered_at: float
) -> HttpResponse:
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=int(rendered_at),
        response=response,
    )


def public_cache_control(response: HttpResponse, max_age: int) -> None:
    """Shared caching for anonymous answers; the edge keeps them until purged."""
    patch_cache_control(
        response,
        public=True,
        max_age=max_age,
        s_maxage=settings.NEWSDESK_CACHE_S_MAXAGE,
        stale_while_revalidate=settings.NEWSDESK_CACHE_STALE_WHILE_REVALIDATE,
        stale_if_error=settings.NEWSDESK_CACHE_STALE_IF_ERROR,
    )


def private_cache_control(response: HttpResponse) -> None:
    """Staff, preview and personal answers: stored nowhere, sent with no validators."""
    patch_cache_control(response, private=True, no_cache=True, no_store=True)
    response.headers.pop("ETag", None)
    response.headers.pop("Last-Modified", None)
    for name in ("Surrogate-Key", "Cache-Tag"):
        response.headers.pop(name, None)


def _declared(source: TagSource, *args, **kwargs) -> list[str]:
    return list(source(*args, **kwargs) if callable(source) else source)


def public_page(
    max_age: int | None = None,
    *,
    cache_params: Iterable[str] = (),
    private_params: Iterable[str] = (),
    tags: TagSource = (),
) -> Callable:
    """A read-only page (GET and HEAD): tagged, validated, stored and shared when public.

    `cache_params` are the query parameters the page reads; tracking
    parameters are ignored and any other parameter is redirected away (one
    cheap 301, never a render per distinct value). `private_params` make the
    answer personal (a comment receipt): rendered fresh, stored nowhere.
    `tags` are the collection tags the page lists (or a callable of the URL
    arguments returning them); entity tags are collected on their own.
    Signed-in users and share-link previews get private, uncached pages.
    """
    known = frozenset(cache_params) | frozenset(private_params)
    personal = frozenset(private_params)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in READ_METHODS:
                return HttpResponseNotAllowed(READ_METHODS)
            if (
                not is_public_request(request)
                or personal.intersection(request.GET)
                or bypasses_cache(request)
            ):
                response = view(request, *args, **kwargs)
                private_cache_control(response)
                patch_vary_headers(response, ("Cookie",))
                return response
            if unknown_params(request, known):
                return HttpResponsePermanentRedirect(clean_path(request, known))
            key = response_cache_key(request, known=known)
            response = stored_answer(request, key)
            if response is None:
                rendered_at = time.time()
                with cache_tags.collecting() as collected:
                    collected.update(_declared(tags, *args, **kwargs))
                    response = view(request, *args, **kwargs)
                    if callable(getattr(response, "render", None)):
                        response = response.render()
                response = finish_answer(
                    request, response, key=key, tags=collected, rendered_at=rendered_at
                )
            if response.cookies:
                # An answer that sets a cookie is somebody's own.
                private_cache_control(response)
            elif not response.has_header("Cache-Control"):
                if response.status_code in PUBLIC_STATUSES:
                    public_cache_control(
                        response,
                        settings.NEWSDESK_CACHE_MAX_AGE if max_age is None else max_age,
                    )
                else:
                    private_cache_control(response)
            patch_vary_headers(response, ("Cookie",))
            return response

        return wrapped

    return decorator
