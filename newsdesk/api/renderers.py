"""Response formats: JSON through orjson, CSV rows and GeoJSON features."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from drf_orjson_renderer.renderers import ORJSONRenderer
from rest_framework.renderers import BaseRenderer


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


# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _defuse_formula(value)
    return value


def _defuse_formula(text: str) -> str:
    """Text an analyst's spreadsheet shows as text, never evaluates (OWASP CSV injection)."""
    if text.startswith(FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


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
