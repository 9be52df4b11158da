"""HTTP behaviour shared by every endpoint: validators and 304s, throttling, CORS, docs."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsdesk import models as nm
from tests.factories import ArticleFactory, FigureFactory, IncidentFactory

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/",
    "/api/v1/articles/",
    "/api/v1/sources/",
    "/api/v1/people/",
    "/api/v1/topics/",
    "/api/v1/incidents/",
    "/api/v1/incidents/?format=csv",
    "/api/v1/incidents.geojson",
    "/api/v1/actors/",
    "/api/v1/places/",
    "/api/v1/figures/",
    "/api/v1/figures/?format=csv",
    "/api/v1/recommendations/",
    "/api/v1/recommendations/?format=csv",
]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_every_get_has_validators_and_answers_304(api_client, url):
    ArticleFactory(published=True)
    FigureFactory()
    first = api_client.get(url)
    assert first.status_code == 200
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('W/"')

    with CaptureQueriesContext(connection) as queries:
        again = api_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    # The validators come from the cache: nothing is loaded or rendered.
    assert len(queries) == 0

    since = api_client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert since.status_code == 304


def test_validators_change_when_content_changes(api_client):
    article = ArticleFactory(published=True)
    etag = api_client.get("/api/v1/articles/")["ETag"]
    article.headline = "Corrected headline"
    article.save()
    response = api_client.get("/api/v1/articles/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_validators_change_when_an_embargo_lifts(api_client):
    ArticleFactory(published=True)
    scheduled = ArticleFactory(scheduled=True)
    etag = api_client.get("/api/v1/articles/")["ETag"]
    nm.Article.objects.filter(pk=scheduled.pk).update(
        publish_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    call_command("publish_due", stdout=io.StringIO())
    response = api_client.get("/api/v1/articles/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert scheduled.pk in [item["id"] for item in response.json()["results"]]


def test_validators_differ_per_format_and_query(api_client):
    IncidentFactory()
    json_tag = api_client.get("/api/v1/incidents/")["ETag"]
    csv_tag = api_client.get("/api/v1/incidents/?format=csv")["ETag"]
    filtered = api_client.get("/api/v1/incidents/?kind=attack")["ETag"]
    assert len({json_tag, csv_tag, filtered}) == 3


def test_stale_etag_gets_full_response(api_client):
    ArticleFactory(published=True)
    response = api_client.get("/api/v1/articles/", HTTP_IF_NONE_MATCH='W/"stale"')
    assert response.status_code == 200


def test_anonymous_throttling_answers_429_with_retry_after(api_client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "1000/minute"},
    }
    statuses = [api_client.get("/api/v1/topics/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api_client.get("/api/v1/topics/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["code"] == "throttled"


def test_invented_forwarded_for_headers_do_not_dodge_the_limit(api_client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "1000/minute"},
    }
    statuses = [
        api_client.get(
            "/api/v1/topics/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"
        ).status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_signed_in_users_are_not_throttled_as_anonymous(api_client, settings, editor):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute", "user": "1000/minute"},
    }
    api_client.force_authenticate(editor)
    assert {api_client.get("/api/v1/topics/").status_code for _ in range(3)} == {200}


def test_cors_allows_reads_from_any_origin(api_client):
    response = api_client.get(
        "/api/v1/articles/", HTTP_ORIGIN="https://partner.example"
    )
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = api_client.options(
        "/api/v1/articles/",
        HTTP_ORIGIN="https://partner.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


def test_unknown_resource_and_method_use_the_error_format(api_client):
    response = api_client.delete("/api/v1/topics/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_docs_are_served_offline(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/incidents/" in schema.content
    for url in ("/api/docs/", "/api/redoc/"):
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert "cdn.jsdelivr" not in html and "unpkg.com" not in html
        assert "/static/drf_spectacular_sidecar/" in html


def test_api_root_lists_resources(api_client):
    data = api_client.get("/api/v1/").json()
    assert set(data) == {
        "articles",
        "sources",
        "people",
        "topics",
        "incidents",
        "actors",
        "places",
        "figures",
        "recommendations",
    }
