"""Every query parameter, cursor and body field is refused with a 4xx naming it.

Each case here answered 500 on at least one database before its check existed.
"""

from __future__ import annotations

import base64
import datetime
import json
from urllib.parse import quote

import pytest
from django_filters import filters as df
from rest_framework import serializers
from rest_framework.authtoken.models import Token

from incidents.models import Recommendation
from newsdesk.api.errors import ErrorSerializer
from newsdesk.api.filters import DateTimeFilter
from newsdesk.api.urls import router
from newsdesk.api.validation import ApiDateTimeField, CountryCodeInputField
from newsdesk.models import Article
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def content():
    article = f.ArticleFactory(published=True, authors=[f.PersonFactory()])
    article.topics.add(f.TopicFactory())
    incident = f.IncidentFactory()
    incident.articles.add(article)
    f.IncidentActorFactory(incident=incident)
    f.FigureFactory(incident=incident, article=article)
    f.RecommendationFactory(made_in=article, incident=incident)
    return article


@pytest.fixture
def unthrottled(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }


def cursor(raw: str) -> str:
    return base64.b64encode(raw.encode()).decode()


def list_urls() -> list[str]:
    return [f"/api/v1/{prefix}/" for prefix, _, _ in router.registry]


# --- Cursors ---------------------------------------------------------------------

FORGED_POSITIONS = [
    # (list URL, what the cursor decodes to)
    ("/api/v1/figures/", "p=NaN"),
    ("/api/v1/figures/", "p=inf"),
    ("/api/v1/figures/", "r=1&p=-inf"),
    ("/api/v1/figures/", "p=1e309"),
    ("/api/v1/figures/", "p=%ff"),
    ("/api/v1/figures/", "p=99999999999999999999999"),
    ("/api/v1/figures/?ordering=low", "p=1.5"),
    ("/api/v1/articles/", "p=NaN"),
    ("/api/v1/articles/", "p=%ff"),
    ("/api/v1/articles/", "p=2022-02-30 00:00:00+00:00"),
    ("/api/v1/articles/", "p=2022-01-01 00:00:00+16:00"),
    ("/api/v1/articles/", "p=99999999999999999999999"),
    ("/api/v1/articles/?q=report", "p=NaN"),
    ("/api/v1/articles/?q=report", "p=-inf"),
    ("/api/v1/incidents/", "p=2022-02-30"),
    ("/api/v1/incidents/", "p=1e309"),
    ("/api/v1/sources/", "p=a%00b"),
    ("/api/v1/people/", "p=%00"),
    ("/api/v1/topics/", "p=%00"),
    ("/api/v1/actors/", "p=%00"),
    ("/api/v1/places/", "p=x%00"),
    ("/api/v1/recommendations/", "p=%00"),
    ("/api/v1/recommendations/?ordering=-status_changed_on", "p=2022-13-01"),
]


@pytest.mark.parametrize(("url", "position"), FORGED_POSITIONS)
def test_forged_cursor_positions_are_404_naming_the_cursor(
    client, content, url, position
):
    joiner = "&" if "?" in url else "?"
    response = client.get(f"{url}{joiner}cursor={quote(cursor(position))}")
    assert response.status_code == 404, (url, position, response.content[:300])
    body = response.json()
    assert body["code"] == "not_found"
    assert list(body["errors"]) == ["cursor"]


@pytest.mark.parametrize("url", list_urls())
@pytest.mark.parametrize("raw", ["garbage", "%ff%fe", "/w==", "bz0tMQ==", "cj14"])
def test_undecodable_cursors_are_404_naming_the_cursor(client, content, url, raw):
    response = client.get(f"{url}?cursor={raw}")
    assert response.status_code == 404, (url, raw, response.content[:300])
    assert list(response.json()["errors"]) == ["cursor"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/articles/?page_size=1",
        "/api/v1/sources/?page_size=1",
        "/api/v1/incidents/?page_size=1",
        "/api/v1/figures/?page_size=1&ordering=-low",
        "/api/v1/recommendations/?page_size=1&ordering=status_changed_on",
    ],
)
def test_cursors_the_api_hands_out_still_page_both_ways(client, url):
    for n in range(3):
        article = f.ArticleFactory(published=True, source=f.SourceFactory())
        incident = f.IncidentFactory(start_date=datetime.date(2022, 1, 1 + n))
        incident.articles.add(article)
        f.FigureFactory(incident=incident, article=article, low=n, high=n)
        f.RecommendationFactory(
            made_in=article,
            incident=incident,
            status_changed_on=datetime.date(2022, 2, 1 + n),
        )
    first = client.get(url).json()
    second = client.get(first["next"]).json()
    assert second["results"] and second["results"] != first["results"]
    back = client.get(second["previous"]).json()
    assert back["results"] == first["results"]


