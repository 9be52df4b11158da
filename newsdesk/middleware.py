"""Request guards that apply to every URL before any view runs."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest


class RejectNulBytesMiddleware:
    """Answer 400 to a path or query string carrying a NUL character.

    No URL of ours needs one, and PostgreSQL refuses text containing it, so
    turning it away here keeps every view and query free of the case.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw_query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in raw_query or "\x00" in raw_query:
            return HttpResponseBadRequest(
                "Bad request: the address contains a null character.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
