"""Request rate limits, counted in the shared cache.

Anonymous clients are counted per address (`anon` rate), signed-in clients per
account (`user` rate); each request is counted by exactly one of the two.
"""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from newsdesk.ratelimit import rate_limit_hit
from newsdesk.security import client_ip


class SharedCacheThrottle(SimpleRateThrottle):
    """A fixed window counted by `newsdesk.ratelimit`, like every other limit.

    Several app servers sharing Redis together allow exactly the configured
    rate. The rate is read per request, so settings changes apply at once.
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
        result = rate_limit_hit(
            key=self.key,
            limit=self.num_requests,
            window=self.duration,
            now=self.timer(),
        )
        self.retry_after = result.retry_after
        return result.allowed

    def wait(self) -> float:
        return max(1, self.retry_after)


class AnonymousThrottle(SharedCacheThrottle):
    """Per-address limit for anonymous readers (`NEWSDESK_API_ANON_RATE`)."""

    scope = "anon"

    def get_cache_key(self, request, view) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
        }


class SignedInThrottle(SharedCacheThrottle):
    """Per-account limit for token and session clients (`NEWSDESK_API_USER_RATE`)."""

    scope = "user"

    def get_cache_key(self, request, view) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
