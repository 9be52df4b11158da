"""Shared fixtures: users in each role, clients, and a frozen notion of "now"."""

import datetime

import pytest
from django.utils import timezone
from pytest_django.plugin import blocking_manager_key
from rest_framework.test import APIClient

from newsdesk.roles import EDITOR, MODERATOR, REPORTER, roles_sync
from tests.factories import UserFactory


def _flushes_the_database(item: pytest.Item) -> bool:
    """Whether the test ran outside a transaction, so its teardown emptied every table."""
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    return bool({"transactional_db", "live_server"} & set(item.fixturenames))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Put back the rows the migrations made (the role groups) after a flush.

    A transactional test ends by emptying every table, migration data included.
    Run alone, the suite orders such tests last; split over workers
    (`pytest -n`), any test may come after one, so the groups are restored here.
    """
    yield
    # After the last test the test databases are already gone.
    if nextitem is not None and _flushes_the_database(item):
        with item.config.stash[blocking_manager_key].unblock():
            roles_sync()


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reporter(db):
    return UserFactory(username="rita-reporter", role=REPORTER)


@pytest.fixture
def editor(db):
    return UserFactory(username="eddie-editor", role=EDITOR)


@pytest.fixture
def moderator(db):
    return UserFactory(username="mo-moderator", role=MODERATOR)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root-admin", is_superuser=True)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reporter_client(client, reporter):
    client.force_login(reporter)
    return client


@pytest.fixture
def api_client():
    return APIClient()


class Clock:
    """What `timezone.now()` answers while the `clock` fixture is in use."""

    def __init__(self, start: datetime.datetime) -> None:
        self.start = self.now = start

    def advance(self, **delta: float) -> datetime.datetime:
        self.now += datetime.timedelta(**delta)
        return self.now

    def reset(self) -> None:
        self.now = self.start


@pytest.fixture
def clock(monkeypatch):
    """Freeze "now" for the code under test; `clock.advance(hours=2)` moves it on."""
    frozen = Clock(timezone.now())
    monkeypatch.setattr(timezone, "now", lambda: frozen.now)
    return frozen
