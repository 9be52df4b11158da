"""Full-text search over published articles; the site and the API share it.

PostgreSQL ranks against the stored, weighted `search_vector` column (GIN
index, kept current by triggers); SQLite queries an FTS5 table kept in step by
triggers. `search_articles()` picks by database vendor. Both engines see the
same words: text is split at every punctuation mark, stop words are kept,
accents folded, English words stemmed; both get the same parsed phrases.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import (
    BooleanField,
    Expression,
    FloatField,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import RawSQL
from django.utils.html import escape

from newsdesk.models import Article

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
# Made by migration 0006: English stemming, no stop words, accents folded.
SEARCH_CONFIG = "newsdesk_english"
FTS_TABLE = "newsdesk_article_fts"
SNIPPET_LENGTH = 240
# Only this many of the most recent matches are ranked: ranking every match of
# a common word in a large archive costs seconds, the newest few hundred
# hold what readers look for.
SEARCH_CANDIDATES = 500
# More index matches than this and a word is common: see article_match().
COMMON_MATCHES = 1_000
# On SQLite, a word is looked for among this many of the matching rows last
# added to the index (newest articles first, as they are added in time order).
SQLITE_WINDOW = 5000

_TOKEN_RE = re.compile(r'(-?)"([^"]*)"|(-?)([^\s"]+)')
# Letters and digits: the underscore splits words, as in both indexes.
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)


def validate_query(query: str) -> str:
    """Return the trimmed query; raise ValidationError when it is too long."""
    query = (query or "").strip()
    if len(query) > MAX_QUERY_LENGTH:
        raise ValidationError(
            f"Search for at most {MAX_QUERY_LENGTH} characters.", code="query_too_long"
        )
    return query


def parse_query(query: str) -> tuple[list[str], list[str]]:
    """Split a web-style query into (wanted, excluded) phrases of plain words.

    `"islamic state" prison -syria` gives (["islamic state", "prison"], ["syria"]).
    Words are reduced to letters and digits, so no operator syntax survives.
    """
    wanted: list[str] = []
    excluded: list[str] = []
    for match in _TOKEN_RE.finditer(query):
        negate = bool(match.group(1) or match.group(3))
        raw = match.group(2) if match.group(2) is not None else match.group(4)
        words = _WORD_RE.findall(raw)
        if not words:
            continue
        phrase = " ".join(words)
        if not negate and phrase.lower() == "or":
            continue
        (excluded if negate else wanted).append(phrase)
    return wanted[:MAX_TERMS], excluded[:MAX_TERMS]


def search_articles(
    query: str,
    queryset: QuerySet[Article] | None = None,
    *,
    candidates: int | None = SEARCH_CANDIDATES,
) -> QuerySet[Article]:
    """Published articles matching `query`, best first, annotated with `search_rank`.

    `queryset` narrows the candidates (default: all published articles). Only
    the `candidates` most recent matches are ranked (None: every match).
    Raises ValidationError for an over-long query; an empty query matches nothing.
    """
    query = validate_query(query)
    if queryset is None:
        queryset = Article.objects.published()
    wanted, excluded = parse_query(query)
    if not wanted:
        return queryset.none()
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        return _search_postgresql(queryset, wanted, excluded, candidates)
    if vendor == "sqlite":
        return _search_sqlite(queryset, wanted, excluded, candidates)
    return _search_fallback(queryset, wanted, excluded)


def recent_matches(
    query: str, queryset: QuerySet[Article] | None = None, *, limit: int
) -> list[int]:
    """Ids of the `limit` most recently published articles of `queryset` (default:
    every published article) matching `query`, newest first; one query, unranked.
    """
    ordered = newest_matches(query, queryset).values_list("pk", flat=True)
    return list(ordered[:limit])


def newest_matches(
    query: str, queryset: QuerySet[Article] | None = None
) -> QuerySet[Article]:
    """The articles of `queryset` (default: every published article) matching
    `query`, most recently published first, unranked; slice it to a few.

    On PostgreSQL the planner walks the publish-time index for a common word
    and the text index for a rare one. On SQLite they are chosen among the
    SQLITE_WINDOW matches last added to the index: listing every match of a
    word found in most articles costs more than the rest of the page.
    """
    query = validate_query(query)
    if queryset is None:
        queryset = Article.objects.published()
    wanted, excluded = parse_query(query)
    if not wanted:
        return queryset.none()
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        matching = queryset.alias(_search_vector=_StoredSearchVector()).filter(
            _search_vector=phrases_query(wanted, excluded)
        )
    elif vendor == "sqlite":
        matching = queryset.filter(
            pk__in=fts_rowids(FTS_TABLE, wanted, excluded, window=SQLITE_WINDOW)
        )
    else:
        matching = _search_fallback(queryset, wanted, excluded)
    return matching.order_by("-publish_at", "-id")


def articles_matching(query: str, queryset: QuerySet[Article]) -> QuerySet[Article]:
    """`queryset` narrowed to the articles the index matches for `query`, unranked.

    In any status (the index covers drafts too), for lists that keep their own order.
    """
    condition = article_match(query, queryset.db)
    return queryset.none() if condition is None else queryset.filter(condition)


def article_match(query: str, using: str = "default") -> Expression | Q | None:
    """The condition "the index matches this article for `query`", to combine in a Q.

    None when the query holds no word. Raises ValidationError when it is too long.
    """
    query = validate_query(query)
    wanted, excluded = parse_query(query)
    if not wanted:
        return None
    vendor = connections[using].vendor
    if vendor == "postgresql":
        from django.contrib.postgres.search import SearchVectorExact

        matches = SearchVectorExact(
            _StoredSearchVector(), phrases_query(wanted, excluded)
        )
        # Combined with other conditions in an OR, the match is tested row by
        # row: quick while it finds a page early (a common word), seconds for
        # a rare one, which scans every row. One capped look at the index tells
        # them apart; a rare word's few matches are then read from the index.
        found = Article.objects.using(using).filter(matches).order_by()
        if found[:COMMON_MATCHES].count() < COMMON_MATCHES:
            return Q(pk__in=found.values("pk"))
        return matches
    if vendor == "sqlite":
        match = fts_match_expression(wanted, excluded)
        with connections[using].cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM (SELECT rowid FROM {FTS_TABLE} "
                f"WHERE {FTS_TABLE} MATCH %s LIMIT %s)",
                [match, COMMON_MATCHES],
            )
            (found,) = cursor.fetchone()
        if found < COMMON_MATCHES:
            return _InIndex(match, lead=True)
        return _InIndex(match)
    return Q(
        pk__in=_search_fallback(Article.objects.all(), wanted, excluded).values("pk")
    )


class _InIndex(Expression):
    """SQLite: the article's key is among the FTS table's matches.

    A rare word's few matches (`lead`) are read from the index first, and the
    list's rows looked up by key: walking the list in its order would test
    every article to find none.

    A common word matches most of the archive: the list is read in its own
    index's order (the unary plus keeps the planner from starting at the
    matches), testing each key, and what it is tested against stays small.
    Listing every match for the test costs as much as the archive is large
    (100,000 keys, about 80 ms); instead the key is looked for among the
    `SQLITE_WINDOW` matches with the highest keys, and a key below all of them
    (an old article, updated since) is asked of the index alone. Every match
    is found either way: the window holds every match above its lowest key.
    The articles last updated are mostly the newest, so the page is found
    within the window and the index is seldom asked key by key.
    """

    conditional = True

    def __init__(self, match: str, *, lead: bool = False) -> None:
        super().__init__(output_field=BooleanField())
        self.match = match
        self.lead = lead

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        pk = connection.ops.quote_name(Article._meta.pk.column)
        key = f"{alias}.{pk}"
        matches = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
        if self.lead:
            return f"({key} IN ({matches}))", [self.match]
        window = f"{matches} ORDER BY rowid DESC LIMIT {int(SQLITE_WINDOW)}"
        return (
            f"((+{key} IN ({window})) OR ({key} < (SELECT MIN(rowid) FROM "
            f"({window})) AND EXISTS (SELECT 1 FROM {FTS_TABLE} WHERE "
            f"{FTS_TABLE} MATCH %s AND rowid = {key})))",
            [self.match, self.match, self.match],
        )


def _most_recent(
    queryset: QuerySet[Article], matching: QuerySet[Article], candidates: int | None
) -> QuerySet[Article]:
    """`queryset` narrowed to the `candidates` most recent rows of `matching`."""
    if candidates is None:
        return matching
    recent = matching.order_by("-publish_at", "-id").values("pk")[:candidates]
    return queryset.filter(pk__in=recent)


# --- PostgreSQL --------------------------------------------------------------


class _StoredSearchVector(Expression):
    """The trigger-maintained `search_vector` column of the article table."""

    def __init__(self) -> None:
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(output_field=SearchVectorField())

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.search_vector", []


def phrases_query(wanted: list[str], excluded: list[str]):
    """Every wanted phrase and none of the excluded ones, as SQLite's MATCH says."""
    from django.contrib.postgres.search import SearchQuery

    def phrase(text: str) -> SearchQuery:
        return SearchQuery(text, search_type="phrase", config=SEARCH_CONFIG)

    search_query = phrase(wanted[0])
    for text in wanted[1:]:
        search_query &= phrase(text)
    for text in excluded:
        search_query &= ~phrase(text)
    return search_query


