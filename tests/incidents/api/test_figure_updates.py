"""Correcting a recorded figure over the API: permissions, If-Match, validation."""

import pytest

from incidents.models import Figure
from tests.factories import FigureFactory

pytestmark = pytest.mark.django_db


def _url(figure):
    return f"/api/v1/figures/{figure.pk}/"


def test_editor_corrects_a_figure_with_its_version(api_client, editor):
    figure = FigureFactory(low=67, claimant="SDF")
    api_client.force_authenticate(editor)
    response = api_client.patch(
        _url(figure), {"low": 68, "high": 70}, format="json", HTTP_IF_MATCH="1"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["low"], response.json()["high"]) == (68, 70)
    assert response.json()["version"] == 2
    assert response["ETag"] == f'W/"f{figure.pk}-v2"'
    figure.refresh_from_db()
    assert (figure.low, figure.high, figure.version) == (68, 70, 2)
    assert figure.history.count() == 2


def test_stale_or_missing_if_match_writes_nothing(api_client, editor):
    figure = FigureFactory(low=67)
    api_client.force_authenticate(editor)
    api_client.patch(_url(figure), {"low": 68}, format="json", HTTP_IF_MATCH="1")
    stale = api_client.patch(
        _url(figure), {"low": 99}, format="json", HTTP_IF_MATCH="1"
    )
    assert stale.status_code == 412
    missing = api_client.patch(_url(figure), {"low": 99}, format="json")
    assert missing.status_code == 428
    figure.refresh_from_db()
    assert (figure.low, figure.version) == (68, 2)


def test_invalid_correction_is_a_400_with_the_field(api_client, editor):
    figure = FigureFactory(low=67)
    api_client.force_authenticate(editor)
    response = api_client.patch(
        _url(figure), {"low": 80, "high": 10}, format="json", HTTP_IF_MATCH="1"
    )
    assert response.status_code == 400
    assert "high" in response.json()["errors"]
    figure.refresh_from_db()
    assert (figure.low, figure.version) == (67, 1)


@pytest.mark.parametrize("role", ["reporter", "moderator"])
def test_only_editors_correct_figures(request, api_client, role):
    figure = FigureFactory(low=67)
    api_client.force_authenticate(request.getfixturevalue(role))
    response = api_client.patch(
        _url(figure), {"low": 1}, format="json", HTTP_IF_MATCH="1"
    )
    assert response.status_code == 403
    assert Figure.objects.get(pk=figure.pk).low == 67


def test_anonymous_cannot_correct(api_client):
    figure = FigureFactory(low=67)
    response = api_client.patch(
        _url(figure), {"low": 1}, format="json", HTTP_IF_MATCH="1"
    )
    assert response.status_code in (401, 403)
    assert Figure.objects.get(pk=figure.pk).low == 67
