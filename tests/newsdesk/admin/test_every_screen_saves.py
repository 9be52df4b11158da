"""Every registered admin screen opens and SAVES, for every role that may use it.

The models come from the admin's registry, so a newly registered model fails
here until it has a factory in tests/admin_rows.py: no screen escapes the check.
"""

from __future__ import annotations

import io

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PillowImage

from newsdesk.roles import EDITOR, MODERATOR, REPORTER
from tests import factories as f
from tests.admin_forms import admin_form_data
from tests.admin_rows import MAKE, admin_row

pytestmark = pytest.mark.django_db


def _jpeg():
    buffer = io.BytesIO()
    PillowImage.new("RGB", (64, 48), "navy").save(buffer, format="JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), "image/jpeg")


# What an add page asks for beyond the fields its change page shows.
ADD_EXTRA = {
    "auth.user": lambda user: {
        "username": "night-editor",
        "usable_password": "true",
        "password1": "a-long-Passphrase-9",
        "password2": "a-long-Passphrase-9",
    },
    "incidents.figure": lambda figure: {"incident": str(figure.incident_id)},
    # A file input is never sent back unchanged: the add page gets a new upload.
    "newsdesk.image": lambda image: {"file": _jpeg()},
}
REGISTERED = sorted(model._meta.label_lower for model in admin.site._registry)
ROLES = ("superuser", EDITOR, REPORTER, MODERATOR)


def test_every_registered_model_has_a_factory():
    assert set(REGISTERED) <= set(MAKE), "register a factory for the new admin model"


def _user(role):
    if role == "superuser":
        return f.UserFactory(username="root-admin", is_superuser=True)
    return f.UserFactory(username=f"{role}-user", role=role)


def _may(user, label, action):
    app_label, model_name = label.split(".")
    return user.has_perm(f"{app_label}.{action}_{model_name}")


def _skip_unless_allowed(user, role, label, action):
    # The superuser stands in only for the screens no newsroom role uses.
    if role == "superuser":
        if label.split(".")[0] in ("newsdesk", "incidents"):
            pytest.skip("the newsroom roles cover this screen")
    elif not _may(user, label, action):
        pytest.skip(f"{role} may not {action} {label}")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", REGISTERED)
def test_change_page_saves_unchanged(client, label, role):
    user = _user(role)
    _skip_unless_allowed(user, role, label, "view")
    app_label, model_name = label.split(".")
    obj = admin_row(label)
    client.force_login(user)
    url = reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])
    page = client.get(url)
    assert page.status_code == 200
    if not page.context["has_change_permission"]:
        # Read-only for this role: saving is refused, never a 5xx.
        response = client.post(url, {})
        assert response.status_code == 403
        return
    response = client.post(url, admin_form_data(page))
    assert response.status_code == 302, _errors(response)
    assert response["Location"] == reverse(f"admin:{app_label}_{model_name}_changelist")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", REGISTERED)
def test_add_page_saves_a_new_row(client, label, role):
    user = _user(role)
    _skip_unless_allowed(user, role, label, "add")
    app_label, model_name = label.split(".")
    client.force_login(user)
    add_url = reverse(f"admin:{app_label}_{model_name}_add")
    if client.get(add_url).status_code == 403:
        pytest.skip(f"{label} is not added by hand")
    # A valid row's form, read from its change page as a superuser would see
    # it, is posted to the add page once the row itself is gone.
    template = MAKE[label]()
    client.force_login(user if role == "superuser" else _user("superuser"))
    change_url = reverse(f"admin:{app_label}_{model_name}_change", args=[template.pk])
    change_page = client.get(change_url)
    assert change_page.status_code == 200, change_page.get("Location")
    data = admin_form_data(change_page, inlines=False)
    template.delete()
    client.force_login(user)
    add_page = client.get(add_url)
    data = {
        **admin_form_data(add_page, inlines=False),
        **_known(data, add_page),
        **ADD_EXTRA.get(label, lambda row: {})(template),
    }
    model = type(template)
    before = model._default_manager.count()
    response = client.post(add_url, data)
    assert response.status_code == 302, _errors(response)
    assert model._default_manager.count() == before + 1
    created = model._default_manager.order_by("-pk").first()
    expected = {
        reverse(f"admin:{app_label}_{model_name}_changelist"),
        # The user form continues to the new user's permissions.
        reverse(f"admin:{app_label}_{model_name}_change", args=[created.pk]),
    }
    assert response["Location"] in expected


def _known(data, add_page):
    """Keep only the fields the add page has (passwords differ on the user form)."""
    names = set(admin_form_data(add_page, inlines=False))
    return {k: v for k, v in data.items() if k in names or k.rsplit("_", 1)[0] in names}


def _errors(response):
    context = getattr(response, "context", None)
    if not context or "adminform" not in context:
        return response.status_code
    errors = [context["adminform"].form.errors]
    errors += [
        (i.formset.prefix, i.formset.errors, i.formset.non_form_errors())
        for i in context["inline_admin_formsets"]
    ]
    return errors
