"""`/api/v1/articles/{id}/?format=ninjs`: a published article as an IPTC ninjs 2.0
item, checked against the rules of the ninjs 2.0 specification."""

from __future__ import annotations

import datetime

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import (
    ArticleFactory,
    ImageFactory,
    PersonFactory,
    SourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01"
    b"\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def _values(role: bool = True) -> dict:
    """A ninjs 2.0 array of {role, contenttype, value} objects, value required."""
    properties = {"contenttype": {"type": "string"}, "value": {"type": "string"}}
    if role:
        properties["role"] = {"type": "string"}
    return {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["value"],
            "additionalProperties": False,
            "properties": properties,
        },
    }


NAMED = {
    "type": "array",
    "items": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string"},
            "uri": {"type": "string"},
            "literal": {"type": "string"},
            "rel": {"type": "string"},
            "role": {"type": "string"},
        },
    },
}
RENDITIONS = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["name"],
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string"},
            "href": {"type": "string"},
            "contenttype": {"type": "string"},
            "title": {"type": "string"},
            "height": {"type": "number"},
            "width": {"type": "number"},
            "sizeinbytes": {"type": "number"},
        },
    },
}
# The ninjs 2.0 rules for the properties this API uses: `uri` required, no
# property outside the standard's list, each with the standard's type.
NINJS_2_0 = {
    "$schema": "http://json-schema.org/draft-04/schema#",
    "type": "object",
    "required": ["uri"],
    "additionalProperties": False,
    "properties": {
        "uri": {"type": "string"},
        "type": {"enum": ["text", "audio", "video", "picture", "graphic", "composite", "component"]},
        "representationtype": {"enum": ["full", "partial"]},
        "version": {"type": "string"},
        "firstcreated": {"type": "string"},
        "versioncreated": {"type": "string"},
        "pubstatus": {"enum": ["usable", "withheld", "canceled"]},
        "language": {"type": "string"},
        "headlines": _values(),
        "descriptions": _values(),
        "bodies": _values(),
        "by": {"type": "string"},
        "subjects": NAMED,
        "infosources": NAMED,
        "altids": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "properties": {"role": {"type": "string"}, "value": {"type": "string"}},
            },
        },
        "renditions": RENDITIONS,
        "associations": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string"},
                    "uri": {"type": "string"},
                    "type": {"enum": ["picture", "graphic", "text", "video", "audio"]},
                    "renditions": RENDITIONS,
                    "headlines": _values(),
                    "descriptions": _values(),
                    "by": {"type": "string"},
                },
            },
        },
        "standard": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "name": {"type": "string"},
                "version": {"type": "string"},
                "schema": {"type": "string"},
            },
        },
    },
}  # fmt: skip


@pytest.fixture
def article(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    article = ArticleFactory(
        published=True,
        headline="Gunmen storm Dalvek prison",
        source=SourceFactory(name="Frontier Daily", domain="frontierdaily.example"),
        original_url="https://frontierdaily.example/dalvek",
        lead_image=ImageFactory(
            file=SimpleUploadedFile("lead.gif", GIF, content_type="image/gif"),
            width=1,
            height=1,
            alt_text="The prison walls after the attack",
            caption="The outer wall of Dalvek prison",
            credit="Iris Malde",
        ),
    )
    article.topics.add(TopicFactory(name="Detention"))
    article.authors.add(PersonFactory(name="Lena Farouk"))
    return article


def test_a_published_article_is_a_valid_ninjs_2_item(api_client, article):
    response = api_client.get(f"/api/v1/articles/{article.pk}/?format=ninjs")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ninjs+json")
    item = response.json()
    jsonschema.Draft4Validator(NINJS_2_0).validate(item)
    assert item["uri"].startswith("http") and item["uri"].endswith(
        article.get_absolute_url()
    )
    assert item["standard"]["version"] == "2.0"
    created = datetime.datetime.fromisoformat(item["versioncreated"])
    assert created.tzinfo is not None
    assert datetime.datetime.fromisoformat(item["firstcreated"]) <= created
    assert item["headlines"] == [
        {"role": "main", "value": "Gunmen storm Dalvek prison"}
    ]
    assert item["bodies"][0]["contenttype"] == "text/html"
    assert "<p>The attack began at night.</p>" in item["bodies"][0]["value"]
    assert item["by"] == "Lena Farouk"
    assert item["language"] == "en"
    assert item["infosources"] == [{"name": "Frontier Daily"}]
    assert item["subjects"] == [{"name": "Detention"}]
    (image,) = item["associations"]
    assert image["type"] == "picture"
    assert image["descriptions"] == [
        {"role": "alt", "value": "The prison walls after the attack"}
    ]
    assert image["by"] == "Iris Malde"
    (rendition,) = image["renditions"]
    assert rendition["href"].startswith("http") and rendition["href"].endswith(".gif")
    assert rendition["contenttype"] == "image/gif"
    assert (rendition["width"], rendition["height"]) == (1, 1)


def test_the_json_answer_is_unchanged_and_errors_keep_their_shape(api_client, article):
    plain = api_client.get(f"/api/v1/articles/{article.pk}/")
    assert plain["Content-Type"].startswith("application/json")
    assert plain.json()["headline"] == "Gunmen storm Dalvek prison"
    missing = api_client.get("/api/v1/articles/999999/?format=ninjs")
    assert missing.status_code == 404
    assert "detail" in missing.json() or "errors" in missing.json()


def test_drafts_are_not_available_as_ninjs(api_client):
    draft = ArticleFactory()
    response = api_client.get(f"/api/v1/articles/{draft.pk}/?format=ninjs")
    assert response.status_code == 404


def test_lists_are_not_offered_as_ninjs(api_client, article):
    assert api_client.get("/api/v1/articles/?format=ninjs").status_code == 404


def test_json_and_ninjs_answers_are_stored_and_validated_apart(api_client, article):
    url = f"/api/v1/articles/{article.pk}/"
    plain = api_client.get(url)
    ninjs = api_client.get(url + "?format=ninjs")
    assert ninjs["Content-Type"].startswith("application/ninjs+json")
    assert "headlines" in ninjs.json()
    assert api_client.get(url)["Content-Type"].startswith("application/json")
    again = api_client.get(url + "?format=ninjs", HTTP_IF_NONE_MATCH=plain["ETag"])
    assert again.status_code == 200
    assert ninjs["ETag"] != plain["ETag"]


def test_an_article_without_a_lead_image_has_no_association(api_client):
    article = ArticleFactory(published=True)
    response = api_client.get(f"/api/v1/articles/{article.pk}/?format=ninjs")
    assert response.status_code == 200
    item = response.json()
    jsonschema.Draft4Validator(NINJS_2_0).validate(item)
    assert "associations" not in item
