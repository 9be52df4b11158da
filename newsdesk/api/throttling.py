"""Request rate limits, counted in the shared cache."""

from __future__ import annotations

import math

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from newsdesk.security import client_ip


class AnonymousThrottle(AnonRateThrottle):
    """Per-address limit for anonymous readers, counted in the shared cache.

    A fixed window counted with the cache's atomic increment, so that several
    app servers sharing Redis together allow exactly the configured rate.
    """

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request) -> str:
        # The same notion of "client" as login lockouts and comment limits.
        return client_ip(request) or "unknown"

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        key = f"{self.key}:{window}"
        self.cache.add(key, 0, timeout=self.duration + 1)
        try:
            count = self.cache.incr(key)
        except ValueError:
            self.cache.set(key, 1, timeout=self.duration + 1)
            count = 1
        self.retry_after = math.ceil((window + 1) * self.duration - now)
        return count <= self.num_requests

    def wait(self) -> float:
        return max(1, self.retry_after)