# --- Filters -----------------------------------------------------------------------


@pytest.mark.parametrize("offset", ["+16:00", "-16:00", "+23:59", "-99:00"])
@pytest.mark.parametrize("name", ["published_after", "published_before"])
def test_offsets_no_database_stores_are_400_on_every_database(
    client, content, offset, name
):
    response = client.get("/api/v1/articles/", {name: f"2022-01-01T00:00:00{offset}"})
    assert response.status_code == 400, response.content[:300]
    assert list(response.json()["errors"]) == [name]
    if offset != "-99:00":  # not an offset at all
        assert "UTC offset" in response.json()["errors"][name][0]


@pytest.mark.parametrize("offset", ["+15:59", "-15:59", "+05:30", "Z"])
def test_real_offsets_filter(client, content, offset):
    response = client.get(
        "/api/v1/articles/", {"published_after": f"2000-01-01T00:00:00{offset}"}
    )
    assert response.status_code == 200
    assert [a["id"] for a in response.json()["results"]] == [content.pk]


def test_every_date_time_filter_takes_the_checked_type():
    """A new date-time filter written with django-filter's own type would fail here."""
    checked = 0
    for _, viewset, _ in router.registry:
        filterset = getattr(viewset, "filterset_class", None)
        for name, declared in (filterset.base_filters if filterset else {}).items():
            if isinstance(declared, df.IsoDateTimeFilter | df.DateTimeFilter):
                assert isinstance(declared, DateTimeFilter), (viewset.__name__, name)
                checked += 1
    assert checked >= 2


# --- Bodies ------------------------------------------------------------------------


def _write_serializers():
    """The body serializer of every write action the API routes."""
    for _, viewset, _ in router.registry:
        for action in getattr(viewset, "write_permissions", {}):
            view = viewset()
            view.action = action
            yield f"{viewset.__name__}.{action}", view.get_serializer_class()


def _fields(serializer: serializers.Serializer):
    for name, field in serializer.fields.items():
        yield name, field
        if isinstance(field, serializers.ListField):
            yield f"{name}[]", field.child


def test_every_write_field_parses_through_the_checked_types():
    """Date-times and country codes in every write body use the checked fields."""
    seen = set()
    for where, serializer_class in _write_serializers():
        for name, field in _fields(serializer_class()):
            if getattr(field, "read_only", False):
                continue
            if isinstance(field, serializers.DateTimeField):
                assert isinstance(field, ApiDateTimeField), (where, name)
                seen.add("datetime")
            if "countr" in name:
                assert isinstance(field, CountryCodeInputField | serializers.ListField)
                seen.add("country")
    assert seen == {"datetime", "country"}


@pytest.fixture
def editor_api(api_client, editor):
    api_client.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}"
    )
    return api_client


@pytest.mark.parametrize("code", ["³", "²", "XX", "1", "", "SYR"])
def test_recommendation_country_codes_are_checked(editor_api, content, code):
    response = editor_api.post(
        "/api/v1/recommendations/",
        {"action": "repatriate", "statement": "x", "addressed_to_countries": [code]},
        format="json",
    )
    assert response.status_code == 400, response.content[:300]
    assert "addressed_to_countries" in response.json()["errors"]
    assert not Recommendation.objects.filter(statement="x").exists()


