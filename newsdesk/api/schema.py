"""OpenAPI postprocessing: whole-document formats and conditional GETs."""

from __future__ import annotations

from typing import Any

from newsdesk.api.validation import DATETIME_SCHEMA

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
                if schema.get("format") == "date-time":
                    schema["pattern"] = DATETIME_SCHEMA["pattern"]
                elif schema.get("type") == "string" and "enum" not in schema:
                    schema.setdefault("pattern", "^[^\\x00]*$")
            response = operation.get("responses", {}).get("200", {})
            for media_type, content in response.get("content", {}).items():
                if media_type in RAW_MEDIA_SCHEMAS:
                    content["schema"] = RAW_MEDIA_SCHEMAS[media_type]
    return result
