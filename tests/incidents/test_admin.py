"""Incident, figure and recommendation screens save through the services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from incidents.models import (
    CandidateStatus,
    Figure,
    Recommendation,
    RecommendationStatus,
)
from tests import factories as f
from tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db


# --- recommendations -------------------------------------------------------------


def test_recommendation_change_saved_unchanged_redirects(editor_client):
    recommendation = f.RecommendationFactory()
    url = reverse("admin:incidents_recommendation_change", args=[recommendation.pk])
    response = editor_client.post(url, admin_form_data(editor_client.get(url)))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:incidents_recommendation_changelist")


def test_recommendation_added_in_the_admin_starts_as_proposed(editor_client):
    url = reverse("admin:incidents_recommendation_add")
    data = {
        **admin_form_data(editor_client.get(url)),
        "action": "repatriate",
        "statement": "States should bring their nationals home.",
        "addressed_to_countries": ["FR", "DE"],
    }
    response = editor_client.post(url, data)
    assert response.status_code == 302
    created = Recommendation.objects.get()
    assert created.status == RecommendationStatus.PROPOSED
    assert {c.code for c in created.addressed_to_countries} == {"FR", "DE"}
    assert created.updates.count() == 1


def test_status_change_row_goes_through_the_service(editor_client, editor):
    recommendation = f.RecommendationFactory()
    url = reverse("admin:incidents_recommendation_change", args=[recommendation.pk])
    data = admin_form_data(editor_client.get(url))
    extra = int(data["updates-INITIAL_FORMS"])
    data.update(
        {
            f"updates-{extra}-status": RecommendationStatus.ACKNOWLEDGED,
            f"updates-{extra}-changed_on": "2022-03-01",
            f"updates-{extra}-evidence_url": "https://example.org/reply",
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.ACKNOWLEDGED
    latest = recommendation.updates.order_by("-changed_on").first()
    assert latest.created_by == editor  # set by recommendation_set_status
    from django.contrib.admin.models import LogEntry

    logged = LogEntry.objects.latest("action_time").get_change_message()
    assert "Acknowledged on 2022-03-01" in logged


def test_recommendation_edit_goes_through_the_service(editor_client, monkeypatch):
    from incidents import services

    calls = []
    real = services.recommendation_update
    monkeypatch.setattr(
        services,
        "recommendation_update",
        lambda **kw: calls.append(kw["data"]) or real(**kw),
    )
    recommendation = f.RecommendationFactory()
    url = reverse("admin:incidents_recommendation_change", args=[recommendation.pk])
    data = {**admin_form_data(editor_client.get(url)), "statement": "Revised wording."}
    assert editor_client.post(url, data).status_code == 302
    assert calls == [{"statement": "Revised wording."}]
    recommendation.refresh_from_db()
    assert recommendation.statement == "Revised wording."


def test_addressed_countries_is_a_searchable_box(editor_client):
    html = editor_client.get(
        reverse("admin:incidents_recommendation_add")
    ).content.decode()
    assert 'class="nd-choices-autocomplete"' in html
    assert "newsdesk/admin/choices-autocomplete.js" in html
    assert "admin/js/vendor/select2/select2.full" in html


# --- figures ---------------------------------------------------------------------


def _figure_data(incident, **overrides):
    return {
        "incident": incident.pk,
        "metric": "killed",
        "group": "total",
        "low": "12",
        "high": "",
        "qualifier": "exact",
        "claimant": "SDF",
        "url": "https://example.org/report",
        "excerpt": "",
        "note": "",
        **overrides,
    }


def test_a_single_number_needs_no_high(editor_client):
    incident = f.IncidentFactory()
    response = editor_client.post(
        reverse("admin:incidents_figure_add"), _figure_data(incident)
    )
    assert response.status_code == 302
    figure = Figure.objects.get()
    assert (figure.low, figure.high) == (12, 12)


def test_a_figure_inline_edit_raises_the_version_so_a_stale_api_patch_is_refused(
    editor_client, editor, api_client
):
    figure = f.FigureFactory(low=67)
    api_client.force_authenticate(editor)
    seen = api_client.get(f"/api/v1/figures/{figure.pk}/")
    assert seen.status_code == 200
    old_version = str(seen.json()["version"])

    url = reverse("admin:incidents_incident_change", args=[figure.incident.pk])
    data = admin_form_data(editor_client.get(url))
    data["figures-0-low"] = "70"
    data["figures-0-high"] = ""
    assert editor_client.post(url, data).status_code == 302
    figure.refresh_from_db()
    assert (figure.low, figure.high, figure.version) == (70, 70, 2)

    stale = api_client.patch(
        f"/api/v1/figures/{figure.pk}/",
        {"low": 99},
        format="json",
        HTTP_IF_MATCH=old_version,
    )
    assert stale.status_code == 412
    figure.refresh_from_db()
    assert figure.low == 70


def test_a_stale_figure_inline_is_refused_on_the_form(editor_client, editor):
    from incidents import services

    figure = f.FigureFactory(low=67)
    url = reverse("admin:incidents_incident_change", args=[figure.incident.pk])
    data = admin_form_data(editor_client.get(url))
    services.figure_update(
        figure=figure, user=editor, data={"low": 68}, expected_version=1
    )
    data["figures-0-low"] = "70"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "changed since you opened it" in response.content.decode()
    figure.refresh_from_db()
    assert figure.low == 68


def test_figures_added_and_deleted_in_the_inline_go_through_the_services(
    editor_client,
):
    figure = f.FigureFactory(low=5)
    incident = figure.incident
    url = reverse("admin:incidents_incident_change", args=[incident.pk])
    data = admin_form_data(editor_client.get(url))
    data["figures-0-DELETE"] = "on"
    data["figures-TOTAL_FORMS"] = "2"
    new = _figure_data(incident, low="3")
    for name, value in new.items():
        if name != "incident":
            data[f"figures-1-{name}"] = value
    data["figures-1-incident"] = str(incident.pk)
    response = editor_client.post(url, data)
    assert response.status_code == 302
    assert list(incident.figures.values_list("low", "high", "version")) == [(3, 3, 1)]


# --- figure suggestions ----------------------------------------------------------


def _candidate_action(client, action, candidates, **extra):
    return client.post(
        reverse("admin:incidents_figurecandidate_changelist"),
        {"action": action, "_selected_action": [c.pk for c in candidates], **extra},
        follow=True,
    )


def test_confirming_suggestions_records_figures(editor_client):
    candidate = f.FigureCandidateFactory(metric="detained")
    incident = f.IncidentFactory()
    _candidate_action(
        editor_client,
        "confirm_selected",
        [candidate],
        apply="1",
        incident=incident.pk,
        metric="detained",
        claimant="SDF",
    )
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.CONFIRMED
    assert candidate.figure.incident == incident


def test_dismissing_suggestions(editor_client):
    candidate = f.FigureCandidateFactory()
    _candidate_action(editor_client, "dismiss_selected", [candidate])
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.DISMISSED
