"""Every API endpoint runs the same number of queries at any page size and data size."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents import models as im
from newsdesk import models as nm

PAGE_SIZES = (1, 20, 100)

# One query for the page, then one per prefetched relation: the same at every
# size. Validators come from the rendered answer, never from a query. Counted
# with an empty cache, so nothing is served from stored answers or fragments.
# The article and incident lists read their page of rows first, then the rows missing a
# fragment with what they show (newsdesk/http/fragments.py).
EXPECTED_LIST = {
    "/api/v1/articles/": 5,
    "/api/v1/articles/?q=report": 5,
    "/api/v1/sources/": 1,
    "/api/v1/people/": 2,
    "/api/v1/topics/": 1,
    "/api/v1/incidents/": 5,
    "/api/v1/incidents/?format=csv": 5,
    "/api/v1/incidents/?format=geojson": 5,
    "/api/v1/actors/": 2,
    "/api/v1/places/": 1,
    "/api/v1/figures/": 1,
    "/api/v1/figures/?format=csv": 1,
    "/api/v1/recommendations/": 2,
    "/api/v1/recommendations/?format=csv": 2,
}
# An article's detail: its row through published() with the item kept with its
# stored page (none: its page was never read), then, without a fragment, the
# row again with its prefetches.
EXPECTED_DETAIL = {
    "articles": 10,
    "sources": 1,
    "people": 2,
    "topics": 1,
    "incidents": 4,
    "actors": 2,
    "places": 1,
    "figures": 1,
    "recommendations": 2,
}


def build(size: int) -> dict[str, int]:
    """`size` rows of every public model, all linked, in a few bulk inserts."""
    now = timezone.now()
    sources = nm.Source.objects.bulk_create(
        nm.Source(name=f"Source {i}", slug=f"source-{i}", domain=f"s{i}.example")
        for i in range(size)
    )
    people = nm.Person.objects.bulk_create(
        nm.Person(name=f"Person {i}", slug=f"person-{i}") for i in range(size)
    )
    topics = nm.Topic.objects.bulk_create(
        nm.Topic(name=f"Topic {i}", slug=f"topic-{i}") for i in range(size)
    )
    articles = nm.Article.objects.bulk_create(
        nm.Article(
            headline=f"Prison report {i}",
            slug=f"prison-report-{i}",
            body="The attack began at night.",
            body_html="<p>The attack began at night.</p>",
            status=nm.ArticleStatus.PUBLISHED,
            publish_at=now - datetime.timedelta(minutes=i + 1),
            source=sources[i],
        )
        for i in range(size)
    )
    nm.ArticleAuthor.objects.bulk_create(
        nm.ArticleAuthor(article=a, person=p)
        for a, p in zip(articles, people, strict=True)
    )
    nm.Article.topics.through.objects.bulk_create(
        nm.Article.topics.through(article_id=a.pk, topic_id=t.pk)
        for a, t in zip(articles, topics, strict=True)
    )
    nm.Quote.objects.bulk_create(
        nm.Quote(article=a, person=p, text="Words.")
        for a, p in zip(articles, people, strict=True)
    )
    nm.Correction.objects.bulk_create(
        nm.Correction(article=a, note="Fixed.") for a in articles
    )
    nm.RelatedLink.objects.bulk_create(
        nm.RelatedLink(article=a, target=articles[i - 1])
        for i, a in enumerate(articles)
    )
    places = im.Place.objects.bulk_create(
        im.Place(name=f"Place {i}", slug=f"place-{i}", latitude=36, longitude=40)
        for i in range(size)
    )
    actors = im.Actor.objects.bulk_create(
        im.Actor(name=f"Actor {i}", slug=f"actor-{i}") for i in range(size)
    )
    im.ActorAlias.objects.bulk_create(
        im.ActorAlias(actor=a, name=f"Alias {i}") for i, a in enumerate(actors)
    )
    incidents = im.Incident.objects.bulk_create(
        im.Incident(
            title=f"Attack {i}",
            slug=f"attack-{i}",
            start_date=datetime.date(2022, 1, 1) + datetime.timedelta(days=i),
            place=places[i],
            status=im.IncidentStatus.PUBLISHED,
        )
        for i in range(size)
    )
    im.Incident.articles.through.objects.bulk_create(
        im.Incident.articles.through(incident_id=inc.pk, article_id=a.pk)
        for inc, a in zip(incidents, articles, strict=True)
    )
    im.IncidentActor.objects.bulk_create(
        im.IncidentActor(incident=inc, actor=a, role=im.ActorRole.PERPETRATOR)
        for inc, a in zip(incidents, actors, strict=True)
    )
    im.Figure.objects.bulk_create(
        im.Figure(
            incident=inc,
            metric="killed",
            low=1,
            high=2,
            claimant="SDF",
            article=a,
            source=s,
        )
        for inc, a, s in zip(incidents, articles, sources, strict=True)
    )
    recommendations = im.Recommendation.objects.bulk_create(
        im.Recommendation(
            action="repatriate",
            statement="Repatriate.",
            addressed_to_group="countries of origin",
            made_in=a,
            incident=inc,
            recommended_by_person=p,
        )
        for a, inc, p in zip(articles, incidents, people, strict=True)
    )
    im.RecommendationUpdate.objects.bulk_create(
        im.RecommendationUpdate(
            recommendation=r, status="proposed", evidence_article=r.made_in
        )
        for r in recommendations
    )
    return {
        "articles": articles[0].pk,
        "sources": sources[0].pk,
        "people": people[0].pk,
        "topics": topics[0].pk,
        "incidents": incidents[0].pk,
        "actors": actors[0].pk,
        "places": places[0].pk,
        "figures": im.Figure.objects.first().pk,
        "recommendations": recommendations[0].pk,
    }


def count_queries(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [10, 1000])
def test_list_query_counts_are_fixed(api_client, size):
    build(size)
    measured = {}
    for url in EXPECTED_LIST:
        joiner = "&" if "?" in url else "?"
        counts = {
            count_queries(api_client, f"{url}{joiner}page_size={n}") for n in PAGE_SIZES
        }
        measured[url] = counts.pop() if len(counts) == 1 else sorted(counts)
    assert measured == EXPECTED_LIST


@pytest.mark.django_db
@pytest.mark.parametrize("size", [10, 1000])
def test_detail_query_counts_are_fixed(api_client, size):
    first = build(size)
    measured = {
        resource: count_queries(api_client, f"/api/v1/{resource}/{pk}/")
        for resource, pk in first.items()
    }
    assert measured == EXPECTED_DETAIL


@pytest.mark.django_db
def test_following_pages_costs_the_same(api_client):
    build(60)
    url, counts = "/api/v1/incidents/?page_size=20", []
    while url:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = api_client.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        counts.append(len(queries))
        url = response.json()["next"]
    assert counts == [EXPECTED_LIST["/api/v1/incidents/"]] * 3
