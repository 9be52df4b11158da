"""The article list at archive scale: its date links, its counts and its pages."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from newsdesk.admin.articles import ArticleAdmin
from newsdesk.admin.lists import ArticleListPaginator
from newsdesk.models import Article
from tests import factories as f
from tests.query_plans import require_sqlite, sqlite_plans

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:newsdesk_article_changelist"


def _published(year, month, day, hour=12, **kwargs):
    moment = datetime.datetime(year, month, day, hour, tzinfo=datetime.UTC)
    return f.ArticleFactory(
        status="published", publish_at=moment, first_published_at=moment, **kwargs
    )


def _choices(client, **params):
    cache.clear()  # the links are cached for a few minutes; work them out anew
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(CHANGELIST), params)
    assert response.status_code == 200
    sql = " ".join(q["sql"].lower() for q in queries.captured_queries)
    # No scan that truncates every row's time (SQLite runs it in Python).
    assert "trunc" not in sql
    html = response.content.decode()
    start = html.index('<nav class="toplinks">')
    return html[start : html.index("</nav>", start)]


def test_date_links_name_the_years_months_and_days_that_have_articles(
    editor_client, settings
):
    settings.TIME_ZONE = "Europe/Berlin"
    _published(2019, 3, 4)
    _published(2021, 7, 9)
    _published(2021, 7, 30)
    # 23:30 UTC on New Year's Eve is 00:30 in Berlin: 2022 in the newsroom.
    _published(2021, 12, 31, hour=23, headline="New Year")
    f.ArticleFactory()  # a draft without a publish time is in no year

    years = _choices(editor_client)
    assert "publish_at__year=2019" in years and "publish_at__year=2021" in years
    assert "publish_at__year=2020" not in years  # nothing published that year
    assert "publish_at__year=2022" in years
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    with timezone.override(berlin):
        stock = [d.year for d in Article.objects.datetimes("publish_at", "year")]
    assert stock == [2019, 2021, 2022]

    months = _choices(editor_client, publish_at__year=2021)
    assert "publish_at__month=7" in months
    assert "publish_at__month=12" not in months  # that one is 2022 in Berlin
    assert "publish_at__month=3" not in months

    days = _choices(editor_client, publish_at__year=2021, publish_at__month=7)
    assert "publish_at__day=9" in days and "publish_at__day=30" in days
    assert "publish_at__day=10" not in days


def test_date_links_follow_the_filters(editor_client):
    _published(2019, 3, 4, language="ar")
    _published(2021, 7, 9, language="en")
    arabic = _choices(editor_client, language="ar")
    assert "publish_at__year=2021" not in arabic
    # One year only: the list opens at its months, as the stock admin does.
    assert "publish_at__month=3" in arabic


def test_a_filtered_list_is_counted_up_to_a_cap(editor_client, monkeypatch):
    monkeypatch.setattr(ArticleListPaginator, "cap", 3)
    f.ArticleFactory.create_batch(5, language="ar")
    f.ArticleFactory(language="en")
    response = editor_client.get(reverse(CHANGELIST), {"language": "ar"})
    assert response.context["cl"].result_count == 3
    assert "more than 3 articles" in response.content.decode()
    unfiltered = editor_client.get(reverse(CHANGELIST))
    html = unfiltered.content.decode()
    assert unfiltered.context["cl"].result_count == 6
    assert "6 articles" in html and "more than 6" not in html and "about 6" not in html


def test_a_filtered_lists_pages_keep_its_order(editor_client, monkeypatch):
    monkeypatch.setattr(ArticleAdmin, "list_per_page", 2)
    articles = f.ArticleFactory.create_batch(5, language="ar")
    f.ArticleFactory(language="en")
    newest_first = sorted(articles, key=lambda a: (a.updated_at, a.pk), reverse=True)
    seen = []
    for page in (1, 2, 3):
        response = editor_client.get(reverse(CHANGELIST), {"language": "ar", "p": page})
        assert response.status_code == 200
        seen += [a.pk for a in response.context["cl"].result_list]
    assert seen == [a.pk for a in newest_first]
    past_the_end = editor_client.get(reverse(CHANGELIST), {"language": "ar", "p": 9})
    assert past_the_end.status_code == 302  # the admin's "page out of range"


def test_filtered_list_queries_do_not_grow_with_the_matches(editor_client):
    def listed() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = editor_client.get(reverse(CHANGELIST), {"language": "ar"})
        assert response.status_code == 200
        return len(queries.captured_queries)

    f.ArticleFactory(language="ar")
    _published(2020, 1, 1, language="ar")
    few = listed()
    f.ArticleFactory.create_batch(55, language="ar", authors=[f.PersonFactory()])
    _published(2023, 5, 1, language="ar")
    assert listed() == few


def test_language_filter_lists_each_language_without_a_scan(editor_client):
    for code in ("en", "ku", "ar", "en", "fr", "ar"):
        f.ArticleFactory(language=code)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = editor_client.get(reverse(CHANGELIST))
    language = next(
        spec
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "parameter_name", None) == "language"
    )
    assert [code for code, _ in language.lookup_choices] == ["ar", "en", "fr", "ku"]
    assert not any(
        "DISTINCT" in q["sql"] and "language" in q["sql"]
        for q in queries.captured_queries
    )


@pytest.mark.parametrize("state", ["live", "draft", "in_review"])
def test_status_filters_read_the_list_in_its_index_order(editor_client, state):
    """On SQLite "Published (live)" read and sorted every live article (about
    95,000 of 100,000) to show the 50 most recently updated; each status filter
    now reads its page from the status and update-time index, sorting nothing."""
    require_sqlite()
    f.ArticleFactory()
    _published(2024, 1, 1)
    cache.clear()
    with sqlite_plans() as plans:
        response = editor_client.get(reverse(CHANGELIST), {"state": state})
    assert response.status_code == 200
    listed = [
        steps
        for sql, steps in plans
        if sql.startswith('SELECT "newsdesk_article"."id" AS "pk" FROM')
        and "ORDER BY" in sql
    ]
    assert listed
    for steps in listed:
        assert any("article_status_updated_idx" in step for step in steps), steps
        assert not any("TEMP B-TREE" in step for step in steps), steps


def test_live_filter_lists_exactly_the_published_articles(editor_client):
    live = _published(2024, 1, 1)
    f.ArticleFactory(scheduled=True)
    f.ArticleFactory()
    f.ArticleFactory(retracted=True)
    response = editor_client.get(reverse(CHANGELIST), {"state": "live"})
    assert [a.pk for a in response.context["cl"].result_list] == [live.pk]
    assert set(Article.objects.published().values_list("pk", flat=True)) == {live.pk}
