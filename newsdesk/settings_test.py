"""Fast, deterministic settings for the test suite.

The database still comes from DATABASE_URL, so the same suite runs on SQLite
and on PostgreSQL.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault(
    "DJANGO_SECRET_KEY", "test-secret-key-not-for-production-use-0123456789"
)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")

from newsdesk.settings import *  # noqa: F403
from newsdesk.settings import STORAGES

# Uploads and renditions made by tests go to a throwaway directory, never ./media.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="newsdesk-test-media-"))
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False}
# No second edge purge on a timer in tests; the tests that check it set a delay.
NEWSDESK_EDGE_REPURGE_SECONDS = 0
