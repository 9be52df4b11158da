"""Request guards for the API that must run before the site-wide ones."""

from __future__ import annotations

from urllib.parse import parse_qsl

from django.http import JsonResponse
from django.utils.cache import patch_vary_headers

MESSAGE = ["Null characters are not allowed."]


def _offending_parts(path: str, raw_query: str) -> dict[str, list[str]]:
    """Name the query parameters (or the path) that carry a NUL."""
    errors = {
        name.replace("\x00", "\\x00"): MESSAGE
        for name, value in parse_qsl(raw_query, keep_blank_values=True)
        if "\x00" in name or "\x00" in value
    }
    if "\x00" in path or not errors:
        errors["path" if "\x00" in path else "query"] = MESSAGE
    return errors


class ApiNulBytesMiddleware:
    """Answer an API request whose address carries a NUL with the API's 400.

    Listed before the site-wide NUL guard, so API clients get the one error
    format (JSON) instead of the plain-text answer pages get.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/"):
            raw_query = request.META.get("QUERY_STRING", "")
            if "\x00" in request.path or "%00" in raw_query or "\x00" in raw_query:
                response = JsonResponse(
                    {
                        "status": 400,
                        "code": "invalid",
                        "detail": "The address contains a null character.",
                        "errors": _offending_parts(request.path, raw_query),
                    },
                    status=400,
                )
                patch_vary_headers(response, ("Accept",))
                return response
        return self.get_response(request)
