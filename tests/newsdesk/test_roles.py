"""Roles are groups kept in step idempotently; the demo login exists only on the demo database."""

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


def test_demo_editor_is_created_on_the_embedded_database(settings, capsys):
    settings.EMBEDDED_DATABASE = True
    call_command("demo_editor")
    out = capsys.readouterr().out
    password = out.split("password:")[1].split()[0]
    user = get_user_model().objects.get(username="demo-editor")
    assert user.check_password(password)
    assert user.is_staff and user.groups.filter(name="editor").exists()


def test_demo_editor_is_refused_on_a_configured_database(settings):
    settings.EMBEDDED_DATABASE = False
    with pytest.raises(CommandError, match="Refusing"):
        call_command("demo_editor")
    assert not get_user_model().objects.filter(username="demo-editor").exists()
