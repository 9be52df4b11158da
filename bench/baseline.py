"""Bare baselines: each main read as ONE raw SQL query serialised with orjson.

They skip everything the product adds (middleware aside): no ORM, no
serializers, no templates, no pagination cursors. The benchmark compares the
real endpoints with them in the same run; they are mounted only in
`bench.urls`, never in the product.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from incidents.models import Actor as ActorModel
from incidents.models import Figure, Incident, IncidentActor, Place
from newsdesk.models import (
    Article,
    ArticleAuthor,
    Comment,
    Correction,
    Person,
    Quote,
    Source,
    Topic,
)

MAX_PAGE_SIZE = 100
SEPARATOR = "\x1f"
FIELD_SEPARATOR = "\x1e"


def _tables() -> dict[str, str]:
    return {
        "article": Article._meta.db_table,
        "author": ArticleAuthor._meta.db_table,
        "person": Person._meta.db_table,
        "source": Source._meta.db_table,
        "topic": Topic._meta.db_table,
        "article_topic": Article.topics.through._meta.db_table,
        "incident": Incident._meta.db_table,
        "incident_article": Incident.articles.through._meta.db_table,
        "incident_actor": IncidentActor._meta.db_table,
        "actor": ActorModel._meta.db_table,
        "place": Place._meta.db_table,
        "figure": Figure._meta.db_table,
        "quote": Quote._meta.db_table,
        "correction": Correction._meta.db_table,
        "comment": Comment._meta.db_table,
    }


def _list_of(subquery: str) -> str:
    """SQL for a one-column subquery collapsed into one value per row."""
    if connection.vendor == "postgresql":
        return f"ARRAY({subquery})"
    return f"(SELECT group_concat(v, char(31)) FROM ({subquery}) AS sub)"


def _join(*columns: str) -> str:
    """SQL joining several columns into one text value."""
    if connection.vendor == "postgresql":
        return "concat_ws(chr(30), " + ", ".join(f"{c}::text" for c in columns) + ")"
    return " || char(30) || ".join(f"COALESCE({c}, '')" for c in columns)


def _split(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return value.split(SEPARATOR) if value else []


def _records(value: Any) -> list[list[str]]:
    return [item.split(FIELD_SEPARATOR) for item in _split(value)]


def _page_size(request: HttpRequest, default: int = 20) -> int:
    try:
        size = int(request.GET.get("page_size", default))
    except ValueError:
        size = default
    return max(1, min(size, MAX_PAGE_SIZE))


def _fetch(sql: str, params: list[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _json(data: Any) -> HttpResponse:
    return HttpResponse(
        orjson.dumps(data, default=_default), content_type="application/json"
    )


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError


def _article_columns(t: dict[str, str]) -> dict[str, str]:
    """Columns of a published article with source, byline, topics and incident ids."""
    return {
        "id": "a.id",
        "headline": "a.headline",
        "slug": "a.slug",
        "standfirst": "a.standfirst",
        "published_at": "a.publish_at",
        "first_published_at": "a.first_published_at",
        "updated_at": "a.substantive_update_at",
        "modified_at": "a.updated_at",
        "language": "a.language",
        "original_language": "a.original_language",
        "original_url": "a.original_url",
        "source_id": "s.id",
        "source_name": "s.name",
        "source_domain": "s.domain",
        "authors": _list_of(
            "SELECT "
            + _join("p.id", "p.name", "p.affiliation")
            + f" AS v FROM {t['author']} aa JOIN {t['person']} p "
            "ON p.id = aa.person_id WHERE aa.article_id = a.id ORDER BY aa.position"
        ),
        "topics": _list_of(
            "SELECT "
            + _join("tp.id", "tp.name", "tp.slug")
            + f" AS v FROM {t['article_topic']} at JOIN {t['topic']} tp "
            "ON tp.id = at.topic_id WHERE at.article_id = a.id ORDER BY tp.name"
        ),
        "incidents": _list_of(
            # CROSS JOIN keeps SQLite from scanning every published row first.
            f"SELECT ia.incident_id AS v FROM {t['incident_article']} ia "
            f"CROSS JOIN {t['incident']} i "
            "WHERE i.id = ia.incident_id AND ia.article_id = a.id "
            "AND i.status = 'published' "
            "ORDER BY ia.incident_id"
        ),
    }


def _select(columns: dict[str, str], rest: str) -> str:
    return "SELECT " + ", ".join(columns.values()) + " " + rest


def _published_articles_from(t: dict[str, str]) -> str:
    return (
        f"FROM {t['article']} a LEFT JOIN {t['source']} s ON s.id = a.source_id "
        "WHERE a.status = 'published' AND a.publish_at <= %s "
    )


def _article_row(names: list[str], row: tuple) -> dict[str, Any]:
    data = dict(zip(names, row, strict=True))
    source_id = data.pop("source_id")
    source_name, source_domain = data.pop("source_name"), data.pop("source_domain")
    data["source"] = (
        {"id": source_id, "name": source_name, "domain": source_domain}
        if source_id
        else None
    )
    data["authors"] = [
        {"id": int(pk), "name": n, "affiliation": a}
        for pk, n, a in _records(data["authors"])
    ]
    data["topics"] = [
        {"id": int(pk), "name": n, "slug": s} for pk, n, s in _records(data["topics"])
    ]
    data["incidents"] = [int(pk) for pk in _split(data["incidents"])]
    return data


def article_list(request: HttpRequest) -> HttpResponse:
    """The first page of published articles, newest first."""
    t = _tables()
    columns = _article_columns(t)
    # The page is chosen first, so the per-row subqueries run for its rows only.
    sql = _select(
        columns,
        f"FROM (SELECT p.id FROM {t['article']} p WHERE p.status = 'published' "
        "AND p.publish_at <= %s ORDER BY p.publish_at DESC, p.id DESC LIMIT %s) page "
        f"JOIN {t['article']} a ON a.id = page.id "
        f"LEFT JOIN {t['source']} s ON s.id = a.source_id "
        "ORDER BY a.publish_at DESC, a.id DESC",
    )
    rows = _fetch(sql, [timezone.now(), _page_size(request)])
    names = list(columns)
    return _json({"results": [_article_row(names, row) for row in rows]})


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One published article with body, byline, topics, quotes and corrections."""
    t = _tables()
    columns = {
        **_article_columns(t),
        "body_html": "a.body_html",
        "quotes": _list_of(
            "SELECT "
            + _join("q.text", "q.attribution")
            + f" AS v FROM {t['quote']} q WHERE q.article_id = a.id "
            "ORDER BY q.position, q.id"
        ),
        "corrections": _list_of(
            "SELECT "
            + _join("c.kind", "c.note", "c.published_at")
            + f" AS v FROM {t['correction']} c WHERE c.article_id = a.id "
            "ORDER BY c.published_at DESC, c.id DESC"
        ),
        "comments": _list_of(
            "SELECT "
            + _join("cm.name", "cm.body", "cm.created_at")
            + f" AS v FROM {t['comment']} cm WHERE cm.article_id = a.id "
            "AND cm.status = 'approved' ORDER BY cm.created_at, cm.id"
        ),
    }
    sql = _select(columns, _published_articles_from(t) + "AND a.slug = %s")
    rows = _fetch(sql, [timezone.now(), slug])
    if not rows:
        raise Http404
    names = list(columns)
    data = _article_row(names, rows[0])
    data["quotes"] = [
        {"text": q, "attribution": a} for q, a in _records(data["quotes"])
    ]
    data["corrections"] = [
        {"kind": k, "note": n, "published_at": p}
        for k, n, p in _records(data["corrections"])
    ]
    data["comments"] = [
        {"name": n, "body": b, "created_at": c}
        for n, b, c in _records(data["comments"])
    ]
    return _json(data)


