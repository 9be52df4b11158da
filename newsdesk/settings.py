"""Settings for Newsdesk, read from the environment (12-factor).

Every value that differs between a laptop and production comes from an
environment variable; `.env.example` lists them.
"""

import importlib.util
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from newsdesk.rendering import EMBED_FRAME_ORIGINS

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Return an environment flag; accepts 1/0, true/false, yes/no, on/off."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Return a comma-separated environment value as a list of stripped items."""
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off."
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else ""
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# The embedded default is a SQLite file inside the project; demo accounts are
# only ever created there.
EMBEDDED_DATABASE = not os.environ.get("DATABASE_URL")
# The demo editor's password, made by `manage.py demo_editor` once and reused.
NEWSDESK_DEMO_PASSWORD_FILE = os.environ.get(
    "NEWSDESK_DEMO_PASSWORD_FILE", str(BASE_DIR / "db.demo-editor-password")
)

INSTALLED_APPS = [
    "newsdesk.admin_site.NewsdeskAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "simple_history",
    "axes",
    "csp",
    "django_countries",
    "sorl.thumbnail",
    "newsdesk.apps.NewsdeskConfig",
    "incidents.apps.IncidentsConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "newsdesk.middleware.RejectNulBytesMiddleware",
    "newsdesk.middleware.DatabaseUnavailableMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "newsdesk.middleware.ReaderLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out client is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "newsdesk.urls"
WSGI_APPLICATION = "newsdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsdesk.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while a writer commits; IMMEDIATE avoids
    # "database is locked" upgrades from read to write inside a transaction.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif env_bool("DJANGO_PGBOUNCER_TRANSACTION_MODE", False):
    # Server-side cursors and persistent connections do not survive PgBouncer in
    # transaction pooling mode.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# The article page's and article API's row reads, run on every cache miss
# (newsdesk/article_page.py), are prepared by PostgreSQL once per connection,
# so it does not plan them again on each request; off behind a pooler that
# cannot keep prepared statements (PgBouncer before 1.21, or without
# max_prepared_statements).
NEWSDESK_SERVER_PREPARED_STATEMENTS = env_bool(
    "NEWSDESK_SERVER_PREPARED_STATEMENTS",
    not env_bool("DJANGO_PGBOUNCER_TRANSACTION_MODE", False),
)

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Degrades to a miss with a warning while Redis is away.
            "BACKEND": "newsdesk.resilient_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # Fail fast, so an unreachable Redis costs a request milliseconds.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_PREFIX", "newsdesk"),
            "TIMEOUT": 300,
        },
        # Who has which change form open (newsdesk/editing/presence.py).
        "presence": {
            "BACKEND": "newsdesk.resilient_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_PREFIX", "newsdesk")
            + "-presence",
            "TIMEOUT": 120,
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsdesk",
            # Room for stored pages and their tags' versions.
            "OPTIONS": {"MAX_ENTRIES": 10000},
        },
        # Shared by every process without Redis; the table is made by the
        # newsdesk migration "presence_cache_table".
        "presence": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "newsdesk_presence_cache",
            "TIMEOUT": 120,
        },
    }

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The languages public pages format dates in, chosen from the reader's
# Accept-Language (newsdesk.middleware.ReaderLanguageMiddleware); the text of
# the pages themselves is English.
LANGUAGES = [
    ("en", "English"),
    ("ar", "العربية"),
    ("fr", "Français"),
    ("es", "Español"),
    ("de", "Deutsch"),
    ("tr", "Türkçe"),
]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Leaflet's files ship inside django-leaflet; its app stays out of
# INSTALLED_APPS because its admin integration needs GDAL.
_leaflet_spec = importlib.util.find_spec("leaflet")
if _leaflet_spec and _leaflet_spec.origin:
    STATICFILES_DIRS.append(Path(_leaflet_spec.origin).parent / "static")
MEDIA_URL = "/media/"
# Upload limits for the media library (bytes; pixels = width × height).
NEWSDESK_IMAGE_MAX_BYTES = int(os.environ.get("NEWSDESK_IMAGE_MAX_BYTES", 20_000_000))
NEWSDESK_IMAGE_MAX_PIXELS = int(os.environ.get("NEWSDESK_IMAGE_MAX_PIXELS", 50_000_000))
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Backups (`backup_newsroom`) are JSON with times kept to the microsecond.
SERIALIZATION_MODULES = {"newsroom": "newsdesk.backup_format"}
LOGIN_URL = "admin:login"

