"""Presence: the heartbeat records who edits what, in the shared presence cache,
and answers the others editing it and the record's current version."""

import time

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from newsdesk import services
from newsdesk.editing import presence
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_presence():
    caches["presence"].clear()
    yield
    caches["presence"].clear()


def _url(obj) -> str:
    return reverse(
        "editing:presence", args=[obj._meta.app_label, obj._meta.model_name, obj.pk]
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_two_editors_see_each_other(editor, superuser):
    editor.first_name = "Amira"
    editor.save()
    article = f.ArticleFactory()
    alone = _client(editor).post(_url(article)).json()
    assert alone["others"] == []
    assert alone["version"] == str(article.version)
    seen = _client(superuser).post(_url(article)).json()
    assert [o["name"] for o in seen["others"]] == ["Amira"]
    assert seen["others"][0]["since_label"]


def test_since_is_kept_across_beats_and_leaving_removes(editor, superuser):
    article = f.ArticleFactory()
    amira = _client(editor)
    amira.post(_url(article))
    first = _client(superuser).post(_url(article)).json()["others"][0]["since"]
    amira.post(_url(article))
    again = _client(superuser).post(_url(article)).json()["others"][0]["since"]
    assert again == first
    amira.post(_url(article), {"leave": "1"})
    assert _client(superuser).post(_url(article)).json()["others"] == []


def test_a_closed_form_drops_out_after_the_stale_time(editor, superuser, monkeypatch):
    article = f.ArticleFactory()
    _client(editor).post(_url(article))
    later = time.time() + presence.STALE_AFTER + 1
    monkeypatch.setattr(presence.time, "time", lambda: later)
    assert _client(superuser).post(_url(article)).json()["others"] == []


def test_the_answer_carries_a_save_made_meanwhile(editor, superuser):
    article = f.ArticleFactory()
    before = _client(editor).post(_url(article)).json()["version"]
    services.article_update(
        article=article,
        user=superuser,
        data={"headline": "Saved by root"},
        expected_version=article.version,
    )
    after = _client(editor).post(_url(article)).json()
    assert int(after["version"]) == int(before) + 1
    assert after["saved_by"] == superuser.get_username()


def test_it_lives_in_the_presence_cache_not_the_default_one(editor):
    article = f.ArticleFactory()
    _client(editor).post(_url(article))
    assert presence.editors_of(article)
    caches["default"].clear()
    assert str(editor.pk) in presence.editors_of(article)


def test_only_staff_who_may_change_it_with_csrf(client, reporter):
    article = f.ArticleFactory(retracted=True)
    assert client.post(_url(article)).status_code == 403
    assert _client(reporter).post(_url(article)).status_code == 403
    assert _client(reporter).get(_url(article)).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reporter)
    assert strict.post(_url(f.ArticleFactory())).status_code == 403
    assert not caches["presence"].get(f"presence:x:{article.pk}")


def test_incidents_have_presence(superuser, editor):
    incident = f.IncidentFactory()
    _client(superuser).post(_url(incident))
    answer = _client(editor).post(_url(incident))
    assert answer.status_code == 200
    assert answer.json()["others"][0]["name"] == superuser.get_username()