def _search_postgresql(
    queryset: QuerySet[Article],
    wanted: list[str],
    excluded: list[str],
    candidates: int | None,
) -> QuerySet[Article]:
    from django.contrib.postgres.search import SearchRank

    search_query = phrases_query(wanted, excluded)
    vector = _StoredSearchVector()
    matching = queryset.alias(_search_vector=vector).filter(_search_vector=search_query)
    return (
        _most_recent(queryset, matching, candidates)
        .annotate(search_rank=SearchRank(vector, search_query))
        .order_by("-search_rank", "-publish_at", "-id")
    )


# --- SQLite ------------------------------------------------------------------


def _fts_quote(phrase: str) -> str:
    return '"' + phrase.replace('"', '""') + '"'


def fts_match_expression(wanted: Iterable[str], excluded: Iterable[str] = ()) -> str:
    """An FTS5 MATCH expression made only of quoted phrases: no user operators."""
    expression = " AND ".join(_fts_quote(p) for p in wanted)
    for phrase in excluded:
        expression += f" NOT {_fts_quote(phrase)}"
    return expression


def fts_rowids(
    table: str,
    wanted: Iterable[str],
    excluded: Iterable[str],
    *,
    window: int | None = None,
) -> RawSQL:
    """The rowids of the FTS5 `table` matching the phrases, as a subquery;
    with `window`, only the matches among that many last-added rows."""
    expression = fts_match_expression(wanted, excluded)
    if window is None:
        return RawSQL(
            f"SELECT rowid FROM {table} WHERE {table} MATCH %s", (expression,)
        )
    # FTS5 reads its list of matches backwards and stops at the limit.
    return RawSQL(
        f"SELECT rowid FROM {table} WHERE {table} MATCH %s "
        "ORDER BY rowid DESC LIMIT %s",
        (expression, window),
    )


