"""Services for figures and recommendation status, with their permissions."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from incidents import services
from incidents.models import CandidateStatus, Figure, Metric, RecommendationStatus
from tests.factories import ArticleFactory, FigureCandidateFactory, IncidentFactory

pytestmark = pytest.mark.django_db


def test_figure_add_validates_and_defaults_point_values(editor):
    incident = IncidentFactory()
    figure = services.figure_add(
        incident=incident,
        user=editor,
        metric=Metric.KILLED,
        low=67,
        claimant="SDF",
        url="https://e.org",
    )
    assert (figure.low, figure.high) == (67, 67)
    with pytest.raises(ValidationError) as err:
        services.figure_add(
            incident=incident,
            user=editor,
            metric=Metric.KILLED,
            low=9,
            high=3,
            claimant="X",
        )
    assert {"high", "article"} <= err.value.message_dict.keys()
    assert Figure.objects.count() == 1


def test_figure_add_needs_permission(reporter):
    with pytest.raises(PermissionDenied):
        services.figure_add(
            incident=IncidentFactory(),
            user=reporter,
            metric="killed",
            low=1,
            claimant="X",
            url="https://e.org",
        )


def test_candidate_confirm_creates_cited_figure_once(editor):
    candidate = FigureCandidateFactory(metric=Metric.DETAINED)
    incident = IncidentFactory()
    figure = services.figure_candidate_confirm(
        candidate=candidate, incident=incident, user=editor, claimant="Karagiannis"
    )
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.CONFIRMED and candidate.figure == figure
    assert figure.article == candidate.article and figure.low == 12000
    with pytest.raises(ValidationError, match="already been handled"):
        services.figure_candidate_confirm(
            candidate=candidate, incident=incident, user=editor, claimant="X"
        )


def _recommendation(editor):
    return services.recommendation_create(
        user=editor,
        action="repatriate",
        statement="Repatriate citizens detained in SDF prisons.",
        addressed_to_group="countries of origin",
        made_in=ArticleFactory(published=True),
        changed_on=datetime.date(2022, 1, 30),
    )


def test_recommendation_history_is_kept(editor):
    recommendation = _recommendation(editor)
    assert [u.status for u in recommendation.updates.all()] == ["proposed"]
    services.recommendation_set_status(
        recommendation=recommendation,
        status=RecommendationStatus.IN_PROGRESS,
        user=editor,
        changed_on=datetime.date(2022, 6, 1),
        evidence_url="https://example.org/repatriation-flight",
    )
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.IN_PROGRESS
    assert recommendation.status_changed_on == datetime.date(2022, 6, 1)
    assert [u.status for u in recommendation.updates.all()] == [
        "proposed",
        "in_progress",
    ]


def test_status_change_needs_evidence_and_a_real_change(editor):
    recommendation = _recommendation(editor)
    with pytest.raises(ValidationError) as err:
        services.recommendation_set_status(
            recommendation=recommendation, status="accepted", user=editor
        )
    assert "evidence_url" in err.value.message_dict
    with pytest.raises(ValidationError, match="already proposed"):
        services.recommendation_set_status(
            recommendation=recommendation, status="proposed", user=editor, note="x"
        )
    with pytest.raises(ValidationError, match="not a recommendation status"):
        services.recommendation_set_status(
            recommendation=recommendation, status="bogus", user=editor, note="x"
        )
    assert recommendation.updates.count() == 1


def test_status_change_needs_permission(editor, reporter):
    recommendation = _recommendation(editor)
    with pytest.raises(PermissionDenied):
        services.recommendation_set_status(
            recommendation=recommendation, status="accepted", user=reporter, note="x"
        )


def test_figure_update_guards_its_version(editor):
    from tests.factories import FigureFactory

    figure = FigureFactory(low=67)
    services.figure_update(
        figure=figure, user=editor, data={"low": 68}, expected_version=1
    )
    with pytest.raises(services.FigureConflict):
        services.figure_update(
            figure=figure, user=editor, data={"low": 99}, expected_version=1
        )
    with pytest.raises(ValidationError):
        services.figure_update(
            figure=figure, user=editor, data={"incident": None}, expected_version=None
        )
    figure.refresh_from_db()
    assert (figure.low, figure.high, figure.version) == (68, 68, 2)


def test_admin_edit_of_a_figure_goes_through_the_service(client, editor):
    from django.urls import reverse

    from tests.factories import FigureFactory

    figure = FigureFactory(low=67, claimant="SDF")
    client.force_login(editor)
    url = reverse("admin:incidents_figure_change", args=[figure.pk])
    data = {
        "metric": figure.metric,
        "group": figure.group,
        "low": 70,
        "high": 70,
        "qualifier": figure.qualifier,
        "claimant": "SDF",
        "url": figure.url,
        "excerpt": "",
        "note": "",
    }
    assert client.post(url, data).status_code == 302
    figure.refresh_from_db()
    assert (figure.low, figure.version) == (70, 2)
