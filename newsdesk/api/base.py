"""What every API endpoint shares: paging, ordering, errors, formats and caching headers.

Cross-cutting behaviour lives here once, so each ViewSet only says which
queryset, serializer and filters it uses.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
from collections.abc import Mapping
from email.utils import formatdate, parsedate_to_datetime
from functools import partial
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Max, Min
from django.http import Http404
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django_filters.rest_framework import DjangoFilterBackend
from drf_orjson_renderer.renderers import ORJSONRenderer
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import exception_handler as drf_exception_handler

from newsdesk.http.keys import response_cache_key
from newsdesk.http.storage import cached_response, store_response
from newsdesk.http.validators import content_version, validator_time
from newsdesk.models import Article
from newsdesk.security import client_ip

MAX_ID = 2**63 - 1

# --- Errors ------------------------------------------------------------------


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The resource changed since you fetched it; nothing was written."
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "Send an If-Match header with the article's current ETag or version number."
    )
    default_code = "precondition_required"


def _messages(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        out: list[str] = []
        for item in value:
            out.extend(_messages(item))
        return out
    if isinstance(value, Mapping):
        out = []
        for key, item in value.items():
            out.extend(f"{key}: {message}" for message in _messages(item))
        return out
    return [str(value)]


def _field_errors(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, Mapping):
        return {str(field): _messages(value) for field, value in detail.items()}
    return {}


def _summary(detail: Any, errors: dict[str, list[str]], fallback: str) -> str:
    if set(errors) == {"non_field_errors"}:
        return " ".join(errors["non_field_errors"])
    if errors:
        fields = ", ".join(errors)
        return f"Invalid input in: {fields}."
    messages = _messages(detail) if detail is not None else []
    return messages[0] if messages else fallback


def _code(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    if isinstance(codes, str):
        return codes
    return exc.default_code


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Answer every 4xx in one shape: status, code, detail and per-field errors.

    Service `ValidationError`s become 400 with field messages; Django's
    `PermissionDenied` becomes 403.
    """
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(exc.message_dict)
        else:
            exc = exceptions.ValidationError({"non_field_errors": exc.messages})
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    detail = exc.detail
    errors = (
        _field_errors(detail) if isinstance(exc, exceptions.ValidationError) else {}
    )
    if isinstance(exc, exceptions.ValidationError) and not errors:
        errors = {"non_field_errors": _messages(detail)}
    response.data = {
        "status": response.status_code,
        "code": _code(exc) if not errors else "invalid",
        "detail": _summary(detail, errors, str(exc.default_detail)),
        "errors": errors,
    }
    return response


class ErrorSerializer(serializers.Serializer):
    """The one error format of every 4xx answer."""

    status = serializers.IntegerField(help_text="The HTTP status code, repeated.")
    code = serializers.CharField(
        help_text="A stable machine-readable code: invalid, not_found, "
        "not_authenticated, permission_denied, throttled, precondition_failed, ..."
    )
    detail = serializers.CharField(help_text="A sentence for people.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per input field or query parameter; empty when the "
        "error concerns the request as a whole.",
    )


ERROR_EXAMPLE = OpenApiExample(
    "Invalid filter",
    value={
        "status": 400,
        "code": "invalid",
        "detail": "Invalid input in: published_after.",
        "errors": {"published_after": ["Enter a valid date/time."]},
    },
    response_only=True,
    status_codes=["400"],
)


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """Schema entries for the given error statuses, all in the one error format."""
    descriptions = {
        400: "Invalid input: a query parameter or field failed validation.",
        401: "Authentication credentials were missing or invalid.",
        403: "Not allowed.",
        404: "No such object, or an invalid cursor.",
        406: "The requested format is not available here.",
        412: "The If-Match precondition failed: the object changed.",
        415: "Unsupported request content type.",
        428: "An If-Match header is required.",
        429: "Too many requests; retry after the Retry-After seconds.",
    }
    return {
        code: OpenApiResponse(
            response=ErrorSerializer,
            description=descriptions[code],
            examples=[ERROR_EXAMPLE] if code == 400 else [],
        )
        for code in codes
    }