# HTTPS and browser hardening, on by default whenever debugging is off.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy: scripts only from our origin or carrying the
# per-request nonce (`{{ request.csp_nonce }}`); map tiles from OpenStreetMap.
# Inline styles stay allowed: the admin and the API docs use style attributes,
# and a style cannot run script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [
            SELF,
            "data:",
            "https://tile.openstreetmap.org",
            "https://*.tile.openstreetmap.org",
        ],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        # Only the embed providers the renderer knows, and only once a reader
        # clicks "Load" (static/js/embeds.js creates the frame).
        "frame-src": list(EMBED_FRAME_ORIGINS),
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
SESSION_COOKIE_HTTPONLY = True
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
# How many of our own proxies append to X-Forwarded-For in front of the app; 0
# means REMOTE_ADDR is the client. Used for login lockouts, throttles, rate limits.
NEWSDESK_TRUSTED_PROXIES = int(
    os.environ.get(
        "NEWSDESK_TRUSTED_PROXIES",
        "1" if env_bool("DJANGO_BEHIND_PROXY", False) else "0",
    )
)

# Brute-force protection for logins (docs/operations.md): lock a username from
# one address after 5 failures, and an address after 20 failures over any
# usernames, for an hour; a success resets that username's count.
AXES_FAILURE_LIMIT = int(os.environ.get("NEWSDESK_LOGIN_FAILURE_LIMIT", "5"))
NEWSDESK_LOGIN_ADDRESS_FAILURE_LIMIT = int(
    os.environ.get("NEWSDESK_LOGIN_ADDRESS_FAILURE_LIMIT", "20")
)
AXES_COOLOFF_TIME = float(os.environ.get("NEWSDESK_LOGIN_COOLOFF_HOURS", "1"))
AXES_HANDLER = "newsdesk.lockout.LoginLockoutHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "newsdesk.security.client_ip"
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_VERBOSE = False

# Site identity, used in feeds, JSON-LD and Open Graph.
NEWSDESK_SITE_NAME = os.environ.get("NEWSDESK_SITE_NAME", "Newsdesk")
NEWSDESK_SITE_URL = os.environ.get("NEWSDESK_SITE_URL", "http://127.0.0.1:8000")
# How long a signed preview link for a draft stays valid, in seconds.
NEWSDESK_PREVIEW_MAX_AGE = int(
    os.environ.get("NEWSDESK_PREVIEW_MAX_AGE", str(3 * 24 * 3600))
)

# What `import_articles` accepts: larger files are refused, longer headlines and
# paragraphs are cut at a word boundary, extra candidate figures are dropped,
# each with its reason in the import report (docs/importing.md).
NEWSDESK_IMPORT_MAX_FILE_BYTES = int(
    os.environ.get("NEWSDESK_IMPORT_MAX_FILE_BYTES", str(2 * 1024 * 1024))
)
NEWSDESK_IMPORT_MAX_HEADLINE_CHARS = 300
NEWSDESK_IMPORT_MAX_PARAGRAPH_CHARS = 10_000
NEWSDESK_IMPORT_MAX_FIGURES = 200

