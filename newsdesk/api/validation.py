"""Request input parsed in one place: ids, If-Match, date-times, countries, cursors.

Query filters, body fields and page cursors all reach the database through
these checks, so a value PostgreSQL or SQLite would refuse (a NUL, an offset
beyond ±15:59, an integer beyond 64 bits, NaN) is a 4xx naming its field.
"""

from __future__ import annotations

import datetime
import math
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection, models
from django.utils import timezone
from django_countries import countries
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers

from newsdesk.api.errors import PreconditionFailed, PreconditionRequired

MAX_ID = 2**63 - 1
# PostgreSQL refuses a time zone displacement of 16 hours or more.
MAX_UTC_OFFSET = datetime.timedelta(hours=16)
OFFSET_MESSAGE = "Enter a UTC offset from -15:59 to +15:59."
# The same rule in the OpenAPI schema: an ISO 8601 date-time ending in Z or an
# offset below 16 hours.
DATETIME_SCHEMA = {
    "type": "string",
    "format": "date-time",
    "pattern": "(Z|z|[+-](0[0-9]|1[0-5]):[0-5][0-9])$",
}
COUNTRY_CODES = frozenset(code for code, _ in countries)


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


def check_offset(value: datetime.datetime) -> None:
    """ValueError if PostgreSQL could not store `value`'s UTC offset."""
    offset = value.utcoffset()
    if offset is not None and abs(offset) >= MAX_UTC_OFFSET:
        raise ValueError(OFFSET_MESSAGE)


def checked_datetime(value: datetime.datetime) -> datetime.datetime:
    """`value` in UTC if both databases can store it, else ValueError saying why."""
    if value.tzinfo is None:
        return value.replace(tzinfo=datetime.UTC)
    check_offset(value)
    try:
        return value.astimezone(datetime.UTC)
    except OverflowError:
        raise ValueError("Enter a date-time between the years 1 and 9999.") from None


@extend_schema_field(DATETIME_SCHEMA)
class ApiDateTimeField(serializers.DateTimeField):
    """A date-time in a request body, with an offset both databases accept."""

    def enforce_timezone(self, value: datetime.datetime) -> datetime.datetime:
        if timezone.is_aware(value):
            try:
                checked_datetime(value)
            except ValueError as exc:
                raise serializers.ValidationError(str(exc)) from None
        return super().enforce_timezone(value)


class CountryCodeInputField(serializers.CharField):
    """An ISO 3166-1 alpha-2 code sent by a client, e.g. SY; anything else is a 400."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 2)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        code = super().to_internal_value(data).upper()
        if code not in COUNTRY_CODES:
            raise serializers.ValidationError(
                f"{code!r} is not an ISO 3166-1 alpha-2 country code (e.g. SY)."
            )
        return code


class WriteSerializer(serializers.ModelSerializer):
    """Base of every write serializer: model fields get the validated input types."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: ApiDateTimeField,
    }


class InvalidCursor(exceptions.NotFound):
    """A page cursor this list never handed out; 404 as documented, naming `cursor`."""

    default_detail = "Invalid cursor."
    default_code = "not_found"

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.errors = {"cursor": [reason]}


def _ordering_field(queryset: models.QuerySet, name: str) -> models.Field | None:
    try:
        return queryset.model._meta.get_field(name)
    except FieldDoesNotExist:
        annotation = queryset.query.annotations.get(name)
        return getattr(annotation, "output_field", None)


def cursor_position(queryset: models.QuerySet, name: str, text: str) -> Any:
    """A cursor's position as a value of the ordering field `name`, or InvalidCursor.

    Positions are written by the pagination itself, so anything that does not
    read back as a storable value of the field is a forged or damaged cursor.
    """
    field = _ordering_field(queryset, name)
    if "\x00" in text or any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        raise InvalidCursor("The position holds characters no text can contain.")
    if field is None:
        raise InvalidCursor("This list cannot be positioned.")
    try:
        value = field.to_python(text)
    except (DjangoValidationError, ValueError, TypeError, OverflowError):
        raise InvalidCursor(
            "The position is not a value of the list's order."
        ) from None
    if value is None:
        raise InvalidCursor("The position is empty.")
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidCursor("The position is not a finite number.")
    if isinstance(value, int) and not isinstance(value, bool):
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        if (low is not None and value < low) or (high is not None and value > high):
            raise InvalidCursor("The position is out of range.")
    if isinstance(value, datetime.datetime):
        try:
            value = checked_datetime(value)
        except ValueError as exc:
            raise InvalidCursor(str(exc)) from None
    return value