# --- Paging and ordering -----------------------------------------------------


class ApiCursorPagination(CursorPagination):
    """Cursor pages (no COUNT), `page_size` up to a cap, links in body and `Link`."""

    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"
    cursor_query_description = (
        "The page cursor, taken from a `next` or `previous` link."
    )
    page_size_query_description = "Items per page, 1 to 100 (default 20)."

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except (TypeError, ValueError):
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise exceptions.ValidationError(
                {"page_size": [f"Enter a whole number from 1 to {self.max_page_size}."]}
            )
        return size

    def paginate_queryset(self, queryset, request, view=None):
        self.ordering = getattr(view, "ordering", None) or self.ordering
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data) -> Response:
        next_url, previous_url = self.get_next_link(), self.get_previous_link()
        response = Response(
            {"next": next_url, "previous": previous_url, "results": data}
        )
        links = [
            f'<{url}>; rel="{rel}"'
            for url, rel in ((next_url, "next"), (previous_url, "prev"))
            if url
        ]
        if links:
            response["Link"] = ", ".join(links)
        return response

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page, or null on the last page.",
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The previous page, or null on the first page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": self.cursor_query_description,
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": self.page_size_query_description,
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                },
            },
        ]


RELEVANCE = "relevance"


class ValidatingOrderingFilter(OrderingFilter):
    """`?ordering=` that rejects unknown fields with a 400 instead of ignoring them.

    Views declare `ordering_fields` as a mapping of public name → model field;
    the id is always added as a tie-breaker so pages are stable. Views with
    full-text search (`search_param`) sort best match first while searching.
    """

    ordering_description = "Sort order: a field name, `-` in front for descending."

    def public_fields(self, view) -> dict[str, str]:
        return dict(getattr(view, "ordering_fields", {}) or {})

    def searching(self, request, view) -> bool:
        param = getattr(view, "search_param", None)
        return bool(param and request.query_params.get(param, "").strip())

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is None:
            if self.searching(request, view):
                return list(view.search_ordering)
            return self.get_default_ordering(view)
        if raw == RELEVANCE and getattr(view, "search_param", None):
            # Without a query every article is equally relevant: newest first.
            if not self.searching(request, view):
                return self.get_default_ordering(view)
            return list(view.search_ordering)
        fields = self.public_fields(view)
        terms = [term.strip() for term in raw.split(",")]
        unknown = [t for t in terms if t.lstrip("-") not in fields]
        if unknown or len(terms) > 1:
            allowed = ", ".join(sorted(fields))
            raise exceptions.ValidationError(
                {
                    self.ordering_param: [
                        f"Unknown or multiple ordering fields: {raw!r}. "
                        f"Use one of: {allowed} (prefix - for descending)."
                    ]
                }
            )
        term = terms[0]
        descending = term.startswith("-")
        field = fields[term.lstrip("-")]
        ordering = [f"-{field}" if descending else field]
        if field != "id":
            ordering.append("-id" if descending else "id")
        return ordering

    def get_default_ordering(self, view):
        return list(view.ordering)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        names = sorted(self.public_fields(view))
        relevance = [RELEVANCE] if getattr(view, "search_param", None) else []
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": self.ordering_description,
                "schema": {
                    "type": "string",
                    "enum": [*names, *(f"-{name}" for name in names), *relevance],
                },
            }
        ]


# --- Renderers ---------------------------------------------------------------


class JSONRenderer(ORJSONRenderer):
    """JSON through orjson."""


def _rows(data: Any) -> list[Mapping[str, Any]]:
    if isinstance(data, Mapping) and "results" in data:
        return list(data["results"])
    if isinstance(data, list):
        return data
    return [data] if isinstance(data, Mapping) else []


