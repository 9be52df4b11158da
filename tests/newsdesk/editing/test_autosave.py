"""Autosave: the endpoint keeps one draft per editor and object, for staff who may
change it, CSRF-protected, within a size limit; the change form offers it back."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from newsdesk.models import DRAFT_MAX_BYTES, FormDraft
from tests import factories as f
from tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db

STATE = {"headline": ["Half-written headline"], "body": ["A paragraph not yet saved."]}


def _url(obj) -> str:
    return reverse(
        "editing:autosave", args=[obj._meta.app_label, obj._meta.model_name, obj.pk]
    )


def _keep(client, obj, state=STATE, version="1"):
    # As a browser's JSON.stringify sends it: non-ASCII text unescaped.
    state = json.dumps(state, ensure_ascii=False)
    return client.post(_url(obj), {"state": state, "version": version})


def test_keeps_one_draft_per_editor_and_object_and_answers_it(editor_client, editor):
    article = f.ArticleFactory()
    assert _keep(editor_client, article).status_code == 200
    second = {"headline": ["Second try"]}
    assert _keep(editor_client, article, second, "3").status_code == 200
    draft = FormDraft.objects.get()
    assert (draft.user, draft.object_id, draft.state) == (
        editor,
        str(article.pk),
        second,
    )
    answer = editor_client.get(_url(article)).json()["draft"]
    assert answer["state"] == second and answer["version"] == "3"
    assert answer["saved_at_label"]


def test_drafts_are_per_user(editor_client, client, superuser):
    article = f.ArticleFactory()
    _keep(editor_client, article)
    client.force_login(superuser)
    assert client.get(_url(article)).json() == {"draft": None}
    _keep(client, article, {"headline": ["Root's"]})
    assert FormDraft.objects.count() == 2


def test_discard_deletes_the_draft(editor_client):
    article = f.ArticleFactory()
    _keep(editor_client, article)
    response = editor_client.post(_url(article), {"discard": "1"})
    assert response.json() == {"draft": None}
    assert not FormDraft.objects.exists()


def test_a_successful_save_deletes_the_draft_a_refused_one_keeps_it(editor_client):
    article = f.ArticleFactory(headline="Before")
    change = reverse("admin:newsdesk_article_change", args=[article.pk])
    _keep(editor_client, article)
    data = admin_form_data(editor_client.get(change))
    refused = editor_client.post(change, {**data, "headline": ""})
    assert refused.status_code == 200  # a required field left empty
    assert FormDraft.objects.exists()
    saved = editor_client.post(change, {**data, "headline": "After"})
    assert saved.status_code == 302
    assert not FormDraft.objects.exists()


@pytest.mark.parametrize(
    "state",
    [
        "not json",
        "[]",
        json.dumps({"headline": "a string, not a list"}),
        json.dumps({"headline": [1, 2]}),
        json.dumps({"": ["no name"]}),
        json.dumps({"x" * 201: ["long name"]}),
    ],
)
def test_bad_state_is_a_400_and_nothing_is_kept(editor_client, state):
    article = f.ArticleFactory()
    response = editor_client.post(_url(article), {"state": state})
    assert response.status_code == 400
    assert "error" in response.json()
    assert not FormDraft.objects.exists()


def test_a_state_over_the_size_limit_is_refused(editor_client):
    article = f.ArticleFactory()
    big = {"body": ["é" * (DRAFT_MAX_BYTES // 2 + 1)]}
    response = _keep(editor_client, article, big)
    assert response.status_code == 413
    assert "not kept" in response.json()["error"]
    assert not FormDraft.objects.exists()
    fits = {"body": ["é" * (DRAFT_MAX_BYTES // 2 - 100)]}
    assert _keep(editor_client, article, fits).status_code == 200
    # Beyond what the server reads at all: refused the same way, not a 500.
    huge = {"body": ["x" * 3_000_000]}
    assert _keep(editor_client, article, huge).status_code == 413


def test_csrf_is_required():
    from newsdesk.roles import EDITOR

    user = f.UserFactory(username="csrf-editor", role=EDITOR)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    article = f.ArticleFactory()
    assert _keep(client, article).status_code == 403
    assert not FormDraft.objects.exists()


def test_anonymous_and_non_staff_are_refused(client):
    article = f.ArticleFactory()
    assert _keep(client, article).status_code == 403
    outsider = f.UserFactory(username="not-staff", is_staff=False, is_superuser=True)
    client.force_login(outsider)
    assert _keep(client, article).status_code == 403
    assert client.get(_url(article)).status_code == 403
    assert not FormDraft.objects.exists()


def test_a_reporter_keeps_drafts_only_where_the_admin_lets_them_edit(
    reporter_client,
):
    # The admin's own rule: a retracted article changes only through editors.
    retracted = f.ArticleFactory(retracted=True)
    assert _keep(reporter_client, retracted).status_code == 403
    draft = f.ArticleFactory()
    assert _keep(reporter_client, draft).status_code == 200


def test_staff_without_change_permission_is_refused(client):
    viewer = f.UserFactory(username="just-staff")
    client.force_login(viewer)
    article = f.ArticleFactory()
    assert _keep(client, article).status_code == 403


def test_only_forms_that_opted_in_and_existing_objects(editor_client):
    comment = f.CommentFactory()
    assert _keep(editor_client, comment).status_code == 404
    url = reverse("editing:autosave", args=["newsdesk", "article", "999999"])
    assert editor_client.post(url, {"state": "{}"}).status_code == 404
    url = reverse("editing:autosave", args=["newsdesk", "article", "not-a-number"])
    assert editor_client.get(url).status_code == 404


def test_incidents_opt_in_too(client, superuser):
    incident = f.IncidentFactory()
    client.force_login(superuser)
    assert _keep(client, incident, {"title": ["Renamed"]}).status_code == 200
    assert client.get(_url(incident)).json()["draft"]["state"] == {"title": ["Renamed"]}
    change = reverse("admin:incidents_incident_change", args=[incident.pk])
    html = client.get(change).content.decode()
    assert "js/autosave.js" in html and _url(incident) in html


def test_the_change_form_loads_the_scripts_with_their_endpoints(editor_client):
    article = f.ArticleFactory()
    html = editor_client.get(
        reverse("admin:newsdesk_article_change", args=[article.pk])
    ).content.decode()
    assert f'data-endpoint="{_url(article)}"' in html
    presence = reverse("editing:presence", args=["newsdesk", "article", article.pk])
    assert f'data-endpoint="{presence}"' in html
    assert f'data-version="{article.version}"' in html
    # The add form has no object to keep a draft of.
    add = editor_client.get(reverse("admin:newsdesk_article_add")).content.decode()
    assert "js/autosave.js" not in add
