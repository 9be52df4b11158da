"""Request guards that apply to every URL before any view runs."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from urllib.parse import parse_qsl

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template import loader
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views import defaults

from newsdesk.api.errors import error_response

logger = logging.getLogger("newsdesk.database")
# What a lost or refused database connection raises (psycopg and sqlite3 alike).
DATABASE_ERRORS = (OperationalError, InterfaceError)

NUL_MESSAGE = ["Null characters are not allowed."]


def _offending_parts(path: str, raw_query: str) -> dict[str, list[str]]:
    """Name the query parameters (or the path) that carry a NUL."""
    errors = {
        name.replace("\x00", "\\x00"): NUL_MESSAGE
        for name, value in parse_qsl(raw_query, keep_blank_values=True)
        if "\x00" in name or "\x00" in value
    }
    if "\x00" in path or not errors:
        errors["path" if "\x00" in path else "query"] = NUL_MESSAGE
    return errors


class RejectNulBytesMiddleware:
    """Answer 400 to a path or query string carrying a NUL character.

    No URL of ours needs one, and PostgreSQL refuses text containing it, so
    turning it away here keeps every view and query free of the case. API
    clients get the API's JSON error format, naming the parameter.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw_query = request.META.get("QUERY_STRING", "")
        if (
            "\x00" not in request.path
            and "%00" not in raw_query
            and "\x00" not in raw_query
        ):
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            return error_response(
                400,
                "invalid",
                "The address contains a null character.",
                _offending_parts(request.path, raw_query),
            )
        return HttpResponseBadRequest(
            "Bad request: the address contains a null character.",
            content_type="text/plain; charset=utf-8",
        )


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with `Retry-After`: the database cannot be reached, try again soon.

    Built without a query (the page template loads no rows), stored nowhere,
    so an edge cache keeps serving its copy (`stale-if-error`).
    """
    retry = str(settings.NEWSDESK_DATABASE_RETRY_AFTER)
    if request.path_info.startswith("/api/"):
        response = error_response(
            503,
            "unavailable",
            "The service is briefly unavailable; retry after the Retry-After seconds.",
            {},
        )
    else:
        response = HttpResponse(
            loader.render_to_string("503.html", {"retry_after": retry}),
            status=503,
        )
    response["Retry-After"] = retry
    patch_cache_control(response, no_store=True)
    return response


class DatabaseUnavailableMiddleware:
    """Answer 503 with `Retry-After`, not 500, while the database is unreachable.

    A restart or failover of PostgreSQL surfaces as `OperationalError` or
    `InterfaceError` from whichever query meets it; the reader gets a clear
    "try again" and the log one warning line instead of a traceback.
    Answers served from the rendered-response cache need no query and keep
    answering meanwhile.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        logger.warning(
            "Database unavailable for %s %s: %s",
            request.method,
            request.path,
            str(exception).strip().splitlines()[0] if str(exception) else "",
        )
        return database_unavailable(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """`handler500`: a database outage met outside a view is still a 503."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable(request)
    return defaults.server_error(request)


def reader_language(request: HttpRequest) -> str:
    """The first of `LANGUAGES` the reader's Accept-Language asks for, else the
    site's own language. Read from the header alone, so that an answer varies
    with `Accept-Language` and nothing else."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header[:255]):
        if code == "*":
            break
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class ReaderLanguageMiddleware:
    """Public pages in the reader's language: dates and Django's own messages.

    The admin and the API keep the site's language (the API's dates are ISO
    8601). Pages say they vary with `Accept-Language`, and their stored
    renderings are kept apart per language (`newsdesk.http.keys`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(("/admin/", "/api/")):
            return self.get_response(request)
        language = reader_language(request)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        return response
