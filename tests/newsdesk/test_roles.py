"""Roles are groups kept in step idempotently; the demo login exists only on the demo database."""

import importlib

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from newsdesk.roles import ROLE_PERMISSIONS

pytestmark = pytest.mark.django_db


def _snapshot():
    return {
        g.name: sorted(g.permissions.values_list("codename", flat=True))
        for g in Group.objects.order_by("name")
    }


def test_roles_exist_after_migrations_and_sync_is_idempotent():
    before = _snapshot()
    assert set(before) == set(ROLE_PERMISSIONS)
    assert "publish_article" in before["editor"]
    assert "publish_article" not in before["reporter"]
    assert "moderate_comment" in before["moderator"]
    call_command("sync_roles")
    call_command("sync_roles")
    assert _snapshot() == before
    assert Group.objects.count() == len(ROLE_PERMISSIONS)


def test_sync_roles_repairs_a_group_someone_emptied():
    Group.objects.get(name="editor").permissions.clear()
    call_command("sync_roles")
    assert (
        Group.objects.get(name="editor")
        .permissions.filter(codename="publish_article")
        .exists()
    )


def _demo_login(capsys):
    call_command("demo_editor")
    out = capsys.readouterr().out
    return out.split("URL:")[1].split()[0], out.split("password:")[1].split()[0]


def test_demo_editor_is_created_on_the_embedded_database(settings, capsys, tmp_path):
    settings.EMBEDDED_DATABASE = True
    settings.NEWSDESK_DEMO_PASSWORD_FILE = str(tmp_path / "demo-password")
    _, password = _demo_login(capsys)
    user = get_user_model().objects.get(username="demo-editor")
    assert user.check_password(password)
    assert user.is_staff and user.groups.filter(name="editor").exists()


def test_demo_editor_keeps_its_password_from_run_to_run(
    settings, capsys, tmp_path, monkeypatch
):
    settings.EMBEDDED_DATABASE = True
    settings.NEWSDESK_DEMO_PASSWORD_FILE = str(tmp_path / "demo-password")
    monkeypatch.setenv("PORT", "8123")
    url, first = _demo_login(capsys)
    _, second = _demo_login(capsys)
    assert first == second
    assert url == "http://127.0.0.1:8123/admin/"
    assert get_user_model().objects.get(username="demo-editor").check_password(first)


def test_make_run_serves_and_prints_the_port_it_is_given():
    import shutil
    import subprocess
    from pathlib import Path

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    root = Path(__file__).resolve().parents[2]
    plan = subprocess.run(
        ["make", "-n", "run", "PORT=8123"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "runserver 127.0.0.1:8123" in plan
    assert "PORT=8123" in plan and "http://127.0.0.1:8123/" in plan
    assert ":8000" not in plan


def test_demo_editor_is_refused_on_a_configured_database(settings):
    settings.EMBEDDED_DATABASE = False
    with pytest.raises(CommandError, match="Refusing"):
        call_command("demo_editor")
    assert not get_user_model().objects.filter(username="demo-editor").exists()


def test_roles_migration_writes_what_was_true_then_whatever_roles_say_now():
    """A fresh `migrate` must not depend on today's roles: a model added later (and
    its permissions) does not exist yet in the state the migration runs in."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from newsdesk import extensions

    migration = importlib.import_module("newsdesk.migrations.0002_roles")
    state = MigrationLoader(connection).project_state(
        ("newsdesk", "0002_roles"), at_end=False
    )
    later = extensions.EditorialModel("newsdesk.modeladdedlater", "view")
    extensions.editorial_models.register(later)
    try:
        migration.create_roles(state.apps, None)
    finally:
        extensions.editorial_models.unregister(later)
    frozen = {
        role: {p.split(".")[1] for p in codenames}
        for role, codenames in migration.ROLE_PERMISSIONS.items()
    }
    assert {name: set(codes) for name, codes in _snapshot().items()} == frozen


def test_roles_cover_the_models_each_app_registers():
    from newsdesk import extensions
    from newsdesk.roles import EDITOR, REPORTER, role_permissions

    assert "incidents.change_incident" in role_permissions()[EDITOR]
    assert "incidents.view_figurecandidate" in role_permissions()[REPORTER]
    assert "incidents.change_incident" not in role_permissions()[REPORTER]
    extra = extensions.EditorialModel("newsdesk.modeladdedlater", "view")
    extensions.editorial_models.register(extra)
    try:
        assert "newsdesk.delete_modeladdedlater" in role_permissions()[EDITOR]
        assert "newsdesk.view_modeladdedlater" in role_permissions()[REPORTER]
    finally:
        extensions.editorial_models.unregister(extra)
