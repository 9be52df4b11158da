"""Validators of public answers, and which requests may get shared answers at all."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from newsdesk.previews import PREVIEW_PARAM


def is_public_request(request: HttpRequest) -> bool:
    """Anonymous and not a share-link preview: the only requests given shared answers."""
    user = getattr(request, "user", None)
    return (
        not (user is not None and user.is_authenticated)
        and "HTTP_AUTHORIZATION" not in request.META
        and PREVIEW_PARAM not in request.GET
    )


def bypasses_cache(request: HttpRequest) -> bool:
    """True when the request carries the configured cache-bypass parameter."""
    name = settings.NEWSDESK_CACHE_BYPASS_PARAM
    return bool(name) and name in request.GET


# The bypass parameter's value that also builds stored renderings again (the
# article pages kept in the database), to measure a full rebuild.
REBUILD_VALUE = "rebuild"


def rebuilds_stored(request: HttpRequest) -> bool:
    """True when the cache-bypass parameter asks for stored renderings to be rebuilt."""
    name = settings.NEWSDESK_CACHE_BYPASS_PARAM
    return bool(name) and request.GET.get(name) == REBUILD_VALUE


def content_etag(
    content: bytes, *, variant: str = "", prefix: str = "", weak: bool = False
) -> str:
    """An ETag naming these bytes of this variant (`prefix` leads: an object version)."""
    digest = hashlib.sha256(variant.encode() + b"\0" + content).hexdigest()[:32]
    return f'{"W/" if weak else ""}"{prefix}{digest}"'


def ensure_etag(
    response: HttpResponse, *, variant: str = "", prefix: str = "", weak: bool = False
) -> str:
    """The response's ETag, set from its content when the view gave none."""
    if not response.has_header("ETag") and not response.streaming:
        response["ETag"] = content_etag(
            response.content, variant=variant, prefix=prefix, weak=weak
        )
    return response.get("ETag", "")