def test_recommendation_country_codes_in_any_case_are_stored_upper(editor_api, content):
    response = editor_api.post(
        "/api/v1/recommendations/",
        {
            "action": "repatriate",
            "statement": "x",
            "made_in": content.pk,
            "addressed_to_countries": ["fr", "SY"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content[:300]
    assert response.json()["addressed_to_countries"] == ["FR", "SY"]


def test_body_date_time_offsets_are_checked(editor_api, content):
    draft = f.ArticleFactory()
    body = {"headline": "x", "substantive_update_at": "2022-01-01T00:00:00+16:00"}
    response = editor_api.post("/api/v1/articles/", body, format="json")
    assert response.status_code == 400
    assert "UTC offset" in response.json()["errors"]["substantive_update_at"][0]
    response = editor_api.post(
        f"/api/v1/articles/{draft.pk}/publish/",
        {"publish_at": "2030-01-01T00:00:00-16:30"},
        format="json",
        HTTP_IF_MATCH=str(draft.version),
    )
    assert response.status_code == 400
    assert "publish_at" in response.json()["errors"]
    draft.refresh_from_db()
    assert draft.publish_at is None


def test_body_date_time_with_a_real_offset_is_stored_in_utc(editor_api, content):
    body = {"headline": "x", "substantive_update_at": "2022-01-01T05:30:00+05:30"}
    response = editor_api.post("/api/v1/articles/", body, format="json")
    assert response.status_code == 201, response.content[:300]
    article = Article.objects.get(pk=response.json()["id"])
    assert article.substantive_update_at.isoformat() == "2022-01-01T00:00:00+00:00"


def nested(depth: int) -> str:
    return '{"headline": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}"


@pytest.mark.parametrize("depth", [1000, 1025, 5000])
def test_deeply_nested_json_is_400_naming_the_limit(editor_api, depth):
    response = editor_api.post(
        "/api/v1/articles/", nested(depth), content_type="application/json"
    )
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["code"] == "too_deep"
    assert "NEWSDESK_API_MAX_JSON_DEPTH" in body["detail"]
    assert "32 levels" in body["errors"]["body"][0]
    assert not Article.objects.exists()


def test_nesting_limit_is_configurable(editor_api, settings):
    settings.NEWSDESK_API_MAX_JSON_DEPTH = 2
    response = editor_api.post(
        "/api/v1/articles/", nested(3), content_type="application/json"
    )
    assert response.json()["code"] == "too_deep"
    assert "2 levels" in response.json()["detail"]
    response = editor_api.post(
        "/api/v1/articles/",
        {"headline": "Two levels", "topics": []},
        format="json",
    )
    assert response.status_code == 201


def test_bodies_over_the_size_limit_are_413_naming_the_limit(editor_api, settings):
    settings.NEWSDESK_API_MAX_BODY_BYTES = 2000
    response = editor_api.post(
        "/api/v1/articles/",
        {"headline": "Long", "body": "word " * 500},
        format="json",
    )
    assert response.status_code == 413, response.content[:300]
    body = response.json()
    assert body["code"] == "too_large"
    assert "2,000 bytes" in body["detail"]
    assert "NEWSDESK_API_MAX_BODY_BYTES" in body["errors"]["body"][0]
    assert not Article.objects.exists()
    response = editor_api.post(
        "/api/v1/articles/", {"headline": "Short", "body": "word"}, format="json"
    )
    assert response.status_code == 201


def test_default_size_limit_refuses_a_few_megabytes(editor_api):
    payload = json.dumps({"headline": "Huge", "body": "x" * 3_000_000})
    response = editor_api.post(
        "/api/v1/articles/", payload, content_type="application/json"
    )
    assert response.status_code == 413
    assert "1,048,576 bytes" in response.json()["detail"]


@pytest.mark.parametrize(
    "raw",
    [
        b'{"headline": "\\ud800"}',
        b'{"headline": NaN}',
        b'{"headline": "x", "body": 1e999}',
        b"\xff\xfe{}",
        b'{"headline": "x"',
    ],
)
def test_malformed_json_is_400(editor_api, raw):
    response = editor_api.post(
        "/api/v1/articles/", raw, content_type="application/json"
    )
    assert response.status_code == 400, response.content[:300]
    assert response.json()["code"] == "parse_error"
    assert not Article.objects.exists()


# --- One error shape, one NUL guard ---------------------------------------------------


@pytest.mark.parametrize("url", [*list_urls(), "/api/v1/articles/1/"])
def test_nul_in_any_api_parameter_is_answered_by_the_middleware(
    client, content, url, monkeypatch
):
    """The API keeps no NUL check of its own: the middleware answers before any view."""
    from newsdesk.api.viewsets import PublicViewSetMixin

    def unreachable(*args, **kwargs):
        raise AssertionError("a NUL reached the API view")

    monkeypatch.setattr(PublicViewSetMixin, "initial", unreachable)
    response = client.get(f"{url}?page_size=1&topic=a%00b")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == set(ErrorSerializer().fields)
    assert body["errors"] == {"topic": ["Null characters are not allowed."]}
    response = client.get(f"{url}?x%00y=1")
    assert list(response.json()["errors"]) == ["x\\x00y"]


def test_middleware_and_api_errors_share_one_shape(client, content):
    from_api = client.get("/api/v1/articles/?page_size=0").json()
    from_middleware = client.get("/api/v1/articles/?q=%00").json()
    assert set(from_api) == set(from_middleware) == set(ErrorSerializer().fields)
    assert from_api["code"] == from_middleware["code"] == "invalid"


# --- Rates -----------------------------------------------------------------------------


def test_signed_in_clients_are_held_to_the_user_rate(api_client, editor, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100/minute", "user": "2/minute"},
    }
    token = Token.objects.create(user=editor).key
    codes = [
        api_client.get(
            "/api/v1/articles/", HTTP_AUTHORIZATION=f"Token {token}"
        ).status_code
        for _ in range(5)
    ]
    assert codes == [200, 200, 429, 429, 429]
    refused = api_client.get("/api/v1/topics/", HTTP_AUTHORIZATION=f"Token {token}")
    assert refused.json()["code"] == "throttled"
    assert int(refused["Retry-After"]) >= 1
    # Counted per account: an anonymous client from the same address is not held.
    assert api_client.get("/api/v1/articles/").status_code == 200