def incident_list(request: HttpRequest) -> HttpResponse:
    """The first page of published incidents with place, actors and figure ranges."""
    t = _tables()
    columns = {
        "id": "i.id",
        "title": "i.title",
        "slug": "i.slug",
        "kind": "i.kind",
        "sub_kind": "i.sub_kind",
        "summary": "i.summary",
        "start_date": "i.start_date",
        "end_date": "i.end_date",
        "date_precision": "i.date_precision",
        "verification": "i.verification",
        "place_id": "pl.id",
        "place_name": "pl.name",
        "place_kind": "pl.kind",
        "place_admin1": "pl.admin1",
        "place_country": "pl.country",
        "place_latitude": "pl.latitude",
        "place_longitude": "pl.longitude",
        "place_geo_precision": "pl.geo_precision",
        "actors": _list_of(
            "SELECT "
            + _join("ac.id", "ac.name", "ac.kind", "ia.role", "ia.note")
            + f" AS v FROM {t['incident_actor']} ia JOIN {t['actor']} ac "
            "ON ac.id = ia.actor_id WHERE ia.incident_id = i.id "
            "ORDER BY ia.role, ac.name"
        ),
        "figure_ranges": _list_of(
            "SELECT "
            + _join(
                "f.metric",
                'f."group"',
                "MIN(f.low)",
                "MAX(f.high)",
                "COUNT(*)",
                "COUNT(DISTINCT f.claimant)",
            )
            + f" AS v FROM {t['figure']} f LEFT JOIN {t['article']} fa "
            "ON fa.id = f.article_id WHERE f.incident_id = i.id AND "
            "(f.article_id IS NULL OR (fa.status = 'published' AND fa.publish_at <= %s)) "
            'GROUP BY f.metric, f."group" ORDER BY f.metric, f."group"'
        ),
        "articles": _list_of(
            f"SELECT ia.article_id AS v FROM {t['incident_article']} ia "
            f"CROSS JOIN {t['article']} a WHERE a.id = ia.article_id "
            "AND ia.incident_id = i.id "
            "AND a.status = 'published' AND a.publish_at <= %s "
            "ORDER BY a.publish_at DESC"
        ),
    }
    sql = _select(
        columns,
        f"FROM (SELECT p.id FROM {t['incident']} p WHERE p.status = 'published' "
        "ORDER BY p.start_date DESC, p.id DESC LIMIT %s) page "
        f"JOIN {t['incident']} i ON i.id = page.id "
        f"LEFT JOIN {t['place']} pl ON pl.id = i.place_id "
        "ORDER BY i.start_date DESC, i.id DESC",
    )
    now = timezone.now()
    rows = _fetch(sql, [now, now, _page_size(request)])
    results = []
    for row in rows:
        data = dict(zip(columns, row, strict=True))
        place = {
            key.removeprefix("place_"): data.pop(key)
            for key in list(data)
            if key.startswith("place_")
        }
        data["place"] = place if place["id"] else None
        data["actors"] = [
            {"id": int(pk), "name": n, "kind": k, "role": r, "note": note}
            for pk, n, k, r, note in _records(data["actors"])
        ]
        data["figure_ranges"] = [
            {
                "metric": m,
                "group": g,
                "low": int(lo),
                "high": int(hi),
                "claims": int(c),
                "claimants": int(cl),
            }
            for m, g, lo, hi, c, cl in _records(data["figure_ranges"])
        ]
        data["articles"] = [int(pk) for pk in _split(data["articles"])]
        results.append(data)
    return _json({"results": results})
