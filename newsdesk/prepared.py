"""Light reads compiled from the ORM once per process, run again with the current time.

The rows a list page shows (keys and versions) are read on every request
(`newsdesk.http.readmodel`); compiling their querysets costs more than
running them. A prepared read compiles its queryset — built with `published()`
and the other gates at a stand-in moment — once per shape, and each run puts
the current time where the stand-in was. Rows come back as the database
driver gives them (no field converters), good for comparing, not for display.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone

# Stands for "now" in a prepared query; replaced by the time of each run.
MOMENT = datetime.datetime(1971, 1, 1, 0, 0, 0, 123457, tzinfo=datetime.UTC)
# Shapes kept per process (a read keyed by, say, topic ids has a few).
MAX_SHAPES = 256


@dataclass(frozen=True)
class _Compiled:
    alias: str
    sql: str
    params: tuple
    moment_at: tuple[int, ...]


_compiled: dict[tuple, _Compiled] = {}


def _adapted(moment: datetime.datetime, alias: str):
    connection = connections[alias]
    return connection.ops.adapt_datetimefield_value(moment)


def _compile(queryset: QuerySet) -> _Compiled:
    alias = queryset.db
    sql, params = queryset.query.sql_with_params()
    moment = _adapted(MOMENT, alias)
    positions = tuple(i for i, value in enumerate(params) if value == moment)
    # A gate given no moment took the current time: kept, it would stand still.
    now = _adapted(timezone.now(), alias)
    if any(
        type(value) is type(now)
        and value != moment
        and str(value)[:13] == str(now)[:13]
        for value in params
    ):
        raise ImproperlyConfigured(
            f"A prepared read compiled the current time in: {sql[:200]}"
        )
    return _Compiled(alias, sql, tuple(params), positions)


def prepared_rows(
    name: str,
    build: Callable[..., QuerySet],
    *args: Hashable,
) -> list[tuple]:
    """The rows of `build(MOMENT, *args)` (a `values_list` queryset) as of now.

    `name` and `args` identify the query's shape; `build` must use its first
    argument wherever its gates take the current time.
    """
    key = (name, args)
    compiled = _compiled.get(key)
    if compiled is None:
        if len(_compiled) >= MAX_SHAPES:
            _compiled.clear()
        compiled = _compiled[key] = _compile(build(MOMENT, *args))
    params = list(compiled.params)
    if compiled.moment_at:
        now = _adapted(timezone.now(), compiled.alias)
        for position in compiled.moment_at:
            params[position] = now
    with connections[compiled.alias].cursor() as cursor:
        cursor.execute(compiled.sql, params)
        return cursor.fetchall()
