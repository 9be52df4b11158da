"""Absolute URLs of the site's own pages: the one place they are built."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest

if TYPE_CHECKING:
    from newsdesk.models import Article


def absolute_url(path: str, *, request: HttpRequest | None = None) -> str:
    """`path` on the request's origin, or on `NEWSDESK_SITE_URL` without a request.

    Already absolute URLs come back unchanged; the origin is worked out once
    per request.
    """
    if not path or path.startswith(("http://", "https://")):
        return path
    if request is None:
        return settings.NEWSDESK_SITE_URL.rstrip("/") + path
    origin = getattr(request, "_newsdesk_origin", None)
    if origin is None:
        origin = request.build_absolute_uri("/")[:-1]
        request._newsdesk_origin = origin
    return origin + path


def canonical_url(article: Article, *, request: HttpRequest | None = None) -> str:
    """The article's canonical address: the original publisher's URL when
    syndicated, else its own page's absolute URL."""
    return article.original_url or absolute_url(
        article.get_absolute_url(), request=request
    )
