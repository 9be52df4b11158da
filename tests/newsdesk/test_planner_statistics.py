"""SQLite's planner statistics: taken after `migrate`, refreshed by `publish_due`."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsdesk import planner_statistics
from newsdesk.models import Article
from newsdesk.search import newest_matches
from tests.factories import ArticleFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="SQLite keeps no statistics itself"
    ),
]


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(row[-1] for row in cursor.fetchall())


def _statistics_table_exists(cursor) -> bool:
    cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
    return cursor.fetchone() is not None


def _statistics_of(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        if not _statistics_table_exists(cursor):
            return []
        cursor.execute("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = %s", [table])
        return cursor.fetchall()


def _forget_statistics() -> None:
    with connection.cursor() as cursor:
        if _statistics_table_exists(cursor):
            cursor.execute("DELETE FROM sqlite_stat1")
            cursor.execute("ANALYZE sqlite_schema")  # the planner reloads them


def test_with_statistics_a_search_looks_its_matches_up_by_key():
    # More articles than a search's window of matches (SQLITE_WINDOW), so
    # looking the matches up by key is cheaper than walking the index.
    _articles(6000)
    hasaka = ArticleFactory(published=True, headline="Prison break in Hasaka")
    reports = Article.objects.filter(slug__startswith="report-").values_list(
        "pk", flat=True
    )
    # What a misspelt word's count asks: no article holds the word.
    counted = newest_matches("prisn").order_by().values_list("pk")[:41]

    _forget_statistics()
    # Without statistics every index looks selective: SQLite walks the
    # published articles' index and tests each one against the matches.
    assert "article_status_pub_idx" in _plan(counted)

    assert planner_statistics.analyze()
    assert _statistics_of("newsdesk_article")
    plan = _plan(counted)
    assert "INTEGER PRIMARY KEY" in plan
    assert "article_status_pub_idx" not in plan
    assert list(counted) == []
    found = set(newest_matches("prison").values_list("pk", flat=True))
    assert hasaka.pk in found
    assert not found & set(reports)


def _articles(count: int) -> None:
    template = ArticleFactory(published=True, body="Nothing in common here.")
    Article.objects.bulk_create(
        Article(
            headline=f"Report {n}",
            slug=f"report-{n}",
            body=template.body,
            status=template.status,
            publish_at=template.publish_at,
            language=template.language,
            source=template.source,
        )
        for n in range(count)
    )


def test_migrate_takes_fresh_statistics():
    _articles(planner_statistics.MIN_ARTICLES)
    _forget_statistics()
    assert _statistics_of("newsdesk_article") == []
    call_command("migrate", verbosity=0, interactive=False)
    assert _statistics_of("newsdesk_article")


def test_a_small_newsroom_is_left_without_statistics():
    # They would describe nearly empty tables and mislead the planner later.
    _articles(planner_statistics.MIN_ARTICLES - 10)
    _forget_statistics()
    call_command("migrate", verbosity=0, interactive=False)
    assert not planner_statistics.analyze()
    assert not planner_statistics.optimize()
    assert _statistics_of("newsdesk_article") == []


def test_publish_due_asks_sqlite_to_refresh_what_needs_it(monkeypatch):
    monkeypatch.setattr(planner_statistics, "MIN_ARTICLES", 1)
    ArticleFactory(published=True)
    with CaptureQueriesContext(connection) as queries:
        call_command("publish_due", stdout=None)
    assert any(q["sql"] == "PRAGMA optimize" for q in queries)
