"""Light reads compiled from the ORM once per process, run again with the current time.

The rows a list page shows (keys and versions) are read on every request
(`newsdesk.http.readmodel`); compiling their querysets costs more than
running them. A prepared read compiles its queryset — built with `published()`
and the other gates at a stand-in moment — once per shape, and each run puts
the current time where the stand-in was. Rows come back as the database
driver gives them (no field converters), good for comparing, not for display;
`prepared_values` gives them the fields' Python types (dates as datetimes),
as `values_list()` would.

A read that matches words (the site search) is prepared once per shape too,
not once per query: `prepared_word_rows` builds it with stand-in words, finds
them again among the compiled parameters (a LIKE pattern, a full-text phrase)
and puts each request's words in their place. Only plain words are bound
(letters, digits and spaces, what `newsdesk.search.parse_query` gives), so a
pattern built around a stand-in needs no escaping of its own. `prepared_read`
binds integer keys the same way (the rows a page shows, looked up by key), a
number of slots per shape filled by repeating the last key.

`server_statement` has PostgreSQL prepare a statement once per connection:
the article page's and the article API's row reads (`newsdesk.article_page`)
are long (a dozen subqueries) and cheap to run, so planning them again on
every request cost more than running them. The reads of this module keep
being planned each time: prepared, they gained nothing measurable, and the
person page lost to a generic plan (bench/README.md).
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import re
import weakref
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone

# Stands for "now" in a prepared query; replaced by the time of each run.
MOMENT = datetime.datetime(1971, 1, 1, 0, 0, 0, 123457, tzinfo=datetime.UTC)
# Shapes kept per process (a read keyed by, say, topic ids has a few).
MAX_SHAPES = 512
_WORDS_RE = re.compile(r"[^\W_]+(?: [^\W_]+)*")
_PLACEHOLDER_RE = re.compile(r"%%|%s")
# Statements PostgreSQL prepared, per driver connection: {sql: name}. Past
# MAX_STATEMENTS on one connection, all are deallocated and prepared again.
_statements: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
MAX_STATEMENTS = 256
# Stand in for values given on each run (`bound`), e.g. a person's id: no row
# has a negative key, and each stand-in must be exactly one parameter.
FIRST_STAND_IN = -(10**12)


@dataclass(frozen=True)
class _Compiled:
    alias: str
    sql: str
    params: tuple
    moment_at: tuple[int, ...]
    # Positions of the bound values' stand-ins, in order.
    bound_at: tuple[int, ...] = ()
    # Per column that has any: (position, converters, expression).
    converters: tuple[tuple[int, tuple, object], ...] = ()
    #: (position, parameter holding stand-ins) of a read of words.
    words_at: tuple[tuple[int, str], ...] = ()


_compiled: dict[tuple, _Compiled] = {}


def _adapted(moment: datetime.datetime, alias: str):
    connection = connections[alias]
    return connection.ops.adapt_datetimefield_value(moment)


def _compile(queryset: QuerySet, bound: int = 0) -> _Compiled:
    alias = queryset.db
    sql, params = queryset.query.sql_with_params()
    moment = _adapted(MOMENT, alias)
    positions = tuple(i for i, value in enumerate(params) if value == moment)
    bound_at = []
    for stand_in in _stand_ins(bound):
        found = [
            i
            for i, value in enumerate(params)
            if type(value) is int and value == stand_in
        ]
        if len(found) != 1:
            raise ImproperlyConfigured(
                f"A prepared read's bound value is not one parameter: {sql[:200]}"
            )
        bound_at.append(found[0])
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
    compiler = queryset.query.get_compiler(alias)
    compiler.setup_query()
    converters = tuple(
        (position, tuple(functions), expression)
        for position, (functions, expression) in compiler.get_converters(
            [column[0] for column in compiler.select]
        ).items()
    )
    return _Compiled(alias, sql, tuple(params), positions, tuple(bound_at), converters)


def _stand_ins(count: int) -> tuple[int, ...]:
    return tuple(FIRST_STAND_IN - i for i in range(count))


def prepared_rows(
    name: str,
    build: Callable[..., QuerySet],
    *args: Hashable,
) -> list[tuple]:
    """The rows of `build(MOMENT, *args)` (a `values_list` queryset) as of now.

    `name` and `args` identify the query's shape; `build` must use its first
    argument wherever its gates take the current time.
    """
    return _run(_prepared(name, build, args))


def prepared_values(
    name: str,
    build: Callable[..., QuerySet],
    *args: Hashable,
    bound: Sequence[int] = (),
) -> list[tuple]:
    """`prepared_rows`, each value converted as the ORM converts its field's.

    `bound` are whole numbers (keys) that vary from run to run without
    changing the query's shape: `build(MOMENT, *args, *stand_ins)` is
    compiled with a stand-in for each, replaced by its value on each run.
    """
    compiled = _prepared(name, build, args, len(bound))
    rows = _run(compiled, bound)
    if not compiled.converters:
        return rows
    connection = connections[compiled.alias]
    converted = []
    for row in rows:
        values = list(row)
        for position, functions, expression in compiled.converters:
            value = values[position]
            for function in functions:
                value = function(value, expression, connection)
            values[position] = value
        converted.append(tuple(values))
    return converted


def _prepared(
    name: str, build: Callable[..., QuerySet], args: tuple, bound: int = 0
) -> _Compiled:
    key = (name, args, bound)
    compiled = _compiled.get(key)
    if compiled is None:
        if len(_compiled) >= MAX_SHAPES:
            _compiled.clear()
        queryset = build(MOMENT, *args, *_stand_ins(bound))
        compiled = _compiled[key] = _compile(queryset, bound)
    return compiled


def server_statement(alias: str, sql: str, params: Sequence) -> tuple[str, list]:
    """`sql` with `params` as the connection to `alias` should run it.

    On PostgreSQL, `EXECUTE` of the statement the server prepared from `sql`
    (the first time this connection ran it): later runs skip parsing and
    planning, which for these reads — long, with a dozen subqueries, and cheap
    to run — cost more than running them. The `PREPARE` goes to the driver's
    connection directly (it is not one of the request's queries); the
    `EXECUTE` is logged and counted like any query. Elsewhere, or with
    `NEWSDESK_SERVER_PREPARED_STATEMENTS` off (a pooler that cannot keep
    prepared statements), `sql` itself.
    """
    connection = connections[alias]
    if connection.vendor != "postgresql" or not getattr(
        settings, "NEWSDESK_SERVER_PREPARED_STATEMENTS", False
    ):
        return sql, list(params)
    connection.ensure_connection()
    driver = connection.connection
    names = _statements.setdefault(driver, {})
    name = names.get(sql)
    if name is None:
        if len(names) >= MAX_STATEMENTS:
            with connection.wrap_database_errors:
                driver.execute("DEALLOCATE ALL")
            names.clear()
        name = f"newsdesk_{hashlib.sha256(sql.encode()).hexdigest()[:24]}"
        types = ", ".join(_declared_type(value) for value in params)
        declared = f" ({types})" if types else ""
        with connection.wrap_database_errors:
            driver.execute(f"PREPARE {name}{declared} AS {_numbered(sql)}")
        names[sql] = name
    if not params:
        return f"EXECUTE {name}", []
    return f"EXECUTE {name}({', '.join(['%s'] * len(params))})", list(params)


def _declared_type(value) -> str:
    """The type a prepared statement declares for a parameter like `value`, as
    the driver would type it when binding it: a number must not be taken for
    text (`SUBSTRING(body, $1, $2)` would match the pattern form). Text and
    anything else is left to the statement's context."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer" if -(2**31) <= value < 2**31 else "bigint"
    if isinstance(value, float):
        return "double precision"
    if isinstance(value, datetime.datetime):
        return "timestamptz" if value.tzinfo is not None else "timestamp"
    if isinstance(value, datetime.date):
        return "date"
    return "unknown"


def _numbered(sql: str) -> str:
    """Django's `%s` placeholders as PostgreSQL's `$1`, `$2`…; `%%` as `%`."""
    numbers = iter(range(1, sql.count("%s") + 2))
    return _PLACEHOLDER_RE.sub(
        lambda match: "%" if match[0] == "%%" else f"${next(numbers)}", sql
    )


def _run(compiled: _Compiled, bound: Sequence[int] = ()) -> list[tuple]:
    params = list(compiled.params)
    if compiled.moment_at:
        now = _adapted(timezone.now(), compiled.alias)
        for position in compiled.moment_at:
            params[position] = now
    for position, value in zip(compiled.bound_at, bound, strict=True):
        params[position] = int(value)
    with connections[compiled.alias].cursor() as cursor:
        cursor.execute(compiled.sql, params)
        return cursor.fetchall()


def stand_in(index: int) -> str:
    """The word standing for the `index`-th word of a prepared read."""
    return f"zqx{index}wordqz"


def prepared_word_rows(
    name: str,
    build: Callable[..., QuerySet],
    words: Sequence[str],
    *args: Hashable,
) -> list[tuple]:
    """The rows of `build(MOMENT, words, *args)` as of now, compiled once per
    `name`, number of words and `args`, whatever the words.

    Words that are not plain (see above) are read through the ORM.
    """
    return prepared_read(
        name,
        lambda moment, words, _keys, *rest: build(moment, words, *rest),
        words=words,
        args=args,
    )


def prepared_read(
    name: str,
    build: Callable[..., QuerySet],
    *,
    words: Sequence[str] = (),
    keys: Sequence[int] = (),
    key_slots: int = 0,
    args: tuple = (),
) -> list[tuple]:
    """The rows of `build(MOMENT, words, keys, *args)` as of now, compiled once
    per `name`, number of words, number of keys and `args`.

    `keys` are integer keys the read looks up (`pk__in=keys`, say: the twenty
    rows a page shows); each run binds its own. With `key_slots`, up to that
    many keys are one shape: the last key is repeated to fill the slots, so
    the read must not count its keys. Words that are not plain, or keys that
    are not integers, are read through the ORM.
    """
    if keys and len(keys) < key_slots:
        keys = [*keys, *[keys[-1]] * (key_slots - len(keys))]
    if not all(_WORDS_RE.fullmatch(word) for word in words) or not all(
        type(key) is int for key in keys
    ):
        return list(build(timezone.now(), list(words), list(keys), *args))
    shape = (name, len(words), len(keys), args)
    compiled = _compiled.get(shape)
    if compiled is None:
        if len(_compiled) >= MAX_SHAPES:
            _compiled.clear()
        stand_ins = [stand_in(i) for i in range(len(words))]
        queryset = build(MOMENT, stand_ins, list(_stand_ins(len(keys))), *args)
        compiled = _with_words(_compile(queryset, len(keys)), stand_ins)
        _compiled[shape] = compiled
    params = list(compiled.params)
    for position, template in compiled.words_at:
        for index, word in enumerate(words):
            template = template.replace(stand_in(index), word)
        params[position] = template
    for position, value in zip(compiled.bound_at, keys, strict=True):
        params[position] = value
    if compiled.moment_at:
        now = _adapted(timezone.now(), compiled.alias)
        for position in compiled.moment_at:
            params[position] = now
    with connections[compiled.alias].cursor() as cursor:
        cursor.execute(compiled.sql, params)
        return cursor.fetchall()


def as_datetime(value, alias: str = "default") -> datetime.datetime | None:
    """A datetime column of a prepared read's row as the ORM gives it (SQLite's
    driver gives text or naive datetimes)."""
    convert = getattr(connections[alias].ops, "convert_datetimefield_value", None)
    if value is None or convert is None:
        return value
    return convert(value, None, None)


def _with_words(compiled: _Compiled, stand_ins: list[str]) -> _Compiled:
    words_at = tuple(
        (i, value)
        for i, value in enumerate(compiled.params)
        if isinstance(value, str) and "wordqz" in value
    )
    bound = {word for word in stand_ins if any(word in v for _, v in words_at)}
    if "wordqz" in compiled.sql or bound != set(stand_ins):
        raise ImproperlyConfigured(
            f"A prepared read did not bind its words: {compiled.sql[:200]}"
        )
    return dataclasses.replace(compiled, words_at=words_at)
