"""CSV and GeoJSON of the structured records: columns, rows, features, schemas."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse

from newsdesk.api.schema import register_raw_media_schema
from newsdesk.api.views import READ_ERRORS

CSV_DESCRIPTION = (
    "`?format=csv` (or the `.csv` URL) gives one flattened row per record for "
    "spreadsheets; paging works as for JSON, with the next page in the `Link` header."
)

GEOJSON_SCHEMA = {
    "type": "object",
    "example": {
        "type": "FeatureCollection",
        "next": None,
        "previous": None,
        "features": [
            {
                "type": "Feature",
                "id": 1,
                "geometry": {"type": "Point", "coordinates": [40.7527, 36.4869]},
                "properties": {
                    "title": "Attack on Ghwayran prison",
                    "kind": "prison_break",
                    "start_date": "2022-01-20",
                    "country": "SY",
                    "geo_precision": 1,
                },
            }
        ],
    },
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "next": {"type": "string", "format": "uri", "nullable": True},
        "previous": {"type": "string", "format": "uri", "nullable": True},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "id", "geometry", "properties"],
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "id": {"type": "integer"},
                    "geometry": {
                        "type": "object",
                        "nullable": True,
                        "required": ["type", "coordinates"],
                        "properties": {
                            "type": {"type": "string", "enum": ["Point"]},
                            "coordinates": {
                                "type": "array",
                                "items": {"type": "number"},
                                "minItems": 2,
                                "maxItems": 2,
                            },
                        },
                    },
                    "properties": {"type": "object", "additionalProperties": True},
                },
            },
        },
    },
}
CSV_SCHEMA = {
    "type": "string",
    "description": "Comma-separated values with a header row.",
    "example": "id,incident_id,incident_title,incident_start_date,metric,group,low,"
    "high,qualifier,claimant,...\r\n"
    "7,1,Attack on Ghwayran prison,2022-01-20,killed,total,67,70,exact,SDF,...\r\n",
}
register_raw_media_schema("application/geo+json", GEOJSON_SCHEMA)
register_raw_media_schema("text/csv", CSV_SCHEMA)


def _names(actors: dict[str, list[dict]], role: str) -> list[str]:
    return [actor["name"] for actor in actors.get(role, [])]


def _figures_text(ranges: list[dict]) -> str:
    parts = []
    for r in ranges:
        value = f"{r['low']}" if r["low"] == r["high"] else f"{r['low']}-{r['high']}"
        parts.append(f"{r['metric']} {r['group']}: {value}")
    return "; ".join(parts)


INCIDENT_CSV_COLUMNS = (
    "id",
    "title",
    "kind",
    "sub_kind",
    "start_date",
    "end_date",
    "date_precision",
    "verification",
    "place",
    "admin1",
    "country",
    "latitude",
    "longitude",
    "geo_precision",
    "perpetrators",
    "targets",
    "responders",
    "figures",
    "article_ids",
    "page_url",
    "api_url",
)


def incident_csv_row(item: dict[str, Any]) -> dict[str, Any]:
    place = item.get("place") or {}
    actors = item.get("actors") or {}
    return {
        "id": item["id"],
        "title": item["title"],
        "kind": item["kind"],
        "sub_kind": item["sub_kind"],
        "start_date": item["start_date"],
        "end_date": item["end_date"],
        "date_precision": item["date_precision"],
        "verification": item["verification"],
        "place": place.get("name"),
        "admin1": place.get("admin1"),
        "country": place.get("country"),
        "latitude": place.get("latitude"),
        "longitude": place.get("longitude"),
        "geo_precision": place.get("geo_precision"),
        "perpetrators": _names(actors, "perpetrator"),
        "targets": _names(actors, "target"),
        "responders": _names(actors, "responder"),
        "figures": _figures_text(item.get("figure_ranges") or []),
        "article_ids": item.get("articles"),
        "page_url": item["page_url"],
        "api_url": item["url"],
    }


def incident_feature(item: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON Feature; geometry is null when the place has no coordinates."""
    place = item.get("place") or {}
    geometry = None
    if place.get("latitude") is not None and place.get("longitude") is not None:
        geometry = {
            "type": "Point",
            "coordinates": [place["longitude"], place["latitude"]],
        }
    properties = {
        key: item[key]
        for key in (
            "title",
            "kind",
            "start_date",
            "end_date",
            "date_precision",
            "verification",
            "page_url",
            "url",
            "figure_ranges",
            "articles",
        )
    }
    properties.update(
        place=place.get("name"),
        country=place.get("country"),
        geo_precision=place.get("geo_precision"),
    )
    return {
        "type": "Feature",
        "id": item["id"],
        "geometry": geometry,
        "properties": properties,
    }


