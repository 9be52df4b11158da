"""SQLite's plans for the statements a block of code runs.

SQLite keeps no statistics unless someone runs ANALYZE, so its plans follow
from the shape of each query alone; these helpers let tests pin that shape.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection


def require_sqlite() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("a SQLite query plan")


@contextmanager
def sqlite_plans() -> Iterator[list[tuple[str, list[str]]]]:
    """Collect (SQL, plan steps) of every SELECT run inside the block."""
    statements: list[tuple[str, object]] = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    plans: list[tuple[str, list[str]]] = []
    with connection.execute_wrapper(record):
        yield plans
    with connection.cursor() as cursor:
        for sql, params in statements:
            if not sql.lstrip("( ").upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plans.append((sql, [row[-1] for row in cursor.fetchall()]))
