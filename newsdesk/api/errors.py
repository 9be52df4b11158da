"""The one error shape of every 4xx answer, and its schema entries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.cache import patch_vary_headers
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response


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


def error_body(
    status_code: int, code: str, detail: str, errors: Mapping[str, list[str]]
) -> dict[str, Any]:
    """The one error shape: status, a stable code, a sentence, messages per field."""
    return {
        "status": status_code,
        "code": code,
        "detail": detail,
        "errors": dict(errors),
    }


def error_response(
    status_code: int, code: str, detail: str, errors: Mapping[str, list[str]]
) -> JsonResponse:
    """The error shape as a plain Django response, for answers made outside DRF."""
    response = JsonResponse(
        error_body(status_code, code, detail, errors), status=status_code
    )
    patch_vary_headers(response, ("Accept",))
    return response


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Answer every 4xx in one shape: status, code, detail and per-field errors.

    Service `ValidationError`s become 400 with field messages; Django's
    `PermissionDenied` becomes 403. Other API errors may name the fields they
    concern in an `errors` attribute (an invalid cursor names `cursor`).
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
    # Imported here: rest_framework.views loads the parsers, which use this module.
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    detail = exc.detail
    fallback = str(exc.default_detail)
    if isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(detail) or {"non_field_errors": _messages(detail)}
        code, summary = "invalid", _summary(detail, errors, fallback)
    else:
        errors = dict(getattr(exc, "errors", None) or {})
        code, summary = _code(exc), _summary(detail, {}, fallback)
    response.data = error_body(response.status_code, code, summary, errors)
    return response


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.errors = {"body": [detail]}


class BodyTooDeep(exceptions.ParseError):
    default_code = "too_deep"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.errors = {"body": [detail]}


class ErrorSerializer(serializers.Serializer):
    """The one error format of every 4xx answer."""

    status = serializers.IntegerField(help_text="The HTTP status code, repeated.")
    code = serializers.CharField(
        help_text="A stable machine-readable code: invalid, parse_error, "
        "too_deep, not_found, not_authenticated, permission_denied, throttled, "
        "precondition_failed, too_large, ..."
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
        413: "The request body is over the size limit.",
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
