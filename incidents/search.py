"""Full-text search over incidents' titles and summaries, as articles are searched.

Queries are parsed by `newsdesk.search` (phrases, `-excluded`, no operators) and
matched on whole, stemmed words: PostgreSQL through a GIN-indexed weighted
vector in the articles' text search configuration, SQLite through an FTS5
table with the articles' tokenizer, kept in step by triggers installed after
every `migrate` (and dropped before it, like the articles' ones).
"""

from __future__ import annotations

from django.db import connections
from django.db.models import Q, QuerySet

from incidents.models import Incident
from newsdesk.search import (
    SEARCH_CONFIG,
    fts_rowids,
    parse_query,
    phrases_query,
    sqlite_table_exists,
    validate_query,
)

FTS_TABLE = "incidents_incident_fts"
SEARCH_INDEX = "incidents_incident_search_gin"


def search_vector():
    """Title (weight A) and summary (B); the migration indexes this very expression."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector("title", weight="A", config=SEARCH_CONFIG) + SearchVector(
        "summary", weight="B", config=SEARCH_CONFIG
    )


def incidents_matching(query: str, queryset: QuerySet[Incident]) -> QuerySet[Incident]:
    """`queryset` narrowed to incidents whose title or summary match `query`.

    Unranked, so lists keep their own order; an empty query matches nothing and
    an over-long one raises ValidationError.
    """
    wanted, excluded = parse_query(validate_query(query))
    if not wanted:
        return queryset.none()
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        return queryset.alias(_search=search_vector()).filter(
            _search=phrases_query(wanted, excluded)
        )
    if vendor == "sqlite":
        return queryset.filter(pk__in=fts_rowids(FTS_TABLE, wanted, excluded))
    for text in wanted:
        queryset = queryset.filter(
            Q(title__icontains=text) | Q(summary__icontains=text)
        )
    for text in excluded:
        queryset = queryset.exclude(
            Q(title__icontains=text) | Q(summary__icontains=text)
        )
    return queryset


# --- SQLite index ------------------------------------------------------------

_SQLITE_TRIGGERS = {
    "incidents_incident_fts_ai": (
        "AFTER INSERT ON incidents_incident",
        "INSERT INTO {fts}(rowid, title, summary) VALUES (NEW.id, NEW.title, NEW.summary);",
    ),
    "incidents_incident_fts_au": (
        "AFTER UPDATE OF title, summary ON incidents_incident",
        "DELETE FROM {fts} WHERE rowid = OLD.id; "
        "INSERT INTO {fts}(rowid, title, summary) VALUES (NEW.id, NEW.title, NEW.summary);",
    ),
    "incidents_incident_fts_ad": (
        "AFTER DELETE ON incidents_incident",
        "DELETE FROM {fts} WHERE rowid = OLD.id;",
    ),
}


def sqlite_triggers_drop(using: str = "default") -> None:
    """Remove the triggers, so that migrations may rebuild the incident table."""
    conn = connections[using]
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as cursor:
        for name in _SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def sqlite_index_install(using: str = "default") -> None:
    """Create the triggers when missing and rebuild the whole index."""
    conn = connections[using]
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as cursor:
        if not sqlite_table_exists(cursor, FTS_TABLE):
            return
        for name, (event, body) in _SQLITE_TRIGGERS.items():
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {name} {event} "
                f"BEGIN {body.format(fts=FTS_TABLE)} END"
            )
        cursor.execute(f"DELETE FROM {FTS_TABLE}")
        cursor.execute(
            f"INSERT INTO {FTS_TABLE}(rowid, title, summary) "
            "SELECT id, title, summary FROM incidents_incident"
        )
