"""Conditional GETs: validators, 304 answers and stored anonymous renderings."""

from __future__ import annotations

import hashlib
from email.utils import formatdate, parsedate_to_datetime
from functools import partial
from typing import Any

from django.core.cache import cache
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from rest_framework import status
from rest_framework.response import Response
from rest_framework.settings import api_settings

from newsdesk.api.renderers import DATA_FORMATS, JSONRenderer
from newsdesk.http.keys import response_cache_key
from newsdesk.http.storage import cached_response, store_response
from newsdesk.http.validators import content_version, validator_time
from newsdesk.models import Article

RELEASES_CACHE_SECONDS = 3600


def latest_release() -> Any:
    """When the most recently released article went live (embargoes lift by time).

    Kept under the validator together with the next embargo's time, so it is
    read again after a write, once that embargo has lifted, or when the
    validator interval rolls over (for writes made without signals).
    """
    key = f"newsdesk:releases:{validator_time()!r}"
    now = timezone.now()
    releases = cache.get(key)
    if releases is None or (releases[1] is not None and releases[1] <= now):
        articles = Article.objects
        releases = (
            articles.published().aggregate(latest=Max("publish_at"))["latest"],
            articles.scheduled().aggregate(upcoming=Min("publish_at"))["upcoming"],
        )
        cache.set(key, releases, RELEASES_CACHE_SECONDS)
    return releases[0]


class NotModified(Exception):
    """Raised from `initial()` to answer 304 before any content is loaded."""


class CachedAnswer(Exception):
    """Raised from `initial()` with a stored rendering of the same answer."""

    def __init__(self, response) -> None:
        super().__init__()
        self.response = response


def _etag_matches(header: str, etag: str) -> bool:
    candidates = [value.strip() for value in header.split(",")]
    bare = etag.removeprefix("W/")
    return "*" in candidates or any(c.removeprefix("W/") == bare for c in candidates)


def _store_rendered(key: str, response) -> None:
    """Post-render callback; returns None so the rendered response stands."""
    store_response(key, response)


# Formats whose rendering depends only on the data (the browsable API's pages
# carry per-user forms and are never stored).
CACHED_FORMATS = frozenset({"json", "csv", "geojson"})


class ConditionalMixin:
    """ETag and Last-Modified on every GET; 304 when the client's copy is current.

    The validators come from the site's content version (renewed by signals on
    every write, see `newsdesk.http`) and the latest release time, so they
    are computed without loading or rendering the response (one indexed query).
    Anonymous answers are also kept rendered under the same validators, so the
    next reader of the same URL, format and origin is served without queries.
    """

    def etag_scope(self, request) -> str:
        return "public"

    def get_validators(self, request) -> tuple[str, Any]:
        version = content_version()
        released = latest_release()
        accepted = getattr(request, "accepted_renderer", None)
        material = "|".join(
            (
                repr(version),
                released.isoformat() if released else "-",
                request.get_full_path(),
                getattr(accepted, "format", "") or "",
                self.etag_scope(request),
            )
        )
        etag = 'W/"' + hashlib.sha256(material.encode()).hexdigest()[:32] + '"'
        moments = [version]
        if released:
            moments.append(released.timestamp())
        return etag, int(max(moments))

    def cached_query_params(self) -> frozenset[str]:
        """The query parameters this endpoint reads; others bypass the cache."""
        names = {api_settings.URL_FORMAT_OVERRIDE}
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is not None:
            names.update(filterset_class.base_filters)
        paginator = getattr(self, "paginator", None)
        for attribute in ("cursor_query_param", "page_size_query_param"):
            if name := getattr(paginator, attribute, None):
                names.add(name)
        for backend in getattr(self, "filter_backends", ()):
            if name := getattr(backend, "ordering_param", None):
                names.add(name)
        if name := getattr(self, "search_param", None):
            names.add(name)
        return frozenset(names)

    def _response_cache_key(self, request, etag: str) -> str | None:
        renderer = getattr(request, "accepted_renderer", None)
        if (
            request.user.is_authenticated
            or self.etag_scope(request) != "public"
            or getattr(renderer, "format", None) not in CACHED_FORMATS
            or not self.cached_query_params().issuperset(request.query_params)
        ):
            return None
        return response_cache_key(request, etag, request.accepted_media_type)

    def _not_modified(self, request, etag: str, last_modified: int) -> bool:
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match is not None:
            return _etag_matches(if_none_match, etag)
        if_modified_since = request.headers.get("If-Modified-Since")
        if not if_modified_since:
            return False
        try:
            since = parsedate_to_datetime(if_modified_since).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
        return last_modified <= since

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        self._validators = None
        self._cache_key = None
        if request.method not in ("GET", "HEAD"):
            return
        etag, last_modified = self.get_validators(request)
        self._validators = (etag, last_modified)
        if self._not_modified(request, etag, last_modified):
            raise NotModified
        self._cache_key = self._response_cache_key(request, etag)
        if self._cache_key is not None:
            response = cached_response(self._cache_key)
            if response is not None:
                raise CachedAnswer(response)

    def handle_exception(self, exc):
        if isinstance(exc, NotModified):
            response = Response(status=status.HTTP_304_NOT_MODIFIED)
            self._set_validator_headers(response)
            return response
        if isinstance(exc, CachedAnswer):
            return exc.response
        return super().handle_exception(exc)

    def _set_validator_headers(self, response) -> None:
        if getattr(self, "_validators", None):
            etag, last_modified = self._validators
            response["ETag"] = etag
            response["Last-Modified"] = formatdate(last_modified, usegmt=True)
            response["Cache-Control"] = (
                "private, no-cache"
                if self.etag_scope(self.request) != "public"
                else "public, max-age=0, must-revalidate"
            )

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code >= 400:
            renderer = getattr(request, "accepted_renderer", None)
            if renderer is None or renderer.format in DATA_FORMATS:
                request.accepted_renderer = JSONRenderer()
                request.accepted_media_type = JSONRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        key = getattr(self, "_cache_key", None)
        if key is not None and isinstance(response, Response):
            response.add_post_render_callback(partial(_store_rendered, key))
        if request.method in ("GET", "HEAD") and response.status_code in (200, 304):
            self._set_validator_headers(response)
        patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))
        return response