class CSVRenderer(BaseRenderer):
    """One flattened row per record; the view names the columns (`csv_columns`)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        view = (renderer_context or {}).get("view")
        columns: list[str] = list(getattr(view, "csv_columns", ()))
        flatten = getattr(view, "csv_row", lambda item: item)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for item in _rows(data):
            writer.writerow({k: _csv_value(v) for k, v in flatten(item).items()})
        return buffer.getvalue().encode("utf-8")


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class GeoJSONRenderer(ORJSONRenderer):
    """A GeoJSON FeatureCollection; the view turns each record into a Feature."""

    media_type = "application/geo+json"
    format = "geojson"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        view = (renderer_context or {}).get("view")
        to_feature = view.geojson_feature
        collection: dict[str, Any] = {
            "type": "FeatureCollection",
            "features": [to_feature(item) for item in _rows(data)],
        }
        if isinstance(data, Mapping) and "results" in data:
            collection["next"] = data.get("next")
            collection["previous"] = data.get("previous")
        return super().render(collection, accepted_media_type, renderer_context)


DATA_FORMATS = ("csv", "geojson")


# --- Throttling --------------------------------------------------------------


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


# --- Conditional requests ----------------------------------------------------


RELEASES_CACHE_SECONDS = 3600


def latest_release() -> Any:
    """When the most recently released article went live (embargoes lift by time).

    Kept under the validator together with the next embargo's time, so it is
    read again after a write, once that embargo has lifted, or when the
    validator interval rolls over (for writes made without signals).
    """
    key = f"newsdesk:releases:{validator_time()!r}"
    now = timezone.now()
    releases = cache.get(key)
    if releases is None or (releases[1] is not None and releases[1] <= now):
        articles = Article.objects
        releases = (
            articles.published().aggregate(latest=Max("publish_at"))["latest"],
            articles.scheduled().aggregate(upcoming=Min("publish_at"))["upcoming"],
        )
        cache.set(key, releases, RELEASES_CACHE_SECONDS)
    return releases[0]


class NotModified(Exception):
    """Raised from `initial()` to answer 304 before any content is loaded."""


class CachedAnswer(Exception):
    """Raised from `initial()` with a stored rendering of the same answer."""

    def __init__(self, response) -> None:
        super().__init__()
        self.response = response


def _etag_matches(header: str, etag: str) -> bool:
    candidates = [value.strip() for value in header.split(",")]
    bare = etag.removeprefix("W/")
    return "*" in candidates or any(c.removeprefix("W/") == bare for c in candidates)


def _store_rendered(key: str, response) -> None:
    """Post-render callback; returns None so the rendered response stands."""
    store_response(key, response)


# Formats whose rendering depends only on the data (the browsable API's pages
# carry per-user forms and are never stored).
CACHED_FORMATS = frozenset({"json", "csv", "geojson"})


class ConditionalMixin:
    """ETag and Last-Modified on every GET; 304 when the client's copy is current.

    The validators come from the site's content version (renewed by signals on
    every write, see `newsdesk.http`) and the latest release time, so they
    are computed without loading or rendering the response (one indexed query).
    Anonymous answers are also kept rendered under the same validators, so the
    next reader of the same URL, format and origin is served without queries.
    """

    def etag_scope(self, request) -> str:
        return "public"

    def get_validators(self, request) -> tuple[str, Any]:
        version = content_version()
        released = latest_release()
        accepted = getattr(request, "accepted_renderer", None)
        material = "|".join(
            (
                repr(version),
                released.isoformat() if released else "-",
                request.get_full_path(),
                getattr(accepted, "format", "") or "",
                self.etag_scope(request),
            )
        )
        etag = 'W/"' + hashlib.sha256(material.encode()).hexdigest()[:32] + '"'
        moments = [version]
        if released:
            moments.append(released.timestamp())
        return etag, int(max(moments))

    def cached_query_params(self) -> frozenset[str]:
        """The query parameters this endpoint reads; others bypass the cache."""
        names = {api_settings.URL_FORMAT_OVERRIDE}
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is not None:
            names.update(filterset_class.base_filters)
        paginator = getattr(self, "paginator", None)
        for attribute in ("cursor_query_param", "page_size_query_param"):
            if name := getattr(paginator, attribute, None):
                names.add(name)
        for backend in getattr(self, "filter_backends", ()):
            if name := getattr(backend, "ordering_param", None):
                names.add(name)
        if name := getattr(self, "search_param", None):
            names.add(name)
        return frozenset(names)

    def _response_cache_key(self, request, etag: str) -> str | None:
        renderer = getattr(request, "accepted_renderer", None)
        if (
            request.user.is_authenticated
            or self.etag_scope(request) != "public"
            or getattr(renderer, "format", None) not in CACHED_FORMATS
            or not self.cached_query_params().issuperset(request.query_params)
        ):
            return None
        return response_cache_key(request, etag, request.accepted_media_type)

    def _not_modified(self, request, etag: str, last_modified: int) -> bool:
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match is not None:
            return _etag_matches(if_none_match, etag)
        if_modified_since = request.headers.get("If-Modified-Since")
        if not if_modified_since:
            return False
        try:
            since = parsedate_to_datetime(if_modified_since).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
        return last_modified <= since

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        self._validators = None
        self._cache_key = None
        if request.method not in ("GET", "HEAD"):
            return
        etag, last_modified = self.get_validators(request)
        self._validators = (etag, last_modified)
        if self._not_modified(request, etag, last_modified):
            raise NotModified
        self._cache_key = self._response_cache_key(request, etag)
        if self._cache_key is not None:
            response = cached_response(self._cache_key)
            if response is not None:
                raise CachedAnswer(response)

    def handle_exception(self, exc):
        if isinstance(exc, NotModified):
            response = Response(status=status.HTTP_304_NOT_MODIFIED)
            self._set_validator_headers(response)
            return response
        if isinstance(exc, CachedAnswer):
            return exc.response
        return super().handle_exception(exc)

    def _set_validator_headers(self, response) -> None:
        if getattr(self, "_validators", None):
            etag, last_modified = self._validators
            response["ETag"] = etag
            response["Last-Modified"] = formatdate(last_modified, usegmt=True)
            response["Cache-Control"] = (
                "private, no-cache"
                if self.etag_scope(self.request) != "public"
                else "public, max-age=0, must-revalidate"
            )

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code >= 400:
            renderer = getattr(request, "accepted_renderer", None)
            if renderer is None or renderer.format in DATA_FORMATS:
                request.accepted_renderer = JSONRenderer()
                request.accepted_media_type = JSONRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        key = getattr(self, "_cache_key", None)
        if key is not None and isinstance(response, Response):
            response.add_post_render_callback(partial(_store_rendered, key))
        if request.method in ("GET", "HEAD") and response.status_code in (200, 304):
            self._set_validator_headers(response)
        patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))
        return response


def parse_if_match(header: str | None) -> int:
    """Return the article version an If-Match header names.

    Accepts the ETag of the article's detail response (which embeds the
    version) or a bare version number, quoted or not.
    """
    if header is None or not header.strip():
        raise PreconditionRequired
    value = header.split(",")[0].strip().removeprefix("W/").strip('"')
    if "-v" in value:
        value = value.rsplit("-v", 1)[1].split("-")[0]
    try:
        version = int(value)
    except ValueError:
        raise PreconditionFailed(
            "The If-Match header names no version of this article."
        ) from None
    return version


def validate_lookup(value: Any) -> int:
    """An object id from the URL; anything that is not one is a 404."""
    text = str(value)
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_ID:
        raise exceptions.NotFound()
    return int(text)


# --- ViewSets ----------------------------------------------------------------


class WritePermission(BasePermission):
    """Reads for everyone; writes for signed-in staff holding the action's permission.

    The services check again (publishing needs its own permission); this
    answers 401/403 before any input is parsed.
    """

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        required = getattr(view, "write_permissions", {}).get(view.action)
        return required is None or user.has_perm(required)


class PublicViewSetMixin(ConditionalMixin):
    """Everything a public ViewSet shares; its `get_queryset()` starts from `published()`."""

    filter_backends = (DjangoFilterBackend, ValidatingOrderingFilter)
    pagination_class = ApiCursorPagination
    permission_classes = (WritePermission,)
    lookup_value_regex = "[^/]+"

    def initial(self, request, *args, **kwargs) -> None:
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise exceptions.MethodNotAllowed(request.method)
        bad = sorted(
            name
            for name, value in request.query_params.lists()
            if any("\x00" in item for item in value)
        )
        if bad:
            raise exceptions.ValidationError(
                {name: ["Null characters are not allowed."] for name in bad}
            )
        if request.query_params.get(api_settings.URL_FORMAT_OVERRIDE) == "":
            raise exceptions.ValidationError(
                {api_settings.URL_FORMAT_OVERRIDE: ["Name a format, or leave it out."]}
            )
        super().initial(request, *args, **kwargs)

    def get_object(self):
        validate_lookup(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field))
        return super().get_object()

    def get_validators(self, request) -> tuple[str, Any]:
        if self.lookup_field in self.kwargs:
            validate_lookup(self.kwargs[self.lookup_field])
        return super().get_validators(request)


# --- Schema ------------------------------------------------------------------

RAW_MEDIA_SCHEMAS: dict[str, dict[str, Any]] = {}


def register_raw_media_schema(media_type: str, schema: dict[str, Any]) -> None:
    """Declare the document schema of a non-JSON list format (CSV, GeoJSON)."""
    RAW_MEDIA_SCHEMAS[media_type] = schema


CONDITIONAL_HEADERS = [
    {
        "in": "header",
        "name": "If-None-Match",
        "required": False,
        "schema": {"type": "string"},
        "description": "An ETag from an earlier response: 304 if it still matches.",
    },
    {
        "in": "header",
        "name": "If-Modified-Since",
        "required": False,
        "schema": {"type": "string"},
        "description": "An HTTP date: 304 if nothing changed since.",
    },
]


def _document_conditional_get(operation: dict) -> None:
    responses = operation.get("responses", {})
    ok = responses.get("200")
    if ok is None:
        return
    ok.setdefault("headers", {}).update(
        {
            "ETag": {
                "schema": {"type": "string"},
                "description": "Validator for If-None-Match (and, for an "
                "article, If-Match on updates).",
            },
            "Last-Modified": {
                "schema": {"type": "string"},
                "description": "Validator for If-Modified-Since.",
            },
        }
    )
    responses["304"] = {
        "description": "Not modified: the copy named by If-None-Match or "
        "If-Modified-Since is current. No body.",
        "headers": {
            "ETag": {"schema": {"type": "string"}},
            "Last-Modified": {"schema": {"type": "string"}},
        },
    }
    names = {p.get("name") for p in operation.get("parameters", [])}
    operation.setdefault("parameters", []).extend(
        dict(p) for p in CONDITIONAL_HEADERS if p["name"] not in names
    )


def unwrap_raw_media_schemas(result: dict, generator, request, public) -> dict:
    """Schema postprocessing: CSV and GeoJSON lists are whole documents, not pages.

    Reads need no credentials, so GET operations declare no security scheme;
    they document their validators and the 304 answer.
    """
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method == "get":
                operation.pop("security", None)
                _document_conditional_get(operation)
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if schema.get("type") == "string" and "enum" not in schema:
                    schema.setdefault("pattern", "^[^\\x00]*$")
            response = operation.get("responses", {}).get("200", {})
            for media_type, content in response.get("content", {}).items():
                if media_type in RAW_MEDIA_SCHEMAS:
                    content["schema"] = RAW_MEDIA_SCHEMAS[media_type]
    return result
