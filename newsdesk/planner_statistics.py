"""The query planner's statistics for the embedded SQLite database.

SQLite plans without statistics until something runs ANALYZE, and Django never
does. Without them every index looks selective: asked for the published
articles whose key is among a search's few matches, SQLite walks the whole
(status, publish time) index and tests each key against the matches, instead
of looking the few keys up (one search at 100,000 articles: 30 ms against
under 1 ms). So the app keeps them itself, as SQLite advises: a full ANALYZE
after every `migrate` (each deploy), and `PRAGMA optimize` from the
`publish_due` command cron runs every minute, which re-analyses the tables
that need it.

Statistics of a newsroom still small (fewer than MIN_ARTICLES articles: a new
site, the test suite) are not taken: they would describe nearly empty tables
and steer the planner wrong as the archive grows, while without them any plan
is fast on so few rows. PostgreSQL's autovacuum keeps its own statistics;
nothing is done there.
"""

from __future__ import annotations

from django.db import connections

MIN_ARTICLES = 1000


def analyze(using: str = "default") -> bool:
    """Take fresh statistics of every table (SQLite); True when it did."""
    return _on_sqlite(using, "ANALYZE")


def optimize(using: str = "default") -> bool:
    """Refresh the statistics of the tables that need it (SQLite); True when run."""
    return _on_sqlite(using, "PRAGMA optimize")


def _on_sqlite(using: str, statement: str) -> bool:
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        # Not through the model: a migration back may have removed the table.
        if "newsdesk_article" not in connection.introspection.table_names(cursor):
            return False
        cursor.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM newsdesk_article LIMIT %s)",
            [MIN_ARTICLES],
        )
        if cursor.fetchone()[0] < MIN_ARTICLES:
            return False
        cursor.execute(statement)
    return True