def sqlite_table_exists(cursor, name: str) -> bool:
    cursor.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [name]
    )
    return cursor.fetchone() is not None


class _IndexMatch(Expression):
    """Joins each article to its row of the FTS table, which must match `match`."""

    # The FTS table is listed in FROM once, so one MATCH serves every row and
    # bm25() reads each word's statistics once; a MATCH in a subquery per
    # article re-reads the whole list of matches for every row. `rowid + 0`
    # keeps SQLite from probing the index article by article, and the unary
    # plus applies `among` to the matches before any article row is read.
    conditional = True

    def __init__(
        self,
        match: str,
        among: QuerySet[Article] | None = None,
        *,
        window: int | None = None,
    ) -> None:
        super().__init__(output_field=BooleanField())
        self.match = match
        self.among = Subquery(among.values("pk")) if among is not None else None
        self.window = window

    def get_source_expressions(self) -> list:
        return [self.among]

    def set_source_expressions(self, exprs) -> None:
        (self.among,) = exprs

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        pk = connection.ops.quote_name(Article._meta.pk.column)
        sql = f"{FTS_TABLE} MATCH %s AND {FTS_TABLE}.rowid + 0 = {alias}.{pk}"
        params = [self.match]
        if self.among is not None:
            among_sql, among_params = compiler.compile(self.among)
            sql += f" AND +{FTS_TABLE}.rowid IN {among_sql}"
            params.extend(among_params)
        if self.window is not None:
            # The candidates are among the window's rows: the index is read
            # from the window's lowest rowid on, not from its first match.
            sql += (
                f" AND {FTS_TABLE}.rowid >= COALESCE((SELECT rowid FROM "
                f"{FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rowid DESC "
                "LIMIT 1 OFFSET %s), 0)"
            )
            params.extend([self.match, self.window - 1])
        return f"({sql})", params


