"""Production settings for load runs: DEBUG off, whitenoise, plus the bare baselines.

Only what a load run on 127.0.0.1 over plain HTTP needs differs from
production: no HTTPS redirect or secure-only cookies, a throttle rate no
benchmark client can reach (the throttle code still runs on every API call),
and static files collected into their own directory.
"""

import os
from pathlib import Path

os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault(
    "DJANGO_SECRET_KEY",
    "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")
os.environ.setdefault("DJANGO_HSTS_SECONDS", "0")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

from newsdesk.settings import *  # noqa: F403
from newsdesk.settings import BASE_DIR, REST_FRAMEWORK

DEBUG = False
ROOT_URLCONF = "bench.urls"
# The `*_fresh` scenarios add `?fresh=1` to render every time (newsdesk/http).
NEWSDESK_CACHE_BYPASS_PARAM = "fresh"
STATIC_ROOT = Path(
    os.environ.get("BENCH_STATIC_ROOT", BASE_DIR / "bench" / ".staticfiles")
)

# A per-second window keeps the throttle's request history short while no
# benchmark client ever reaches the limit.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": dict.fromkeys(
        REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}), "1000000/second"
    ),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
