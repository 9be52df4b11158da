"""Request input parsed in one place: object ids in URLs and If-Match headers."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions

from newsdesk.api.errors import PreconditionFailed, PreconditionRequired

MAX_ID = 2**63 - 1


def parse_if_match(header: str | None) -> int:
    """Return the article version an If-Match header names.

    Accepts the ETag of the article's detail response (which embeds the
    version) or a bare version number, quoted or not.
    """
    if header is None or not header.strip():
        raise PreconditionRequired
    value = header.split(",")[0].strip().removeprefix("W/").strip('"')
    if "-v" in value:
        value = value.rsplit("-v", 1)[1].split("-")[0]
    try:
        version = int(value)
    except ValueError:
        raise PreconditionFailed(
            "The If-Match header names no version of this article."
        ) from None
    return version


def validate_lookup(value: Any) -> int:
    """An object id from the URL; anything that is not one is a 404."""
    text = str(value)
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_ID:
        raise exceptions.NotFound()
    return int(text)