def format_responses(serializer, *, geojson: bool = False) -> dict:
    responses = {
        (200, "application/json"): serializer,
        (200, "text/csv"): OpenApiResponse(CSV_SCHEMA, description=CSV_DESCRIPTION),
    }
    if geojson:
        responses[(200, "application/geo+json")] = OpenApiResponse(
            GEOJSON_SCHEMA,
            description="A FeatureCollection; incidents whose place has no "
            "coordinates are included with `geometry: null`.",
        )
    for code, response in READ_ERRORS.items():
        responses[(code, "application/json")] = response
    return responses


FIGURE_CSV_COLUMNS = (
    "id",
    "incident_id",
    "incident_title",
    "incident_start_date",
    "metric",
    "group",
    "low",
    "high",
    "qualifier",
    "claimant",
    "reported_on",
    "article_id",
    "article_headline",
    "article_url",
    "source_id",
    "source_name",
    "citation_url",
    "excerpt",
    "note",
)


def figure_csv_row(item: dict[str, Any]) -> dict[str, Any]:
    incident = item.get("incident") or {}
    article = item.get("article") or {}
    source = item.get("source") or {}
    return {
        "id": item["id"],
        "incident_id": incident.get("id"),
        "incident_title": incident.get("title"),
        "incident_start_date": incident.get("start_date"),
        "metric": item["metric"],
        "group": item["group"],
        "low": item["low"],
        "high": item["high"],
        "qualifier": item["qualifier"],
        "claimant": item["claimant"],
        "reported_on": item["reported_on"],
        "article_id": article.get("id"),
        "article_headline": article.get("headline"),
        "article_url": article.get("page_url"),
        "source_id": source.get("id"),
        "source_name": source.get("name"),
        "citation_url": item["citation_url"],
        "excerpt": item["excerpt"],
        "note": item["note"],
    }


RECOMMENDATION_CSV_COLUMNS = (
    "id",
    "action",
    "statement",
    "addressed_to_countries",
    "addressed_to_group",
    "recommended_by_person",
    "recommended_by_source",
    "status",
    "status_changed_on",
    "made_in_article_id",
    "made_in_article_url",
    "incident_id",
    "incident_title",
    "history",
    "page_url",
)


def recommendation_csv_row(item: dict[str, Any]) -> dict[str, Any]:
    person = item.get("recommended_by_person") or {}
    source = item.get("recommended_by_source") or {}
    made_in = item.get("made_in") or {}
    incident = item.get("incident") or {}
    return {
        "id": item["id"],
        "action": item["action"],
        "statement": item["statement"],
        "addressed_to_countries": item["addressed_to_countries"],
        "addressed_to_group": item["addressed_to_group"],
        "recommended_by_person": person.get("name"),
        "recommended_by_source": source.get("name"),
        "status": item["status"],
        "status_changed_on": item["status_changed_on"],
        "made_in_article_id": made_in.get("id"),
        "made_in_article_url": made_in.get("page_url"),
        "incident_id": incident.get("id"),
        "incident_title": incident.get("title"),
        "history": [
            f"{h['changed_on']} {h['status']}" for h in item.get("history") or []
        ],
        "page_url": item["page_url"],
    }
