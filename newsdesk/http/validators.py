"""The validators of public answers: one content version shared through the cache.

The version changes whenever anything readers can see changes; ETags and
Last-Modified derive from it, so a conditional request is answered without
touching the database.
"""

from __future__ import annotations

import datetime
import hashlib
import time

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest

from newsdesk.previews import PREVIEW_PARAM

CONTENT_VERSION_KEY = "newsdesk:content-version"
# Validators also roll over every interval, so that changes made without
# signals (bulk updates, a scheduled time passing) show within it.
VALIDATOR_INTERVAL = 60


def content_version() -> float:
    """The time of the last change to public content (set on first use)."""
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        version = time.time()
        cache.add(CONTENT_VERSION_KEY, version, timeout=None)
        version = cache.get(CONTENT_VERSION_KEY, version)
    return float(version)


def content_changed() -> None:
    """Invalidate every public page's validators (and so its cached rendering)."""
    cache.set(CONTENT_VERSION_KEY, time.time(), timeout=None)


def content_changed_on_commit() -> None:
    """Invalidate now and again once the current transaction commits.

    A reader who rendered between the first bump and the commit saw the old
    rows under the new version; the second bump retires that rendering.
    """
    content_changed()
    transaction.on_commit(content_changed, robust=True)


def validator_time() -> float:
    """The content version, or the start of the current interval if later."""
    bucket = time.time() // VALIDATOR_INTERVAL * VALIDATOR_INTERVAL
    return max(content_version(), bucket)


def is_public_request(request: HttpRequest) -> bool:
    """Anonymous and not a share-link preview: the only requests given validators."""
    return not request.user.is_authenticated and PREVIEW_PARAM not in request.GET


def page_etag(request: HttpRequest) -> str:
    raw = f"{validator_time()}|{request.get_full_path()}"
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


def page_last_modified() -> datetime.datetime:
    return datetime.datetime.fromtimestamp(int(validator_time()), tz=datetime.UTC)
