"""Conditional GETs for the API, on the site's one HTTP-caching flow (`newsdesk.http`).

A public GET is looked up under its key (URL without tracking or unread
parameters, format, origin); a stored answer, or a 304 for it, is served
without loading anything. Otherwise the answer is rendered while its cache
tags are collected, then tagged, given validators from its content, stored
and answered conditionally.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.utils.cache import patch_vary_headers
from rest_framework.response import Response
from rest_framework.settings import api_settings

from newsdesk.api.renderers import DATA_FORMATS, JSONRenderer
from newsdesk.http import tags as cache_tags
from newsdesk.http.conditional import (
    finish_answer,
    private_cache_control,
    public_cache_control,
    stored_answer,
)
from newsdesk.http.keys import response_cache_key
from newsdesk.http.validators import bypasses_cache, is_public_request

# Formats whose rendering depends only on the data (the browsable API's pages
# carry per-user forms and are never stored).
CACHED_FORMATS = frozenset({"json", "csv", "geojson"})
READ_METHODS = ("GET", "HEAD")


@dataclass
class _Answer:
    """Where this request's answer comes from, decided in `initial()`."""

    key: str | None
    public: bool
    rendered_at: float
    collecting: Any
    stored: Any = None


class ConditionalMixin:
    """Tags, validators, 304s and stored anonymous answers on every GET.

    Subclasses may name a `list_model` (the model of their list, found from
    `get_queryset()` otherwise), an `etag_scope` ("staff" answers are private) and an
    `etag_prefix` for the answer (an article's version, which `If-Match`
    reads back).
    """

    def etag_scope(self, request) -> str:
        return "public"

    def etag_prefix(self, response) -> str:
        return ""

    def answer_tags(self) -> list[str]:
        """Collection tags of this answer: a list names its model's collection.

        A page of a list ordered by one of its `window_fields` names its
        window instead (`newsdesk.http.tags.window_tags`), unless a parameter
        outside `window_params` narrows it: a membership those purges do not
        follow (a search) needs the whole collection's tag.
        """
        if getattr(self, "action", None) != "list":
            return []
        queryset = getattr(self, "queryset", None)
        model = getattr(self, "list_model", None) or getattr(queryset, "model", None)
        if model is None and hasattr(self, "get_queryset"):
            model = self.get_queryset().model
        if not model:
            return []
        collection = cache_tags.collection_for_model(model)
        return self._window_tags(collection) or [collection]

    def _window_tags(self, collection: str) -> list[str] | None:
        fields = getattr(self, "window_fields", ())
        window = getattr(getattr(self, "_paginator", None), "window", None)
        if not fields or window is None:
            return None
        paginator = self._paginator
        named = set(self.request.query_params) & self.cached_query_params()
        allowed = set(getattr(self, "window_params", ())) | {
            api_settings.URL_FORMAT_OVERRIDE,
            paginator.cursor_query_param,
            paginator.page_size_query_param,
            *(getattr(b, "ordering_param", None) for b in self.filter_backends),
        }
        spanned = window()
        if named - allowed or spanned is None or spanned[0] not in fields:
            return None
        field, positions, open_end = spanned
        return cache_tags.window_tags(collection, field, positions, open_end=open_end)

    def cached_query_params(self) -> frozenset[str]:
        """The query parameters this endpoint reads; others do not change the key."""
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

    def _is_public(self, request) -> bool:
        renderer = getattr(request, "accepted_renderer", None)
        return (
            is_public_request(request)
            and not bypasses_cache(request)
            and not request.user.is_authenticated
            and self.etag_scope(request) == "public"
            and getattr(renderer, "format", None) in CACHED_FORMATS
        )

    def initial(self, request, *args, **kwargs) -> None:
        self._answer = None
        super().initial(request, *args, **kwargs)
        if request.method not in READ_METHODS:
            return
        public = self._is_public(request)
        key = None
        if public:
            key = response_cache_key(
                request,
                request.accepted_media_type,
                known=self.cached_query_params(),
            )
        self._answer = _Answer(
            key=key,
            public=public,
            rendered_at=time.time(),
            collecting=cache_tags.start_collecting(),
        )
        if key is not None:
            self._answer.stored = stored_answer(request, key)
        if self._answer.stored is not None:
            # Bound as this request's handler, the way ViewSet.as_view binds
            # actions: the stored answer stands in for the action.
            setattr(self, request.method.lower(), self._stored_handler)

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            # An exception DRF does not handle (a database outage) skips
            # finalize_response: close this request's collection here.
            if (answer := getattr(self, "_answer", None)) is not None:
                self._answer = None
                cache_tags.stop_collecting(answer.collecting)

    def _stored_handler(self, request, *args, **kwargs):
        return self._answer.stored

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code >= 400:
            renderer = getattr(request, "accepted_renderer", None)
            if renderer is None or renderer.format in DATA_FORMATS:
                request.accepted_renderer = JSONRenderer()
                request.accepted_media_type = JSONRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        answer = getattr(self, "_answer", None)
        self._answer = None
        if answer is not None:
            collected = cache_tags.stop_collecting(answer.collecting)
            if answer.public:
                public_cache_control(response, max_age=0)
            else:
                private_cache_control(response)
            if answer.stored is None and isinstance(response, Response):
                response.add_post_render_callback(
                    partial(
                        self._finish,
                        request,
                        answer,
                        collected | set(self.answer_tags()),
                    )
                )
        patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))
        return response

    def _finish(self, request, answer: _Answer, tags: set[str], response):
        """After rendering: tags and validators; stored when public; 304 if current."""
        finished = finish_answer(
            request,
            response,
            key=answer.key,
            tags=tags,
            rendered_at=answer.rendered_at,
            etag_prefix=self.etag_prefix(response),
            weak=True,
        )
        if not answer.public:
            for name in ("Surrogate-Key", "Cache-Tag"):
                finished.headers.pop(name, None)
        return finished
