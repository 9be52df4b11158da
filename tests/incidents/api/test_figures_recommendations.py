"""Figures and recommendations API: public rows only, filters, CSV and writes."""

import csv
import datetime
import io

import pytest

from incidents.models import (
    Figure,
    IncidentStatus,
    Recommendation,
    RecommendationStatus,
)
from tests.factories import (
    ArticleFactory,
    FigureFactory,
    IncidentFactory,
    PersonFactory,
    RecommendationFactory,
    RecommendationUpdateFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

FIGURES = "/api/v1/figures/"
RECOMMENDATIONS = "/api/v1/recommendations/"


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def rows(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


# --- Figures ---------------------------------------------------------------------


def test_figures_are_public_only(api_client):
    shown = FigureFactory(article=ArticleFactory(published=True))
    FigureFactory(incident=IncidentFactory(status=IncidentStatus.DRAFT))
    FigureFactory(article=ArticleFactory())
    FigureFactory(article=ArticleFactory(scheduled=True))
    assert ids(api_client.get(FIGURES)) == [shown.pk]
    assert [int(r["id"]) for r in rows(api_client.get(FIGURES, {"format": "csv"}))] == [
        shown.pk
    ]


def test_figure_filters_and_ordering(api_client):
    source = SourceFactory(slug="sohr")
    article = ArticleFactory(published=True)
    killed = FigureFactory(metric="killed", low=67, high=70, source=source)
    escaped = FigureFactory(
        metric="escaped",
        group="inmates",
        low=100,
        high=100,
        claimant="ISIS via Amaq",
        article=article,
        reported_on=datetime.date(2022, 1, 25),
    )
    assert ids(api_client.get(FIGURES, {"metric": "escaped"})) == [escaped.pk]
    assert ids(api_client.get(FIGURES, {"group": "inmates"})) == [escaped.pk]
    assert ids(api_client.get(FIGURES, {"claimant": "isis via amaq"})) == [escaped.pk]
    assert ids(api_client.get(FIGURES, {"incident": killed.incident_id})) == [killed.pk]
    assert ids(api_client.get(FIGURES, {"article": article.pk})) == [escaped.pk]
    assert ids(api_client.get(FIGURES, {"source": "sohr"})) == [killed.pk]
    assert ids(api_client.get(FIGURES, {"country": "SY"})) == [escaped.pk, killed.pk]
    assert ids(api_client.get(FIGURES, {"reported_after": "2022-01-24"})) == [
        escaped.pk
    ]
    assert ids(api_client.get(FIGURES, {"ordering": "-high"})) == [
        escaped.pk,
        killed.pk,
    ]
    assert api_client.get(FIGURES, {"metric": "eaten"}).status_code == 400
    assert api_client.get(FIGURES, {"reported_after": "soon"}).status_code == 400


def test_figure_csv_columns(api_client):
    figure = FigureFactory(low=67, high=70, claimant="SDF")
    row = rows(api_client.get("/api/v1/figures.csv"))[0]
    assert row["incident_id"] == str(figure.incident_id)
    assert (row["metric"], row["low"], row["high"], row["claimant"]) == (
        "killed",
        "67",
        "70",
        "SDF",
    )
    assert row["citation_url"] == "https://example.org/report"


@pytest.mark.parametrize(
    ("claimant", "cell"),
    [
        (
            '=HYPERLINK("https://evil.example","x")',
            '\'=HYPERLINK("https://evil.example","x")',
        ),
        ("+1 203 555", "'+1 203 555"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("-12", "-12"),
        ("SDF", "SDF"),
    ],
)
def test_figure_csv_never_starts_a_formula(api_client, claimant, cell):
    FigureFactory(claimant=claimant)
    assert rows(api_client.get("/api/v1/figures.csv"))[0]["claimant"] == cell


def test_editor_adds_a_figure_reporter_cannot(api_client, editor, reporter):
    incident = IncidentFactory()
    payload = {
        "incident": incident.pk,
        "metric": "killed",
        "low": 12,
        "claimant": "SDF",
        "url": "https://example.org/sdf",
    }
    api_client.force_authenticate(reporter)
    assert api_client.post(FIGURES, payload, format="json").status_code == 403
    api_client.force_authenticate(editor)
    response = api_client.post(FIGURES, payload, format="json")
    assert response.status_code == 201, response.content
    figure = Figure.objects.get(pk=response.json()["id"])
    assert (figure.low, figure.high) == (12, 12)


def test_figure_without_citation_is_400(api_client, editor):
    api_client.force_authenticate(editor)
    response = api_client.post(
        FIGURES,
        {
            "incident": IncidentFactory().pk,
            "metric": "killed",
            "low": 1,
            "claimant": "X",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "article" in response.json()["errors"]


def test_anonymous_cannot_add_figures(api_client):
    response = api_client.post(FIGURES, {}, format="json")
    assert response.status_code == 401


# --- Recommendations ----------------------------------------------------------------


def test_recommendations_are_public_only(api_client):
    shown = RecommendationFactory(made_in=ArticleFactory(published=True))
    RecommendationFactory(made_in=ArticleFactory())
    RecommendationFactory(made_in=ArticleFactory(retracted=True))
    RecommendationFactory(incident=IncidentFactory(status=IncidentStatus.DRAFT))
    assert ids(api_client.get(RECOMMENDATIONS)) == [shown.pk]


def test_history_hides_unpublished_evidence(api_client):
    recommendation = RecommendationFactory()
    public = ArticleFactory(published=True)
    RecommendationUpdateFactory(recommendation=recommendation, evidence_article=public)
    draft = ArticleFactory()
    RecommendationUpdateFactory(
        recommendation=recommendation,
        evidence_article=draft,
        status=RecommendationStatus.ACCEPTED,
    )
    response = api_client.get(f"{RECOMMENDATIONS}{recommendation.pk}/")
    history = response.json()["history"]
    assert [
        h["evidence_article"]["id"] if h["evidence_article"] else None for h in history
    ] == [
        public.pk,
        None,
    ]
    assert draft.slug not in response.content.decode()


def test_recommendation_filters(api_client):
    person = PersonFactory(slug="karagiannis")
    french = RecommendationFactory(
        addressed_to_countries=["FR", "DE"], recommended_by_person=person
    )
    prosecute = RecommendationFactory(action="prosecute", addressed_to_countries=["GB"])
    assert ids(api_client.get(RECOMMENDATIONS, {"addressed_country": "DE"})) == [
        french.pk
    ]
    assert ids(api_client.get(RECOMMENDATIONS, {"addressed_country": "FR"})) == [
        french.pk
    ]
    assert ids(api_client.get(RECOMMENDATIONS, {"action": "prosecute"})) == [
        prosecute.pk
    ]
    assert ids(api_client.get(RECOMMENDATIONS, {"person": "karagiannis"})) == [
        french.pk
    ]
    proposed = ids(api_client.get(RECOMMENDATIONS, {"status": "proposed"}))
    assert sorted(proposed) == sorted([french.pk, prosecute.pk])
    assert ids(api_client.get(RECOMMENDATIONS, {"status": "rejected"})) == []
    assert api_client.get(RECOMMENDATIONS, {"status": "maybe"}).status_code == 400
    assert (
        api_client.get(RECOMMENDATIONS, {"addressed_country": "ZZ"}).status_code == 400
    )


def test_recommendation_csv(api_client):
    recommendation = RecommendationFactory(addressed_to_countries=["FR", "DE"])
    RecommendationUpdateFactory(
        recommendation=recommendation, changed_on=datetime.date(2022, 2, 1)
    )
    row = rows(api_client.get(RECOMMENDATIONS, {"format": "csv"}))[0]
    assert row["action"] == "repatriate"
    assert row["addressed_to_countries"] == "DE; FR"
    assert row["history"] == "2022-02-01 acknowledged"


def test_editor_creates_and_changes_status(api_client, editor, reporter):
    article = ArticleFactory(published=True)
    api_client.force_authenticate(reporter)
    payload = {
        "action": "repatriate",
        "statement": "Repatriate citizens.",
        "addressed_to_group": "countries of origin",
        "made_in": article.pk,
    }
    assert api_client.post(RECOMMENDATIONS, payload, format="json").status_code == 403
    api_client.force_authenticate(editor)
    response = api_client.post(RECOMMENDATIONS, payload, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["status"] == "proposed"

    change = api_client.post(
        f"{RECOMMENDATIONS}{pk}/status/",
        {"status": "accepted", "evidence_url": "https://example.org/yes"},
        format="json",
    )
    assert change.status_code == 200, change.content
    assert change.json()["status"] == "accepted"
    assert [h["status"] for h in change.json()["history"]] == ["proposed", "accepted"]

    again = api_client.post(
        f"{RECOMMENDATIONS}{pk}/status/",
        {"status": "accepted", "note": "Again"},
        format="json",
    )
    assert again.status_code == 400
    assert "status" in again.json()["errors"]
    assert Recommendation.objects.get(pk=pk).status == "accepted"


def test_recommendation_without_addressee_is_400(api_client, editor):
    api_client.force_authenticate(editor)
    response = api_client.post(
        RECOMMENDATIONS, {"action": "repatriate", "statement": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "addressed_to_group" in response.json()["errors"]
