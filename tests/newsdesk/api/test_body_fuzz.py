"""No body field makes an editor's write answer 5xx: a property test per write.

Each example starts from a body that is accepted and replaces one field,
named by the OpenAPI schema, with an arbitrary value, so a bad value reaches
everything behind the serializer (services, model validation, the database)
instead of stopping at the first other error.
"""

from __future__ import annotations

import json
from functools import cache

import pytest
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token

from incidents.models import Figure
from newsdesk.api.errors import ErrorSerializer
from newsdesk.models import Article
from tests import factories as f

ERROR_FIELDS = set(ErrorSerializer().fields)


@cache
def write_operations() -> tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]:
    """(method, path, (field, its JSON schema)) of every JSON write in the schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    found = []
    for path, methods in sorted(schema["paths"].items()):
        for method in ("post", "patch"):
            body = (
                methods.get(method, {})
                .get("requestBody", {})
                .get("content", {})
                .get("application/json")
            )
            if body is None:
                continue
            name = body["schema"]["$ref"].rsplit("/", 1)[1]
            properties = components[name]["properties"]
            found.append(
                (
                    method,
                    path,
                    tuple((f, json.dumps(s)) for f, s in properties.items()),
                )
            )
    return tuple(found)


def accepted_bodies(objects: dict) -> dict[tuple[str, str], dict]:
    """A body each write accepts, built on the fixture's objects."""
    return {
        ("post", "/api/v1/articles/"): {
            "headline": "Prison attack",
            "body": "Text.",
            "authors": [objects["person"]],
            "topics": [objects["topic"]],
        },
        ("patch", "/api/v1/articles/{id}/"): {"standfirst": "What happened."},
        ("post", "/api/v1/articles/{id}/publish/"): {},
        ("post", "/api/v1/figures/"): {
            "incident": objects["incident"],
            "metric": "killed",
            "low": 3,
            "claimant": "SDF",
            "article": objects["article"],
        },
        ("patch", "/api/v1/figures/{id}/"): {"low": 4, "high": 5},
        ("post", "/api/v1/recommendations/"): {
            "action": "repatriate",
            "statement": "Repatriate citizens.",
            "addressed_to_countries": ["FR"],
            "made_in": objects["article"],
        },
        ("post", "/api/v1/recommendations/{id}/status/"): {
            "status": "accepted",
            "evidence_url": "https://example.org/yes",
        },
    }


def test_every_write_has_an_accepted_body():
    """A new write endpoint must bring its accepted body, or it goes unfuzzed."""
    keys = {(method, path) for method, path, _ in write_operations()}
    placeholders = dict.fromkeys(("person", "topic", "incident", "article"), 1)
    assert keys == set(accepted_bodies(placeholders))


offsets = st.tuples(st.sampled_from("+-"), st.integers(0, 30), st.integers(0, 99)).map(
    lambda t: f"{t[0]}{t[1]:02d}:{t[2]:02d}"
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**31 - 2, max_value=2**64),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.text(alphabet=st.characters(categories=["Nd", "No", "Lu"]), max_size=3),
    st.sampled_from(["³", "²", "١", "x\x00y", "", " ", "0", "-1", "1e309", "SY"]),
    st.tuples(st.datetimes(), offsets).map(lambda t: t[0].isoformat() + t[1]),
    st.dates().map(str),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner)
    ),
    max_leaves=8,
)
specials = st.sampled_from(["³", "²", "١", "①", "x\x00y", "", " ", "0", "-1", "1e309"])
nasty_text = st.one_of(
    specials,
    specials,
    st.text(alphabet=st.characters(categories=["Nd", "No", "Lu", "P"]), max_size=3),
    st.text(max_size=40),
)
integers = st.one_of(
    st.integers(-10, 10),
    st.integers(min_value=2**31 - 2, max_value=2**64),
    st.integers(max_value=-(2**31)),
)


def field_values(schema: dict) -> st.SearchStrategy:
    """Values aimed at a field of this schema, and anything else a third of the time."""
    kind, shape = schema.get("type"), schema.get("format")
    if kind == "array":
        aimed = st.lists(field_values(schema.get("items", {})), min_size=1, max_size=4)
    elif kind == "integer":
        aimed = integers
    elif shape == "date-time":
        aimed = st.tuples(st.datetimes(), offsets).map(
            lambda t: t[0].isoformat() + t[1]
        )
    elif shape == "date":
        aimed = st.one_of(
            st.dates().map(str), st.sampled_from(["2022-02-30", "0000-01-01"])
        )
    else:
        aimed = nasty_text
    return st.one_of(aimed, aimed, values)


def body_fields() -> list[tuple[str, str, str, str]]:
    return [
        (method, path, field, schema)
        for method, path, fields in write_operations()
        for field, schema in fields
    ]


@pytest.fixture
def objects(db, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }
    article = f.ArticleFactory(published=True)
    incident = f.IncidentFactory()
    incident.articles.add(article)
    return {
        "article": article.pk,
        "draft": f.ArticleFactory(authors=[f.PersonFactory()]).pk,
        "person": f.PersonFactory().pk,
        "topic": f.TopicFactory().pk,
        "incident": incident.pk,
        "figure": f.FigureFactory(incident=incident, article=article).pk,
        "recommendation": f.RecommendationFactory(made_in=article).pk,
    }


@pytest.fixture
def editor_token(editor):
    return Token.objects.create(user=editor).key


def _target(path: str, objects: dict) -> tuple[str, str | None]:
    """The URL of one existing object for `path`, and its If-Match version."""
    if "{id}" not in path:
        return path, None
    if path.startswith("/api/v1/articles/"):
        pk = objects["draft"]
        version = Article.objects.get(pk=pk).version
    elif path.startswith("/api/v1/figures/"):
        pk = objects["figure"]
        version = Figure.objects.get(pk=pk).version
    else:
        pk, version = objects["recommendation"], None
    return path.replace("{id}", str(pk)), None if version is None else str(version)


@pytest.mark.parametrize(
    ("method", "path", "field", "schema"),
    body_fields(),
    ids=[f"{m} {p} {f}" for m, p, f, _ in body_fields()],
)
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=(HealthCheck.function_scoped_fixture, HealthCheck.too_slow),
)
@given(data=st.data())
def test_no_body_field_makes_a_write_answer_5xx(
    api_client, objects, editor_token, method, path, field, schema, data
):
    body = dict(accepted_bodies(objects)[(method, path)])
    body[field] = data.draw(field_values(json.loads(schema)), label="value")
    url, version = _target(path, objects)
    headers = {"HTTP_AUTHORIZATION": f"Token {editor_token}"}
    if version is not None:
        headers["HTTP_IF_MATCH"] = version
    response = getattr(api_client, method)(
        url, json.dumps(body), content_type="application/json", **headers
    )
    assert response.status_code < 500, (method, url, body, response.content[:300])
    if response.status_code >= 400:
        assert set(response.json()) == ERROR_FIELDS
