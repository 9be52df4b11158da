"""Structured-record rules: constraints in the database, reconciled figure ranges."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from incidents.models import Actor, Figure, Metric, Place
from tests.factories import (
    ActorAliasFactory,
    ActorFactory,
    ArticleFactory,
    FigureFactory,
    IncidentFactory,
    PlaceFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db


def test_figure_low_must_not_exceed_high():
    with pytest.raises(IntegrityError):
        FigureFactory(low=80, high=67)


def test_figure_needs_a_citation():
    figure = FigureFactory.build(
        incident=IncidentFactory(), url="", article=None, source=None
    )
    with pytest.raises(ValidationError) as err:
        figure.clean()
    assert "article" in err.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        figure.save()


def test_incident_end_not_before_start():
    with pytest.raises(IntegrityError):
        IncidentFactory(
            start_date=datetime.date(2022, 1, 26), end_date=datetime.date(2022, 1, 20)
        )


@pytest.mark.parametrize(
    ("lat", "lon"), [("91", "40"), ("-91", "40"), ("36", "181"), ("36", "-181")]
)
def test_coordinates_in_range(lat, lon):
    with pytest.raises(IntegrityError):
        PlaceFactory(latitude=lat, longitude=lon)


def test_coordinates_come_together():
    with pytest.raises(IntegrityError), transaction.atomic():
        PlaceFactory(latitude="36.1", longitude=None)
    assert Place.objects.count() == 0


def test_actor_found_by_any_alias_ignoring_case():
    isis = ActorFactory(name="Islamic State")
    for alias in ("ISIS", "IS", "ISIL", "Daesh"):
        ActorAliasFactory(actor=isis, name=alias)
    assert list(Actor.objects.matching("daesh")) == [isis]
    assert list(Actor.objects.matching("islamic state")) == [isis]
    with pytest.raises(IntegrityError):
        ActorAliasFactory(actor=ActorFactory(), name="isis")


def test_figure_ranges_reconcile_claims_in_one_query(django_assert_num_queries):
    incident = IncidentFactory()
    FigureFactory(incident=incident, low=67, claimant="SDF")
    FigureFactory(incident=incident, low=70, claimant="SOHR")
    FigureFactory(incident=incident, low=68, high=69, claimant="Local sources")
    FigureFactory(incident=incident, metric=Metric.ESCAPED, low=80, claimant="SDF")
    with django_assert_num_queries(1):
        rows = list(Figure.objects.filter(incident=incident).ranges())
    killed = next(r for r in rows if r["metric"] == Metric.KILLED)
    assert (
        killed["range_low"],
        killed["range_high"],
        killed["claims"],
        killed["claimants"],
    ) == (67, 70, 3, 3)
    assert killed["max_low"] > killed["min_high"]  # 70 and 67 cannot both be right
    escaped = next(r for r in rows if r["metric"] == Metric.ESCAPED)
    assert escaped["max_low"] <= escaped["min_high"]


def test_public_figures_and_recommendations_hide_unpublished_links():
    draft_article = ArticleFactory()
    live_article = ArticleFactory(published=True)
    public_incident = IncidentFactory()
    draft_incident = IncidentFactory(draft=True)
    shown = FigureFactory(incident=public_incident, article=live_article)
    FigureFactory(incident=public_incident, article=draft_article)
    FigureFactory(incident=draft_incident)
    assert list(Figure.objects.public()) == [shown]

    from incidents.models import Recommendation

    visible = RecommendationFactory(made_in=live_article, incident=public_incident)
    RecommendationFactory(made_in=draft_article)
    RecommendationFactory(made_in=live_article, incident=draft_incident)
    assert list(Recommendation.objects.public()) == [visible]


def test_recommendation_needs_an_addressee():
    with pytest.raises(IntegrityError):
        RecommendationFactory(addressed_to_group="", addressed_to_countries=[])
