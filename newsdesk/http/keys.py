"""Cache keys of rendered answers, and the query parameters that make them differ.

Marketing and tracking parameters (`utm_*`, `fbclid`, …) never change an
answer, so they are left out of keys and canonical addresses; the order of
the others does not matter either.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from urllib.parse import urlencode

from django.http import HttpRequest, QueryDict
from django.utils import translation

RESPONSE_CACHE_PREFIX = "newsdesk:response:"
TRACKING_PREFIXES = ("utm_",)
TRACKING_PARAMS = frozenset(
    {
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "dclid",
        "fbclid",
        "gbraid",
        "gclid",
        "gclsrc",
        "igshid",
        "mc_cid",
        "mc_eid",
        "mkt_tok",
        "msclkid",
        "oly_anon_id",
        "oly_enc_id",
        "ref",
        "ref_src",
        "ref_url",
        "s_kwcid",
        "ttclid",
        "twclid",
        "vero_id",
        "wbraid",
        "yclid",
    }
)


def is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def answer_params(
    request: HttpRequest, known: Collection[str] | None = None
) -> list[tuple[str, str]]:
    """The query pairs that can change the answer, sorted.

    Tracking parameters are dropped; with `known`, so is anything else the
    view does not read.
    """
    return sorted(
        (name, value)
        for name, values in request.GET.lists()
        for value in values
        if not is_tracking(name) and (known is None or name in known)
    )


def link_query(request: HttpRequest, *drop: str) -> QueryDict:
    """The request's query for the page's own links (pagination, facets).

    Tracking parameters are left out: the answer is cached without them, so a
    link carrying one reader's `utm_*` would be served to every other.
    """
    query = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        if not is_tracking(name) and name not in drop:
            query.setlist(name, values)
    return query


def unknown_params(request: HttpRequest, known: Collection[str]) -> list[str]:
    """Parameters that are neither read by the view nor tracking parameters."""
    return sorted(
        name for name in request.GET if name not in known and not is_tracking(name)
    )


def clean_path(request: HttpRequest, known: Collection[str]) -> str:
    """The request's path with only the parameters the view reads (tracking kept)."""
    pairs = [
        (name, value)
        for name, values in request.GET.lists()
        for value in values
        if name in known or is_tracking(name)
    ]
    query = urlencode(pairs)
    return f"{request.path}?{query}" if query else request.path


def response_cache_key(
    request: HttpRequest, *parts: str, known: Collection[str] | None = None
) -> str:
    """The key of a rendered answer: origin, path, the answer's parameters, `parts`.

    The origin is part of it because pages carry absolute links, the active
    language because pages show dates in the reader's language.
    """
    raw = "|".join(
        (
            request.scheme,
            request.get_host(),
            translation.get_language() or "",
            request.path,
            urlencode(answer_params(request, known)),
            *parts,
        )
    )
    return RESPONSE_CACHE_PREFIX + hashlib.sha256(raw.encode()).hexdigest()
