"""Rate limits: fixed windows counted in the shared cache, for every limited action.

The API's throttles (`newsdesk.api.throttling`) and the comment form count
with `rate_limit_hit`, so several app servers sharing Redis together allow
exactly the configured number per window.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.core.cache import cache

_KEY = "newsdesk:rate:{key}:{slot}"


@dataclass(frozen=True)
class RateLimitResult:
    allowed: bool
    retry_after: int  # seconds until the window ends, at least 1
    count: int


def rate_limit_hit(
    *, key: str, limit: int, window: int, now: float | None = None
) -> RateLimitResult:
    """Count one attempt for `key` in the current `window`-second window.

    Allowed while the window's count is at most `limit`; the counter lives
    just past its window, so nothing needs cleaning up.
    """
    now = time.time() if now is None else now
    slot = int(now // window)
    counter = _KEY.format(key=key, slot=slot)
    cache.add(counter, 0, timeout=window + 1)
    try:
        count = cache.incr(counter)
    except ValueError:  # expired between add and incr
        cache.set(counter, 1, timeout=window + 1)
        count = 1
    retry_after = max(1, math.ceil((slot + 1) * window - now))
    return RateLimitResult(count <= limit, retry_after, count)
