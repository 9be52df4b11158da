"""Reads compiled once per process follow the clock, and refuse a frozen "now";
statements PostgreSQL prepares once per connection."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsdesk import prepared
from newsdesk.models import Article
from tests.factories import ArticleFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _published_ids(moment):
    return Article.objects.published(moment).order_by("pk").values_list("pk")


def test_a_prepared_read_runs_again_at_the_current_time(clock):
    live = ArticleFactory(published=True)
    embargoed = ArticleFactory(
        published=True, publish_at=clock.now + datetime.timedelta(hours=1)
    )

    assert prepared.prepared_rows("test-published", _published_ids) == [(live.pk,)]
    compiled = prepared._compiled[("test-published", (), 0)]

    clock.now += datetime.timedelta(hours=2)

    rows = prepared.prepared_rows("test-published", _published_ids)
    assert rows == [(live.pk,), (embargoed.pk,)]
    assert prepared._compiled[("test-published", (), 0)] is compiled


def test_a_prepared_read_whose_gate_took_the_current_time_is_refused():
    def frozen(moment):
        return Article.objects.published().values_list("pk")

    with pytest.raises(ImproperlyConfigured):
        prepared.prepared_rows("test-frozen", frozen)


def _by_author(moment, person_id):
    return (
        Article.objects.published(moment)
        .filter(authors=person_id)
        .order_by("pk")
        .values_list("pk", "updated_at")
    )


def test_a_prepared_read_binds_its_values_on_each_run_and_converts_them():
    first, second = PersonFactory(), PersonFactory()
    mine = ArticleFactory(published=True, authors=[first])
    theirs = ArticleFactory(published=True, authors=[second])

    rows = prepared.prepared_values("test-author", _by_author, bound=(first.pk,))
    assert rows == [(mine.pk, mine.updated_at)]
    assert isinstance(rows[0][1], datetime.datetime)
    # The same compiled shape, another person.
    compiled = prepared._compiled[("test-author", (), 1)]
    rows = prepared.prepared_values("test-author", _by_author, bound=(second.pk,))
    assert rows == [(theirs.pk, theirs.updated_at)]
    assert prepared._compiled[("test-author", (), 1)] is compiled


def test_a_bound_value_that_is_not_one_parameter_is_refused():
    def twice(moment, person_id):
        return Article.objects.published(moment).filter(
            authors=person_id, quotes__person=person_id
        )

    with pytest.raises(ImproperlyConfigured):
        prepared.prepared_values("test-twice", twice, bound=(1,))


def _published_among(moment, words, keys):
    return (
        Article.objects.published(moment).filter(pk__in=keys).order_by("pk")
    ).values_list("pk")


def test_a_keyed_read_binds_each_runs_keys_in_one_shape(clock):
    first, second, third = ArticleFactory.create_batch(3, published=True)
    draft = ArticleFactory(published=False)

    def read(*keys):
        rows = prepared.prepared_read(
            "test-keys", _published_among, keys=[a.pk for a in keys], key_slots=4
        )
        return [pk for (pk,) in rows]

    assert read(first) == [first.pk]
    assert read(second, third) == [second.pk, third.pk]
    assert read(third, draft, first) == [first.pk, third.pk]
    # Up to four keys are one shape: the last key fills the empty slots.
    assert [shape for shape in prepared._compiled if shape[0] == "test-keys"] == [
        ("test-keys", 0, 4, ())
    ]


def test_a_keyed_read_that_does_not_bind_each_key_is_refused():
    def ignores_keys(moment, words, keys):
        return Article.objects.published(moment).values_list("pk")

    with pytest.raises(ImproperlyConfigured):
        prepared.prepared_read("test-unbound-keys", ignores_keys, keys=[1, 2])


def test_keys_that_are_not_integers_are_read_through_the_orm():
    article = ArticleFactory(published=True)

    def by_slug(moment, words, keys):
        return Article.objects.published(moment).filter(slug__in=keys).values_list("pk")

    rows = prepared.prepared_read("test-slugs", by_slug, keys=[article.slug])
    assert rows == [(article.pk,)]
    assert not any(shape[0] == "test-slugs" for shape in prepared._compiled)


# --- Statements prepared by PostgreSQL (server_statement) -------------------


def test_placeholders_are_numbered_and_percent_signs_kept():
    sql = "SELECT %s, 'a%%b' LIKE %s, SUBSTRING(x, %s, %s)"
    assert prepared._numbered(sql) == "SELECT $1, 'a%b' LIKE $2, SUBSTRING(x, $3, $4)"


@pytest.mark.parametrize(
    ("value", "declared"),
    [
        (True, "boolean"),
        (7, "integer"),
        (-(10**12), "bigint"),
        (1.5, "double precision"),
        (datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC), "timestamptz"),
        (datetime.date(2026, 1, 1), "date"),
        ("words", "unknown"),
    ],
)
def test_parameters_are_declared_as_the_driver_would_bind_them(value, declared):
    assert prepared._declared_type(value) == declared


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's PREPARE")
def test_a_read_is_prepared_once_and_then_executed(settings):
    settings.NEWSDESK_SERVER_PREPARED_STATEMENTS = True
    article = ArticleFactory(published=True, headline="Prepared piece")
    sql = 'SELECT "headline" FROM "newsdesk_article" WHERE "id" = %s AND %s LIKE %s'
    first, params = prepared.server_statement("default", sql, [article.pk, "ab", "a%"])
    assert first.startswith("EXECUTE newsdesk_") and params == [article.pk, "ab", "a%"]
    again, _ = prepared.server_statement("default", sql, [article.pk + 1, "x", "y"])
    assert again == first
    with CaptureQueriesContext(connection) as queries, connection.cursor() as cursor:
        cursor.execute(first, params)
        rows = cursor.fetchall()
    assert len(queries) == 1 and queries[0]["sql"].startswith("EXECUTE newsdesk_")
    assert rows == [("Prepared piece",)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's PREPARE")
def test_numbers_are_not_taken_for_text(settings):
    """Untyped, `SUBSTRING(x, $1, $2)` would be the pattern form, and fail."""
    settings.NEWSDESK_SERVER_PREPARED_STATEMENTS = True
    sql = "SELECT SUBSTRING(%s, %s, %s)"
    statement, params = prepared.server_statement("default", sql, ["abcdef", 2, 3])
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        assert cursor.fetchone() == ("bcd",)


def test_off_or_elsewhere_the_sql_is_run_as_it_is(settings):
    settings.NEWSDESK_SERVER_PREPARED_STATEMENTS = False
    sql = "SELECT %s"
    assert prepared.server_statement("default", sql, (1,)) == (sql, [1])
