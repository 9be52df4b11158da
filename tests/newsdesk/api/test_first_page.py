"""The first page of a list read through a prepared query: the queryset path's answer."""

import datetime

import pytest

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _bypass(settings):
    settings.NEWSDESK_CACHE_BYPASS_PARAM = "fresh"


def test_first_page_matches_the_queryset_path(api_client):
    for _ in range(5):
        ArticleFactory(published=True)
    ArticleFactory(headline="Draft story")
    ArticleFactory(scheduled=True, headline="Embargoed story")

    prepared = api_client.get("/api/v1/articles/?page_size=2")
    # Naming the default order takes the queryset path.
    ordered = api_client.get("/api/v1/articles/?page_size=2&ordering=-published_at")

    assert prepared.status_code == ordered.status_code == 200
    first, second = prepared.json(), ordered.json()
    assert first["results"] == second["results"]
    assert first["previous"] is None
    assert (
        first["next"].split("cursor=")[1].split("&")[0]
        == (second["next"].split("cursor=")[1].split("&")[0])
    )
    assert prepared["Surrogate-Key"] == ordered["Surrogate-Key"]
    # Paging on from the first page reaches every published article once.
    seen, url = [], "/api/v1/articles/?page_size=2"
    while url:
        body = api_client.get(url).json()
        seen += [item["headline"] for item in body["results"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == 5
    assert "Draft story" not in seen and "Embargoed story" not in seen


def test_first_page_follows_the_clock(api_client, clock):
    ArticleFactory(published=True)
    ArticleFactory(
        published=True,
        publish_at=clock.now + datetime.timedelta(hours=1),
        headline="Embargoed story",
    )
    url = "/api/v1/articles/?page_size=20&fresh=1"
    headlines = [item["headline"] for item in api_client.get(url).json()["results"]]
    assert "Embargoed story" not in headlines

    clock.now += datetime.timedelta(hours=2)
    headlines = [item["headline"] for item in api_client.get(url).json()["results"]]
    assert headlines[0] == "Embargoed story"
