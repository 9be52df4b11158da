"""No query string makes the API answer 5xx: a property test over every parameter.

The parameters come from the OpenAPI schema (the FilterSets, the ordering and
the paginator describe themselves there), so a new filter is fuzzed as soon
as it exists. Values mix arbitrary text, numbers, dates, date-times with any
offset, raw bytes in other encodings and forged page cursors.
"""

from __future__ import annotations

import base64
import datetime
from functools import cache
from urllib.parse import quote, quote_from_bytes

import pytest
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.settings import api_settings

from newsdesk.api.errors import ErrorSerializer
from tests import factories as f

ID_PLACEHOLDER = "{id}"


@cache
def get_operations() -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """(path, query parameter names, enum values seen) of every GET in the schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for path, methods in sorted(schema["paths"].items()):
        get = methods.get("get")
        if get is None:
            continue
        names, enums = [api_settings.URL_FORMAT_OVERRIDE], []
        for parameter in get.get("parameters", []):
            if parameter["in"] == "query":
                names.append(parameter["name"])
                enums.extend(parameter.get("schema", {}).get("enum", []))
        operations.append((path, tuple(names), tuple(str(e) for e in enums)))
    return tuple(operations)


def test_the_schema_lists_every_filter_ordering_and_cursor():
    """The derivation sees the parameters, so the property test below covers them."""
    by_path = {path: set(names) for path, names, _ in get_operations()}
    assert {"cursor", "page_size", "ordering", "q", "published_after", "incident"} <= (
        by_path["/api/v1/articles/"]
    )
    assert {"cursor", "country", "start_after", "actor_role"} <= by_path[
        "/api/v1/incidents/"
    ]
    assert sum("{" not in path for path in by_path) >= 9


def utf8(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30).map(
    utf8
)
numbers = st.one_of(
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["1e309", "-0", "0x1F", "١٢", "³", "9" * 40, "1_000", "+1"]),
).map(lambda n: utf8(str(n)))
dates = st.one_of(
    st.dates().map(datetime.date.isoformat),
    st.tuples(st.integers(0, 99999), st.integers(0, 99), st.integers(0, 99)).map(
        lambda t: f"{t[0]:04d}-{t[1]:02d}-{t[2]:02d}"
    ),
).map(utf8)
offsets = st.one_of(
    st.just("Z"),
    st.tuples(st.sampled_from("+-"), st.integers(0, 99), st.integers(0, 99)).map(
        lambda t: f"{t[0]}{t[1]:02d}:{t[2]:02d}"
    ),
)
datetimes = st.tuples(st.datetimes(min_value=datetime.datetime(1, 1, 1)), offsets).map(
    lambda t: utf8(t[0].isoformat() + t[1])
)
encodings = st.one_of(
    st.binary(max_size=16).map(lambda b: quote_from_bytes(b, safe="")),
    st.text(max_size=10).map(
        lambda s: quote_from_bytes(s.encode("utf-16", "surrogatepass"), safe="")
    ),
    st.text(alphabet=st.characters(max_codepoint=255), max_size=10).map(
        lambda s: quote_from_bytes(s.encode("latin-1"), safe="")
    ),
)
plain_values = st.one_of(text, numbers, dates, datetimes, encodings)


def _cursor(parts: tuple[str, str, str]) -> str:
    raw = "&".join(part for part in parts if part)
    return quote(base64.b64encode(raw.encode("utf-8", "surrogatepass")).decode())


positions = st.one_of(
    st.sampled_from(["NaN", "inf", "-inf", "1e309", "\x00", "%ff", "2022-02-30"]),
    st.text(max_size=20),
    st.floats().map(str),
    st.integers().map(str),
    st.datetimes().map(str),
    st.tuples(st.datetimes(), offsets).map(lambda t: f"{t[0]}{t[1]}"),
    st.dates().map(str),
).map(lambda p: "p=" + quote(p.encode("utf-8", "surrogatepass")))
# What the paginator writes (offset, direction, position), forged part by part.
forged = st.tuples(
    st.one_of(st.just(""), st.integers(-5, 10**6).map(lambda o: f"o={o}")),
    st.sampled_from(["", "r=1", "r=0", "r=x"]),
    positions,
).map(_cursor)
cursors = st.one_of(
    forged,
    forged,
    forged,
    st.binary(max_size=24).map(lambda b: quote(base64.b64encode(b).decode())),
    encodings,
)


def list_operations() -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    return [op for op in get_operations() if ID_PLACEHOLDER not in op[0]]


@st.composite
def query_strings(draw, operation: tuple[str, tuple[str, ...], tuple[str, ...]]) -> str:
    """Up to three of the operation's parameters, and a forged cursor half the time."""
    _, names, enums = operation
    chosen = draw(st.lists(st.sampled_from(names), max_size=3))
    if "cursor" in names and draw(st.booleans()):
        chosen.append("cursor")
    params = []
    for name in chosen:
        if name == "cursor":
            value = draw(cursors)
        elif enums and draw(st.booleans()):
            value = quote(draw(st.sampled_from(enums)))
        else:
            value = draw(plain_values)
        params.append(f"{name}={value}")
    return "&".join(params)


@pytest.fixture
def content(db, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }
    article = f.ArticleFactory(published=True, authors=[f.PersonFactory()])
    article.topics.add(f.TopicFactory())
    incident = f.IncidentFactory()
    incident.articles.add(article)
    f.IncidentActorFactory(incident=incident)
    f.FigureFactory(incident=incident, article=article)
    f.RecommendationFactory(made_in=article, incident=incident)
    return article


ERROR_FIELDS = set(ErrorSerializer().fields)


def assert_answered(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code < 500, (url, response.content[:300])
    if response.status_code >= 400 and response["Content-Type"].startswith(
        "application/json"
    ):
        body = response.json()
        assert set(body) == ERROR_FIELDS, body
        if response.status_code == 400:
            assert body["errors"], body


FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=(
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ),
)


@pytest.mark.parametrize("operation", list_operations(), ids=lambda op: op[0])
@FUZZ
@given(data=st.data())
def test_no_query_string_makes_a_list_answer_5xx(client, content, operation, data):
    query = data.draw(query_strings(operation), label="query")
    assert_answered(client, f"{operation[0]}?{query}")


detail_operations = [op for op in get_operations() if ID_PLACEHOLDER in op[0]]


@FUZZ
@given(
    operation=st.sampled_from(detail_operations),
    ident=st.one_of(st.integers(1, 3).map(str), numbers, text),
    data=st.data(),
)
def test_no_id_or_query_string_makes_a_detail_answer_5xx(
    client, content, operation, ident, data
):
    query = data.draw(query_strings(operation), label="query")
    path = operation[0].replace(ID_PLACEHOLDER, ident or "0")
    assert_answered(client, f"{path}?{query}")
