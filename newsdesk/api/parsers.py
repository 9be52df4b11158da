"""Request bodies: JSON only, within a size and a nesting limit named in the error."""

from __future__ import annotations

from typing import Any

import orjson
from django.conf import settings
from rest_framework import exceptions
from rest_framework.parsers import BaseParser

from newsdesk.api.errors import BodyTooDeep, RequestTooLarge
from newsdesk.api.renderers import JSONRenderer

DEFAULT_MAX_BODY_BYTES = 1024 * 1024
DEFAULT_MAX_JSON_DEPTH = 32


def max_body_bytes() -> int:
    return int(getattr(settings, "NEWSDESK_API_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES))


def max_json_depth() -> int:
    return int(getattr(settings, "NEWSDESK_API_MAX_JSON_DEPTH", DEFAULT_MAX_JSON_DEPTH))


def _too_large(limit: int) -> RequestTooLarge:
    return RequestTooLarge(
        f"The request body is over {limit:,} bytes, the most the API accepts "
        "(NEWSDESK_API_MAX_BODY_BYTES)."
    )


def _too_deep(limit: int) -> BodyTooDeep:
    return BodyTooDeep(
        f"The JSON body is nested more than {limit} levels deep, the most the API "
        "accepts (NEWSDESK_API_MAX_JSON_DEPTH)."
    )


def json_depth(value: Any) -> int:
    """How deeply arrays and objects nest in `value` (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


class JSONParser(BaseParser):
    """JSON through orjson, read no further than the size limit.

    The size is checked against Content-Length before anything is read and
    again on what arrives; the depth after parsing (orjson itself stops at
    1,024 levels, so parsing never recurses into a RecursionError).
    """

    media_type = "application/json"
    renderer_class = JSONRenderer

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        context = parser_context or {}
        limit = max_body_bytes()
        request = context.get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and declared.isdigit() and int(declared) > limit:
            raise _too_large(limit)
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise _too_large(limit)
        encoding = (context.get("encoding") or settings.DEFAULT_CHARSET).lower()
        try:
            if encoding.replace("-", "") != "utf8":
                raw = raw.decode(encoding)
            data = orjson.loads(raw)
        except (LookupError, UnicodeDecodeError) as exc:
            raise exceptions.ParseError(f"JSON parse error - {exc}") from None
        except orjson.JSONDecodeError as exc:
            if "depth limit" in str(exc):
                raise _too_deep(max_json_depth()) from None
            raise exceptions.ParseError(f"JSON parse error - {exc}") from None
        depth_limit = max_json_depth()
        if json_depth(data) > depth_limit:
            raise _too_deep(depth_limit)
        return data