def _search_sqlite(
    queryset: QuerySet[Article],
    wanted: list[str],
    excluded: list[str],
    candidates: int | None,
) -> QuerySet[Article]:
    match = fts_match_expression(wanted, excluded)
    among = window = None
    if candidates is not None:
        # As newest_matches(): the candidates are the most recently published
        # of the matches among the SQLITE_WINDOW last added to the index.
        # Sorting every match of a word found in most articles by date, and
        # reading the index from its first match, cost more than the ranking.
        window = SQLITE_WINDOW
        among = queryset.filter(
            pk__in=fts_rowids(FTS_TABLE, wanted, excluded, window=window)
        ).order_by("-publish_at", "-id")[:candidates]
    # bm25 is lower for better matches; weights follow headline, standfirst,
    # body, people, source.
    rank = RawSQL(
        f"-bm25({FTS_TABLE}, 10.0, 4.0, 1.0, 4.0, 4.0)", (), output_field=FloatField()
    )
    return (
        queryset.extra(tables=[FTS_TABLE])
        .filter(_IndexMatch(match, among, window=window))
        .annotate(search_rank=rank)
        .order_by("-search_rank", "-publish_at", "-id")
    )


def _search_fallback(
    queryset: QuerySet[Article], wanted: list[str], excluded: list[str]
) -> QuerySet[Article]:
    from django.db.models import Q, Value

    for phrase in wanted:
        queryset = queryset.filter(
            Q(headline__icontains=phrase)
            | Q(standfirst__icontains=phrase)
            | Q(body__icontains=phrase)
            | Q(authors__name__icontains=phrase)
            | Q(source__name__icontains=phrase)
        )
    for phrase in excluded:
        queryset = queryset.exclude(
            Q(headline__icontains=phrase) | Q(body__icontains=phrase)
        )
    return (
        queryset.distinct()
        .annotate(search_rank=Value(1.0, output_field=FloatField()))
        .order_by("-publish_at", "-id")
    )


_SQLITE_REINDEX = """
DELETE FROM newsdesk_article_fts WHERE rowid IN (
  SELECT a.id FROM newsdesk_article a WHERE {where});
INSERT INTO newsdesk_article_fts(rowid, headline, standfirst, body, people, source)
SELECT a.id, a.headline, a.standfirst, a.body,
  (SELECT group_concat(p.name, ' ') FROM newsdesk_articleauthor aa
     JOIN newsdesk_person p ON p.id = aa.person_id WHERE aa.article_id = a.id),
  (SELECT s.name FROM newsdesk_source s WHERE s.id = a.source_id)
FROM newsdesk_article a WHERE {where};
"""

SQLITE_TRIGGERS = {
    "newsdesk_article_fts_ai": ("AFTER INSERT ON newsdesk_article", "a.id = NEW.id"),
    "newsdesk_article_fts_au": (
        "AFTER UPDATE OF headline, standfirst, body, source_id ON newsdesk_article",
        "a.id = NEW.id",
    ),
    "newsdesk_articleauthor_fts_ai": (
        "AFTER INSERT ON newsdesk_articleauthor",
        "a.id = NEW.article_id",
    ),
    "newsdesk_articleauthor_fts_au": (
        "AFTER UPDATE ON newsdesk_articleauthor",
        "a.id IN (OLD.article_id, NEW.article_id)",
    ),
    "newsdesk_articleauthor_fts_ad": (
        "AFTER DELETE ON newsdesk_articleauthor",
        "a.id = OLD.article_id",
    ),
    "newsdesk_person_fts_au": (
        "AFTER UPDATE OF name ON newsdesk_person",
        "a.id IN (SELECT article_id FROM newsdesk_articleauthor WHERE person_id = NEW.id)",
    ),
    "newsdesk_source_fts_au": (
        "AFTER UPDATE OF name ON newsdesk_source",
        "a.source_id = NEW.id",
    ),
}
SQLITE_DELETE_TRIGGER = (
    "newsdesk_article_fts_ad",
    "CREATE TRIGGER IF NOT EXISTS newsdesk_article_fts_ad AFTER DELETE ON "
    "newsdesk_article BEGIN DELETE FROM newsdesk_article_fts WHERE rowid = OLD.id; END",
)


