"""Sources, people and topics: public reference data whose counts see published only."""

import pytest

from tests.factories import (
    ArticleFactory,
    PersonFactory,
    QuoteFactory,
    SourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

UNPUBLISHED = ({}, {"in_review": True}, {"scheduled": True}, {"retracted": True})


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_source_counts_only_published_articles(api_client):
    source = SourceFactory(name="NBC News", domain="nbcnews.com", country="US")
    ArticleFactory(published=True, source=source)
    for state in UNPUBLISHED:
        ArticleFactory(source=source, **state)
    (data,) = results(api_client.get("/api/v1/sources/"))
    assert data["article_count"] == 1
    assert data["domain"] == "nbcnews.com"
    assert data["country"] == "US"
    assert "notes" not in data
    assert data["page_url"].endswith(source.get_absolute_url())


def test_source_filters(api_client):
    SourceFactory(kind="wire", country="FR", reliability="B")
    assert len(results(api_client.get("/api/v1/sources/", {"kind": "wire"}))) == 1
    assert results(api_client.get("/api/v1/sources/", {"country": "IT"})) == []
    assert len(results(api_client.get("/api/v1/sources/", {"reliability": "B"}))) == 1
    assert api_client.get("/api/v1/sources/", {"reliability": "Z"}).status_code == 400


def test_people_carry_only_quotes_from_published_articles(api_client):
    person = PersonFactory(name="Emmanuel Karagiannis")
    published = ArticleFactory(published=True, authors=[person])
    QuoteFactory(person=person, article=published, text="A ticking bomb.")
    for state in UNPUBLISHED:
        article = ArticleFactory(authors=[person], **state)
        QuoteFactory(person=person, article=article, text=f"Secret {article.pk}")
    response = api_client.get("/api/v1/people/", {"name": "karagiannis"})
    (data,) = results(response)
    assert data["article_count"] == 1
    assert [q["text"] for q in data["quotes"]] == ["A ticking bomb."]
    assert data["quotes"][0]["article"]["id"] == published.pk
    assert b"Secret" not in response.content
    detail = api_client.get(f"/api/v1/people/{person.pk}/").json()
    assert detail["quotes"] == data["quotes"]


def test_topics_count_published_articles(api_client):
    topic = TopicFactory(name="Detention")
    ArticleFactory(published=True, topics=[topic])
    ArticleFactory(topics=[topic])
    ArticleFactory(scheduled=True, topics=[topic])
    (data,) = results(api_client.get("/api/v1/topics/", {"name": "deten"}))
    assert data["article_count"] == 1
    assert data["slug"] == topic.slug


def test_reference_ordering(api_client):
    b, a = TopicFactory(name="Bravo"), TopicFactory(name="Alpha")
    names = [t["name"] for t in results(api_client.get("/api/v1/topics/"))]
    assert names == ["Alpha", "Bravo"]
    names = [
        t["name"]
        for t in results(api_client.get("/api/v1/topics/", {"ordering": "-name"}))
    ]
    assert names == ["Bravo", "Alpha"]
    assert [
        t["id"] for t in results(api_client.get("/api/v1/topics/", {"ordering": "id"}))
    ] == [
        b.pk,
        a.pk,
    ]
    assert api_client.get("/api/v1/topics/", {"ordering": "slug"}).status_code == 400
