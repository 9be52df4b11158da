"""Request guards that apply to every URL before any view runs."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qsl

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

from newsdesk.api.errors import error_response

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
