"""The Redis cache, degraded rather than failing when Redis is away.

Every cached thing here is an optimisation over the database (rendered
answers, validators, throttle and rate-limit counters), so while Redis cannot
be reached each call answers as an empty cache would — a miss, nothing stored,
a counter that starts again — and a warning is logged. redis-py reconnects on
the next call once Redis is back; nothing needs a restart.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("newsdesk.cache")
# At most one warning per process in this many seconds while Redis is away.
WARNING_INTERVAL = 30.0


def _degrading(fallback: Callable[..., Any]) -> Callable:
    def decorate(method: Callable) -> Callable:
        @functools.wraps(method)
        def call(self: ResilientRedisCache, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                self._warn(method.__name__, error)
                return fallback(*args, **kwargs)

        return call

    return decorate


def _miss(key: Any, default: Any = None, version: Any = None) -> Any:
    return default


def _nothing(*args: Any, **kwargs: Any) -> None:
    return None


def _not_stored(*args: Any, **kwargs: Any) -> bool:
    return False


class ResilientRedisCache(RedisCache):
    """`django.core.cache.backends.redis.RedisCache` that degrades to a miss."""

    _warned_at = float("-inf")

    def _warn(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        if now - ResilientRedisCache._warned_at >= WARNING_INTERVAL:
            ResilientRedisCache._warned_at = now
            logger.warning(
                "Cache unavailable (%s: %s); answering from the database.",
                operation,
                error,
            )

    @_degrading(_miss)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @_degrading(lambda keys, version=None: {})
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_degrading(_not_stored)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @_degrading(_not_stored)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().add(key, value, timeout, version)

    @_degrading(_nothing)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    @_degrading(lambda data, timeout=None, version=None: list(data))
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set_many(data, timeout, version)

    @_degrading(_not_stored)
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return super().touch(key, timeout, version)

    @_degrading(_not_stored)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @_degrading(_nothing)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    # A counter starts again: rate limits and throttles let the request through.
    @_degrading(lambda key, delta=1, version=None: delta)
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    @_degrading(_not_stored)
    def clear(self):
        return super().clear()
