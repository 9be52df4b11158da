"""Structured-record rules: constraints in the database, reconciled figure ranges."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from incidents.models import Actor, Figure, Incident, Metric, Place, Recommendation
from incidents.selectors import figure_ranges, in_focus_rows
from tests.factories import (
    ActorAliasFactory,
    ActorFactory,
    ArticleFactory,
    FigureFactory,
    IncidentFactory,
    PlaceFactory,
    RecommendationFactory,
)
from tests.query_plans import require_sqlite, sqlite_plans

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


def test_figure_ranges_reconcile_claims():
    incident = IncidentFactory()
    FigureFactory(incident=incident, low=67, claimant="SDF")
    FigureFactory(incident=incident, low=70, claimant="SOHR")
    FigureFactory(incident=incident, low=68, high=69, claimant="Local sources")
    FigureFactory(incident=incident, metric=Metric.ESCAPED, low=80, claimant="SDF")
    rows = figure_ranges(figures=Figure.objects.filter(incident=incident))
    killed = next(r for r in rows if r["metric"] == Metric.KILLED)
    assert (
        killed["low"],
        killed["high"],
        killed["claims"],
        killed["claimants"],
    ) == (67, 70, 3, 3)
    assert killed["contradictory"]  # 70 and 67 cannot both be right
    escaped = next(r for r in rows if r["metric"] == Metric.ESCAPED)
    assert not escaped["contradictory"]


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


def test_public_parts_of_recommendations_are_public_split_by_article():
    from incidents.models import Recommendation

    public_incident = IncidentFactory()
    in_no_article = RecommendationFactory(made_in=None, incident=public_incident)
    in_live = RecommendationFactory(made_in=ArticleFactory(published=True))
    RecommendationFactory(made_in=ArticleFactory())
    RecommendationFactory(made_in=ArticleFactory(scheduled=True))
    RecommendationFactory(made_in=None, incident=IncidentFactory(draft=True))
    without, published = Recommendation.objects.public_parts()
    assert list(without) == [in_no_article]
    assert list(published) == [in_live]
    assert {*without, *published} == set(Recommendation.objects.public())


def test_recommendation_needs_an_addressee():
    with pytest.raises(IntegrityError):
        RecommendationFactory(addressed_to_group="", addressed_to_countries=[])


def test_public_associations_name_published_articles_newest_first():
    incident = IncidentFactory()
    now = timezone.now()
    older = ArticleFactory(published=True, publish_at=now - datetime.timedelta(days=2))
    newer = ArticleFactory(published=True, publish_at=now - datetime.timedelta(days=1))
    hidden = [
        ArticleFactory(),
        ArticleFactory(in_review=True),
        ArticleFactory(scheduled=True),
        ArticleFactory(retracted=True),
    ]
    incident.articles.add(older, newer, *hidden)

    fetched = Incident.objects.with_public_associations().get(pk=incident.pk)

    assert fetched.published_articles == [newer, older]


def test_a_page_of_incidents_reads_its_articles_from_the_links():
    """Not from the published-articles index, which spans the whole archive."""
    require_sqlite()
    incident = IncidentFactory()
    incident.articles.add(ArticleFactory(published=True))

    with sqlite_plans() as plans:
        list(Incident.objects.published().with_public_associations()[:20])

    steps = next(s for sql, s in plans if "_prefetch_related_val_incident_id" in sql)
    assert steps[0].startswith("SEARCH incidents_incident_articles")


def test_articles_read_their_published_incidents_from_the_links():
    """Not from every published incident: the planner is told most are published."""
    require_sqlite()
    article = ArticleFactory(published=True)
    IncidentFactory().articles.add(article)
    IncidentFactory(draft=True).articles.add(article)

    with sqlite_plans() as plans:
        found = list(Incident.objects.published().filter(articles=article))

    assert len(found) == 1
    ((_, steps),) = plans
    assert steps[0].startswith("SEARCH incidents_incident_articles")


def test_figures_of_a_page_of_incidents_start_from_those_incidents():
    require_sqlite()
    page = [IncidentFactory() for _ in range(3)]
    for incident in page:
        FigureFactory(incident=incident)

    with sqlite_plans() as plans:
        list(Figure.objects.public().filter(incident__in=page))

    ((_, steps),) = plans
    assert not [step for step in steps if "(status=?" in step]


def test_the_incidents_in_focus_are_read_from_their_own_index():
    """Not by walking every published incident for the few in focus."""
    require_sqlite()
    IncidentFactory(in_focus=True)
    IncidentFactory(in_focus=False)

    with sqlite_plans() as plans:
        rows = in_focus_rows()

    assert len(rows) == 1
    ((_, steps),) = plans
    assert "incident_in_focus_idx" in steps[0]


def test_public_recommendations_check_their_incident_without_an_or():
    """`incident IS NULL OR EXISTS(published incident)` made PostgreSQL hash the
    key of every published incident before reading a row (3 ms a search at
    10,000 incidents); no unpublished incident with the key is the same rows."""
    sql = str(Recommendation.objects.public().query)
    assert '"incident_id" IS NULL OR' not in sql
    assert "NOT EXISTS" in sql


def test_public_recommendations_are_those_with_no_incident_or_a_published_one():
    from incidents.models import IncidentStatus

    loose = RecommendationFactory(incident=None)
    shown = RecommendationFactory(incident=IncidentFactory())
    hidden = RecommendationFactory(
        incident=IncidentFactory(status=IncidentStatus.DRAFT)
    )
    public = set(Recommendation.objects.public().values_list("pk", flat=True))
    assert {loose.pk, shown.pk} <= public and hidden.pk not in public
    for part in Recommendation.objects.public_parts():
        assert hidden.pk not in set(part.values_list("pk", flat=True))