def _statements(sql: str) -> list[str]:
    return [part.strip() for part in sql.split(";") if part.strip()]


def sqlite_triggers_drop(using: str = "default") -> None:
    """Remove the FTS triggers, so that migrations may rebuild the tables they name."""
    conn = connections[using]
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as cursor:
        for name in [*SQLITE_TRIGGERS, SQLITE_DELETE_TRIGGER[0]]:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def sqlite_index_install(using: str = "default") -> None:
    """Create the FTS triggers when missing and rebuild the whole index."""
    conn = connections[using]
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as cursor:
        if not sqlite_table_exists(cursor, FTS_TABLE):
            return
        for name, (event, where) in SQLITE_TRIGGERS.items():
            body = _SQLITE_REINDEX.format(where=where).strip()
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {name} {event} BEGIN {body} END"
            )
        cursor.execute(SQLITE_DELETE_TRIGGER[1])
        cursor.execute(f"DELETE FROM {FTS_TABLE}")
        for statement in _statements(_SQLITE_REINDEX.format(where="1 = 1")):
            cursor.execute(statement)


# --- Snippets ----------------------------------------------------------------

_MARKDOWN_NOISE_RE = re.compile(
    r"\]\([^)\s]*\)|^\s*(?:[-+*]|\d+[.)])\s+|[*_`\[\]|]+|^\s*[#>]+|\s+",
    re.MULTILINE,
)


def plain_text(*markdown: str) -> str:
    """Markdown texts as one plain line: no markup, list markers or link targets."""
    text = "\n\n".join(filter(None, markdown))
    return _MARKDOWN_NOISE_RE.sub(" ", text).strip()


def _plain_text(article: Article) -> str:
    return plain_text(article.standfirst, article.body)


@functools.lru_cache(maxsize=64)
def _term_pattern(query: str) -> re.Pattern[str] | None:
    wanted, _ = parse_query(query)
    words = sorted({w for phrase in wanted for w in _WORD_RE.findall(phrase)}, key=len)
    words = [w for w in words if len(w) > 1 or w.isdigit()]
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in reversed(words))
    return re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE | re.UNICODE)


def highlight(text: str, query: str, *, length: int = SNIPPET_LENGTH) -> str:
    """A window of `text` around the first match, escaped, matches in <mark>."""
    pattern = _term_pattern(query)
    first = pattern.search(text) if pattern else None
    start = 0
    if first and first.start() > length // 3:
        start = text.rfind(" ", 0, first.start() - length // 3) + 1
    window = text[start : start + length]
    if start + length < len(text):
        cut = window.rfind(" ")
        window = window[: cut if cut > length // 2 else len(window)]
    pieces: list[str] = ["…" if start else ""]
    position = 0
    if pattern:
        for match in pattern.finditer(window):
            pieces.append(escape(window[position : match.start()]))
            pieces.append(f"<mark>{escape(match.group(0))}</mark>")
            position = match.end()
    pieces.append(escape(window[position:]))
    if start + len(window) < len(text):
        pieces.append("…")
    return "".join(pieces)


def markdown_snippet(markdown: str, query: str, *, length: int = SNIPPET_LENGTH) -> str:
    """`highlight()` of a Markdown text made plain, reading only its start.

    Only the text up to a little past the first match is made plain: the
    snippet never shows more, and cleaning a long body costs more than the rest.
    """
    pattern = _term_pattern(query)
    first = pattern.search(markdown) if pattern else None
    end = (first.start() if first else 0) + 2 * length
    text = " ".join(plain_text(markdown[:end]).split())
    snippet = highlight(text, query, length=length)
    if end < len(markdown) and not snippet.endswith("…"):
        snippet += "…"
    return snippet


def search_snippets(articles: Iterable[Article], query: str) -> dict[int, str]:
    """Highlighted, HTML-escaped snippets by article id; only <mark> is markup."""
    return {article.pk: highlight(_plain_text(article), query) for article in articles}
