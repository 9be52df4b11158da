"""Stored renderings of list pages, keyed by what they show ("read models").

A list page (the front page, a topic's page, the incident list) is a
function of the rows it shows and their versions. Each request reads those
rows — keys and versions only, through `published()` and the other
visibility gates, so which rows are shown is decided live every time — and
looks the page's rendering up under a digest of them. The stored rendering
keeps the cache tags of everything it was built from (bylines' people,
sources, places, topics…) and is used only while none of them has been
purged since it was built; otherwise the page is built again and stored.

Nothing unpublished can be shown from a stored rendering: a row that leaves
(a retraction, an embargo still running, an unpublishing bulk update that
sends no signal) changes the rows read, hence the key. `build` loads the
rows again through the gates and tells whether it found exactly the rows it
was asked for; a rendering built while they changed is shown once, never
stored. Entries live no longer than stored answers
(`NEWSDESK_RESPONSE_CACHE_SECONDS`).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Hashable

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from newsdesk.http import tags as cache_tags

READ_MODEL_PREFIX = "newsdesk:read-model:"
# Raised whenever the shape of stored renderings changes.
READ_MODEL_FORMAT = 1


def read_model_key(kind: str, rows: Hashable) -> str:
    # A rendering shows its dates in the active language: one for each.
    language = translation.get_language() or ""
    digest = hashlib.sha256(repr(rows).encode()).hexdigest()[:40]
    return f"{READ_MODEL_PREFIX}{READ_MODEL_FORMAT}:{kind}:{language}:{digest}"


def stored_rendering(
    kind: str, rows: Hashable, build: Callable[[], tuple[str, bool]]
) -> SafeString:
    """The rendering of the page showing `rows`: the stored one while fresh, else built.

    `rows` names everything the rendering depends on besides the cache tags
    of the rows it loads: keys and versions of the rows shown, in order, and
    any variant (origin, page number). `build()` returns the rendering and
    whether it found exactly `rows` (only then is it stored). Every tag of the
    rendering is declared on the answer being rendered.
    """
    key = read_model_key(kind, rows)
    entry = cache.get(key)
    if entry is not None:
        built_at, entry_tags, html = entry
        if cache_tags.fresh_since(entry_tags, built_at):
            cache_tags.declare(*entry_tags)
            return mark_safe(html)
    built_at = time.time()
    with cache_tags.collecting(separate=True) as collected:
        html, complete = build()
    entry_tags = tuple(sorted(collected))
    if complete:
        cache_tags.ensure_versions(entry_tags)
        cache.set(
            key,
            (built_at, entry_tags, str(html)),
            settings.NEWSDESK_RESPONSE_CACHE_SECONDS,
        )
    return mark_safe(html)
