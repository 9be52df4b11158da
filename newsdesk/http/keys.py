"""Cache keys of rendered answers."""

from __future__ import annotations

import hashlib

from django.http import HttpRequest

from newsdesk.http.validators import validator_time

RESPONSE_CACHE_PREFIX = "newsdesk:response:"


def response_cache_key(request: HttpRequest, *parts: str) -> str:
    """The key of a rendered answer: validator, origin, full path and `parts`.

    The origin is part of it because pages carry absolute links.
    """
    raw = "|".join(
        (
            repr(validator_time()),
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            *parts,
        )
    )
    return RESPONSE_CACHE_PREFIX + hashlib.sha256(raw.encode()).hexdigest()