# HTTP caching (newsdesk/http, docs/caching.md). Browsers revalidate after
# NEWSDESK_CACHE_MAX_AGE; shared caches keep answers NEWSDESK_CACHE_S_MAXAGE,
# because every write purges exactly the tags it affects.
NEWSDESK_CACHE_MAX_AGE = int(os.environ.get("NEWSDESK_CACHE_MAX_AGE", "60"))
NEWSDESK_CACHE_S_MAXAGE = int(os.environ.get("NEWSDESK_CACHE_S_MAXAGE", "3600"))
NEWSDESK_CACHE_STALE_WHILE_REVALIDATE = int(
    os.environ.get("NEWSDESK_CACHE_STALE_WHILE_REVALIDATE", "60")
)
NEWSDESK_CACHE_STALE_IF_ERROR = int(
    os.environ.get("NEWSDESK_CACHE_STALE_IF_ERROR", "86400")
)
# How long the app's own cache keeps a rendering nothing has purged.
NEWSDESK_RESPONSE_CACHE_SECONDS = int(
    os.environ.get(
        "NEWSDESK_RESPONSE_CACHE_SECONDS",
        # Per-process memory cannot be purged from another process (publish_due).
        str(NEWSDESK_CACHE_S_MAXAGE if REDIS_URL else 60),
    )
)
# A query parameter that renders an answer afresh and stores it nowhere; off
# by default (anyone could use it to load the servers), the benchmark sets it.
NEWSDESK_CACHE_BYPASS_PARAM = os.environ.get("NEWSDESK_CACHE_BYPASS_PARAM", "")
# Seconds a 503 asks clients to wait while the database is unreachable.
NEWSDESK_DATABASE_RETRY_AFTER = int(
    os.environ.get("NEWSDESK_DATABASE_RETRY_AFTER", "15")
)
# The edge cache to purge: varnish, fastly, cloudflare, or empty for none.
NEWSDESK_EDGE_BACKEND = os.environ.get("NEWSDESK_EDGE_BACKEND", "")
# Seconds after a purge to purge the edge again, clearing an answer rendered
# from the old rows that reached the edge after the first purge (0: never).
NEWSDESK_EDGE_REPURGE_SECONDS = float(
    os.environ.get("NEWSDESK_EDGE_REPURGE_SECONDS", "5")
)
NEWSDESK_EDGE_SOFT_PURGE = env_bool("NEWSDESK_EDGE_SOFT_PURGE", False)
NEWSDESK_VARNISH_URLS = env_list("NEWSDESK_VARNISH_URLS", "")
NEWSDESK_FASTLY_API_URL = os.environ.get(
    "NEWSDESK_FASTLY_API_URL", "https://api.fastly.com"
)
NEWSDESK_FASTLY_SERVICE = os.environ.get("NEWSDESK_FASTLY_SERVICE", "")
NEWSDESK_FASTLY_TOKEN = os.environ.get("NEWSDESK_FASTLY_TOKEN", "")
NEWSDESK_CLOUDFLARE_API_URL = os.environ.get(
    "NEWSDESK_CLOUDFLARE_API_URL", "https://api.cloudflare.com/client/v4"
)
NEWSDESK_CLOUDFLARE_ZONE = os.environ.get("NEWSDESK_CLOUDFLARE_ZONE", "")
NEWSDESK_CLOUDFLARE_TOKEN = os.environ.get("NEWSDESK_CLOUDFLARE_TOKEN", "")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticatedOrReadOnly",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "newsdesk.api.renderers.JSONRenderer",
        *(["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    ],
    "DEFAULT_PARSER_CLASSES": ["newsdesk.api.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "newsdesk.api.pagination.ApiCursorPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "newsdesk.api.errors.api_exception_handler",
    # Anonymous readers per address, signed-in clients per account; the
    # counters live in the default cache (Redis when REDIS_URL is set), so
    # every app server shares them.
    "DEFAULT_THROTTLE_CLASSES": [
        "newsdesk.api.throttling.AnonymousThrottle",
        "newsdesk.api.throttling.SignedInThrottle",
    ],
    # Client addresses come from X-Forwarded-For only behind a trusted proxy;
    # otherwise a client could dodge the limit by inventing that header.
    "NUM_PROXIES": NEWSDESK_TRUSTED_PROXIES,
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("NEWSDESK_API_ANON_RATE", "120/minute"),
        "user": os.environ.get("NEWSDESK_API_USER_RATE", "1200/minute"),
    },
    "ORJSON_RENDERER_OPTIONS": [],
}

# API request bodies: the largest accepted (413 beyond) and the deepest JSON
# nesting (400 beyond); both are named in the error.
NEWSDESK_API_MAX_BODY_BYTES = int(
    os.environ.get("NEWSDESK_API_MAX_BODY_BYTES", str(1024 * 1024))
)
NEWSDESK_API_MAX_JSON_DEPTH = int(os.environ.get("NEWSDESK_API_MAX_JSON_DEPTH", "32"))

SPECTACULAR_SETTINGS = {
    "TITLE": "Newsdesk API",
    "DESCRIPTION": (
        "Published articles, incidents, figures and recommendations of the "
        "Newsdesk newsroom. Read access is open and anonymous (throttled per "
        "address; 429 answers carry `Retry-After`). Editors and reporters write "
        "with a token (`Authorization: Token <key>`) or a session.\n\n"
        "Only published content is served: drafts, articles in review, scheduled "
        "or retracted articles and draft incidents never appear, not even as "
        "related ids or counts.\n\n"
        "**Paging**: cursor pages; follow `next`/`previous` in the body or the "
        "`Link` header; `page_size` 1–100.\n\n"
        "**Formats**: JSON everywhere; CSV for incidents, figures and "
        "recommendations (`?format=csv`); GeoJSON for incidents "
        "(`?format=geojson` or `/api/v1/incidents.geojson`).\n\n"
        "**Caching**: every GET answers with `ETag` and `Last-Modified`; send "
        "`If-None-Match` or `If-Modified-Since` to get 304 when nothing changed.\n\n"
        "**Errors**: every 4xx has the same JSON shape: `status`, `code`, "
        "`detail` and `errors` (messages per field or query parameter).\n\n"
        "**Updates** need `If-Match` with the article's ETag or version: "
        "missing → 428, stale → 412 and nothing is written."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "newsdesk.api.schema.unwrap_raw_media_schemas",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "SourceKindEnum": "newsdesk.models.SourceKind",
        "ActorKindEnum": "incidents.models.ActorKind",
        "PlaceKindEnum": "incidents.models.PlaceKind",
        "IncidentKindEnum": "incidents.models.IncidentKind",
        "RecommendationStatusEnum": "incidents.models.RecommendationStatus",
        "CorrectionKindEnum": "newsdesk.models.CorrectionKind",
    },
}

# Cross-origin reads of the API from any site; writes stay same-origin.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_HEADERS = (
    "accept",
    "accept-language",
    "content-type",
    "if-modified-since",
    "if-none-match",
)
CORS_EXPOSE_HEADERS = ("ETag", "Last-Modified", "Link", "Retry-After")


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO"),
    },
}
