"""The newsroom's roles as Django groups, and the permissions each one holds.

Editorial models come from `newsdesk.extensions.editorial_models`: each app
registers its own in `AppConfig.ready`, so roles follow the installed apps.
"""

from __future__ import annotations

from typing import Any

from newsdesk.extensions import EditorialModel, editorial_models

REPORTER = "reporter"
EDITOR = "editor"
MODERATOR = "moderator"

# Reporters write and submit articles and keep people and sources; what they
# may do with other apps' models is in each registration.
NEWSDESK_EDITORIAL_MODELS = (
    EditorialModel("newsdesk.article", "add change view"),
    EditorialModel("newsdesk.articleauthor", "add change delete view"),
    EditorialModel("newsdesk.articleredirect", ""),
    EditorialModel("newsdesk.relatedlink", "add change delete view"),
    EditorialModel("newsdesk.quote", "add change delete view"),
    EditorialModel("newsdesk.correction", ""),
    EditorialModel("newsdesk.comment", ""),
    EditorialModel("newsdesk.source", "add change view"),
    EditorialModel("newsdesk.person", "add change view"),
    EditorialModel("newsdesk.topic", "view"),
    EditorialModel("newsdesk.image", "add change view"),
)


def _crud(model: str, actions: str = "add change delete view") -> list[str]:
    app, name = model.split(".")
    return [f"{app}.{action}_{name}" for action in actions.split()]


def role_permissions() -> dict[str, list[str]]:
    """Each role's permissions ("app_label.codename"), from the registered models."""
    models = tuple(editorial_models)
    return {
        # Writes and submits; cannot publish, schedule, retract or moderate.
        REPORTER: [p for m in models for p in _crud(m.label, m.reporter_actions)],
        # Reviews, publishes, corrects, retracts and manages everything editorial.
        EDITOR: [
            *[p for m in models for p in _crud(m.label)],
            "newsdesk.publish_article",
            "newsdesk.moderate_comment",
        ],
        # Moderates comments; sees no articles, so no drafts or staff previews.
        MODERATOR: [
            "newsdesk.view_comment",
            "newsdesk.change_comment",
            "newsdesk.moderate_comment",
        ],
    }


def __getattr__(name: str) -> Any:
    # ROLE_PERMISSIONS is read after start-up, once every app has registered.
    if name == "ROLE_PERMISSIONS":
        return role_permissions()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def roles_sync() -> None:
    """Create or update the role groups so they hold exactly `role_permissions()`.

    Idempotent; run by `manage.py sync_roles` after a release adds permissions.
    """
    from django.contrib.auth.models import Group, Permission

    for role, codenames in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is None:
                raise LookupError(f"Permission {dotted} does not exist.")
            permissions.append(permission)
        group.permissions.set(permissions)
