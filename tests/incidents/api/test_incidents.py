"""Incidents, actors and places API: published incidents only, filters, CSV, GeoJSON."""

import csv
import datetime
import io

import pytest

from incidents.models import ActorRole, IncidentKind, IncidentStatus, Verification
from tests.factories import (
    ActorAliasFactory,
    ActorFactory,
    ArticleFactory,
    FigureFactory,
    IncidentActorFactory,
    IncidentFactory,
    PlaceFactory,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/incidents/"


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def test_draft_incidents_never_appear(api_client):
    shown = IncidentFactory()
    draft = IncidentFactory(status=IncidentStatus.DRAFT)
    assert ids(api_client.get(LIST)) == [shown.pk]
    assert api_client.get(f"{LIST}{draft.pk}/").status_code == 404
    geojson = api_client.get("/api/v1/incidents.geojson").json()
    assert [f["id"] for f in geojson["features"]] == [shown.pk]
    rows = list(
        csv.DictReader(
            io.StringIO(api_client.get(LIST + "?format=csv").content.decode())
        )
    )
    assert [int(r["id"]) for r in rows] == [shown.pk]


def test_incident_payload_names_only_published_articles_and_public_figures(api_client):
    incident = IncidentFactory()
    published = ArticleFactory(published=True)
    hidden = [
        ArticleFactory(),
        ArticleFactory(in_review=True),
        ArticleFactory(scheduled=True),
        ArticleFactory(retracted=True),
    ]
    incident.articles.add(published, *hidden)
    FigureFactory(incident=incident, article=published, low=67, high=67)
    for article in hidden:
        FigureFactory(incident=incident, article=article, low=9999, high=9999)

    listed = api_client.get(LIST).json()["results"][0]
    assert listed["articles"] == [published.pk]
    assert listed["figure_ranges"][0]["high"] == 67
    detail = api_client.get(f"{LIST}{incident.pk}/")
    data = detail.json()
    assert [a["id"] for a in data["article_summaries"]] == [published.pk]
    assert [f["low"] for f in data["figures"]] == [67]
    for article in hidden:
        assert f"/api/v1/articles/{article.pk}/" not in detail.content.decode()
    assert b"9999" not in detail.content


def test_figure_ranges_are_reconciled_and_flag_contradictions(api_client):
    incident = IncidentFactory()
    FigureFactory(incident=incident, metric="killed", low=67, high=67, claimant="SDF")
    FigureFactory(incident=incident, metric="killed", low=70, high=70, claimant="SOHR")
    FigureFactory(incident=incident, metric="escaped", low=10, high=20, claimant="A")
    FigureFactory(incident=incident, metric="escaped", low=15, high=25, claimant="A")
    ranges = {
        r["metric"]: r
        for r in api_client.get(f"{LIST}{incident.pk}/").json()["figure_ranges"]
    }
    assert ranges["killed"] == {
        "metric": "killed",
        "group": "total",
        "low": 67,
        "high": 70,
        "claims": 2,
        "claimants": 2,
        "contradictory": True,
    }
    assert ranges["escaped"]["contradictory"] is False
    assert ranges["escaped"]["claimants"] == 1


def test_actors_grouped_by_role(api_client):
    incident = IncidentFactory()
    isis = ActorFactory(name="Islamic State")
    sdf = ActorFactory(name="SDF")
    IncidentActorFactory(incident=incident, actor=isis, role=ActorRole.PERPETRATOR)
    IncidentActorFactory(incident=incident, actor=sdf, role=ActorRole.RESPONDER)
    actors = api_client.get(LIST).json()["results"][0]["actors"]
    assert [a["name"] for a in actors["perpetrator"]] == ["Islamic State"]
    assert [a["name"] for a in actors["responder"]] == ["SDF"]
    assert actors["target"] == []


def test_filters(api_client):
    iraq = PlaceFactory(country="IQ", slug="mosul")
    old = IncidentFactory(
        start_date=datetime.date(2019, 3, 1),
        end_date=None,
        kind=IncidentKind.CLASH,
        verification=Verification.CONFIRMED,
        place=iraq,
    )
    new = IncidentFactory(start_date=datetime.date(2022, 1, 20))
    actor = ActorFactory(slug="isis")
    IncidentActorFactory(incident=new, actor=actor, role=ActorRole.PERPETRATOR)
    article = ArticleFactory(published=True)
    old.articles.add(article)

    assert ids(api_client.get(LIST, {"start_after": "2020-01-01"})) == [new.pk]
    assert ids(api_client.get(LIST, {"start_before": "2020-01-01"})) == [old.pk]
    assert ids(api_client.get(LIST, {"kind": "clash"})) == [old.pk]
    assert ids(api_client.get(LIST, {"verification": "confirmed"})) == [old.pk]
    assert ids(api_client.get(LIST, {"country": "IQ"})) == [old.pk]
    assert ids(api_client.get(LIST, {"place": "mosul"})) == [old.pk]
    assert ids(api_client.get(LIST, {"actor": "isis"})) == [new.pk]
    assert ids(api_client.get(LIST, {"actor": "isis", "actor_role": "target"})) == []
    assert ids(api_client.get(LIST, {"article": article.pk})) == [old.pk]
    assert ids(api_client.get(LIST, {"q": "prison"})) == [new.pk, old.pk]
    assert ids(api_client.get(LIST, {"ordering": "start_date"})) == [old.pk, new.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start_after": "20/01/2022"}, "start_after"),
        ({"start_before": "2022-02-30"}, "start_before"),
        ({"kind": "picnic"}, "kind"),
        ({"kind": ""}, "kind"),
        ({"country": "XX"}, "country"),
        ({"country": "sy"}, "country"),
        ({"verification": "rumour"}, "verification"),
        ({"article": "one"}, "article"),
        ({"ordering": "title"}, "ordering"),
        ({"format": "geojson", "kind": "bad"}, "kind"),
    ],
)
def test_invalid_filters_are_400(api_client, params, field):
    response = api_client.get(LIST, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert field in response.json()["errors"]


def test_article_filter_never_reveals_unpublished_links(api_client):
    incident = IncidentFactory()
    draft = ArticleFactory()
    incident.articles.add(draft)
    assert ids(api_client.get(LIST, {"article": draft.pk})) == []


def test_csv_has_one_flat_row_per_incident(api_client):
    incident = IncidentFactory(title="Attack on Ghwayran prison")
    IncidentActorFactory(incident=incident, actor=ActorFactory(name="Islamic State"))
    FigureFactory(incident=incident, low=67, high=70)
    response = api_client.get(LIST, {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    row = rows[0]
    assert row["title"] == "Attack on Ghwayran prison"
    assert row["country"] == "SY"
    assert row["latitude"] == "36.4869"
    assert row["perpetrators"] == "Islamic State"
    assert row["figures"] == "killed total: 67-70"
    assert row["api_url"] == f"http://testserver/api/v1/incidents/{incident.pk}/"
    assert api_client.get("/api/v1/incidents.csv").content == response.content


def test_geojson_feature_collection(api_client):
    located = IncidentFactory()
    unlocated = IncidentFactory(place=PlaceFactory(latitude=None, longitude=None))
    nowhere = IncidentFactory(place=None)
    by_suffix = api_client.get("/api/v1/incidents.geojson")
    by_param = api_client.get(LIST, {"format": "geojson"})
    assert by_suffix["Content-Type"] == "application/geo+json"
    assert by_suffix.content == by_param.content
    collection = by_suffix.json()
    assert collection["type"] == "FeatureCollection"
    features = {f["id"]: f for f in collection["features"]}
    assert features[located.pk]["geometry"] == {
        "type": "Point",
        "coordinates": [40.7527, 36.4869],
    }
    assert features[unlocated.pk]["geometry"] is None
    assert features[nowhere.pk]["geometry"] is None
    assert features[located.pk]["properties"]["url"].endswith(
        f"/incidents/{located.pk}/"
    )


def test_geojson_pages_link_onwards(api_client):
    for _ in range(3):
        IncidentFactory()
    response = api_client.get("/api/v1/incidents.geojson?page_size=2")
    body = response.json()
    assert len(body["features"]) == 2
    assert body["next"] and 'rel="next"' in response["Link"]


def test_actors_and_places(api_client):
    actor = ActorFactory(name="Islamic State", country="IQ")
    ActorAliasFactory(actor=actor, name="Daesh")
    IncidentActorFactory(incident=IncidentFactory(), actor=actor)
    IncidentActorFactory(
        incident=IncidentFactory(status=IncidentStatus.DRAFT), actor=actor
    )
    data = api_client.get("/api/v1/actors/", {"name": "daesh"}).json()["results"]
    assert [a["id"] for a in data] == [actor.pk]
    assert data[0]["aliases"] == ["Daesh"]
    assert data[0]["incident_count"] == 1
    assert data[0]["country"] == "IQ"
    assert api_client.get("/api/v1/actors/", {"kind": "ngo"}).json()["results"] == []

    places = api_client.get("/api/v1/places/", {"country": "SY"}).json()["results"]
    assert {p["incident_count"] for p in places} == {1, 0}
    assert api_client.get("/api/v1/places/", {"kind": "moon"}).status_code == 400
