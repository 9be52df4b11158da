"""The database unreachable: 503 with Retry-After, never a 500; stored answers keep serving.

The outage is simulated where a real one surfaces: opening a cursor raises
the `OperationalError` psycopg raises when PostgreSQL refuses or drops the
connection.
"""

from __future__ import annotations

import contextlib
import logging

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client

from newsdesk.middleware import server_error
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

REFUSED = 'connection to server at "127.0.0.1", port 5432 failed: Connection refused'


@contextlib.contextmanager
def database_down(error: type[Exception] = OperationalError):
    """Every new cursor fails as it does while PostgreSQL is away."""

    def refuse(*args, **kwargs):
        raise error(REFUSED)

    wrapper = connection._connections[connection._alias]
    original = wrapper.create_cursor
    wrapper.create_cursor = refuse
    try:
        yield
    finally:
        wrapper.create_cursor = original


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_page_answers_503_with_retry_after(error, settings, caplog):
    settings.NEWSDESK_DATABASE_RETRY_AFTER = 15
    article = ArticleFactory(published=True)
    client = Client(raise_request_exception=False)
    with (
        database_down(error),
        caplog.at_level(logging.WARNING, logger="newsdesk.database"),
    ):
        for url in ("/", article.get_absolute_url(), "/search/?q=prison"):
            response = client.get(url)
            assert response.status_code == 503, url
            assert response["Retry-After"] == "15"
            assert "no-store" in response["Cache-Control"]
            assert "Briefly unavailable" in response.content.decode()
    assert "Database unavailable for GET /" in caplog.text


def test_the_api_answers_503_in_its_error_format():
    client = Client(raise_request_exception=False)
    with database_down():
        response = client.get("/api/v1/articles/?page_size=20")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    body = response.json()
    assert (body["status"], body["code"]) == (503, "unavailable")


def test_an_editors_write_answers_503_and_nothing_is_written(api_client, editor):
    api_client.force_authenticate(editor)
    with database_down():
        response = api_client.post(
            "/api/v1/articles/",
            {"headline": "Written during the outage", "body": "Text."},
            format="json",
        )
    assert response.status_code == 503
    from newsdesk.models import Article

    assert not Article.objects.filter(headline="Written during the outage").exists()


def test_stored_answers_keep_serving_while_the_database_is_down():
    article = ArticleFactory(published=True, headline="Served from the cache")
    client = Client(raise_request_exception=False)
    urls = ("/", article.get_absolute_url(), "/api/v1/articles/?page_size=20")
    for url in urls:
        assert client.get(url).status_code == 200, url
    with database_down():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response["X-Cache"] == "HIT", url
        assert "Served from the cache" in client.get("/").content.decode()


def test_an_outage_met_outside_a_view_is_a_503(rf):
    try:
        raise OperationalError(REFUSED)
    except OperationalError:
        response = server_error(rf.get("/"))
    assert response.status_code == 503
    assert response["Retry-After"]


def test_other_errors_stay_500(rf):
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert not response.has_header("Retry-After")
