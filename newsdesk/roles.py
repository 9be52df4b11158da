"""The newsroom's roles as Django groups, and the permissions each one holds."""

from __future__ import annotations

from typing import Any

REPORTER = "reporter"
EDITOR = "editor"
MODERATOR = "moderator"

_EDITORIAL_MODELS = (
    "newsdesk.article",
    "newsdesk.articleauthor",
    "newsdesk.articleredirect",
    "newsdesk.relatedlink",
    "newsdesk.quote",
    "newsdesk.correction",
    "newsdesk.comment",
    "newsdesk.source",
    "newsdesk.person",
    "newsdesk.topic",
    "incidents.actor",
    "incidents.actoralias",
    "incidents.place",
    "incidents.incident",
    "incidents.incidentactor",
    "incidents.figure",
    "incidents.figurecandidate",
    "incidents.recommendation",
    "incidents.recommendationupdate",
)


def _crud(model: str, actions: str = "add change delete view") -> list[str]:
    app, name = model.split(".")
    return [f"{app}.{action}_{name}" for action in actions.split()]


ROLE_PERMISSIONS: dict[str, list[str]] = {
    # Writes and submits; cannot publish, schedule, retract or moderate.
    REPORTER: [
        *_crud("newsdesk.article", "add change view"),
        *_crud("newsdesk.articleauthor"),
        *_crud("newsdesk.relatedlink"),
        *_crud("newsdesk.quote"),
        *_crud("newsdesk.person", "add change view"),
        *_crud("newsdesk.source", "add change view"),
        *_crud("newsdesk.topic", "view"),
        *_crud("incidents.figurecandidate", "view"),
        *[
            p
            for m in _EDITORIAL_MODELS
            if m.startswith("incidents.")
            for p in _crud(m, "view")
        ],
    ],
    # Reviews, publishes, corrects, retracts and manages everything editorial.
    EDITOR: [
        *[p for m in _EDITORIAL_MODELS for p in _crud(m)],
        "newsdesk.publish_article",
        "newsdesk.moderate_comment",
    ],
    # Moderates comments.
    MODERATOR: [
        "newsdesk.view_article",
        "newsdesk.view_comment",
        "newsdesk.change_comment",
        "newsdesk.moderate_comment",
    ],
}


def roles_sync(apps: Any = None) -> None:
    """Create or update the role groups so they hold exactly ROLE_PERMISSIONS.

    Idempotent; `apps` is the migration state's registry when called from a
    migration.
    """
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        permissions = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permission = permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is None:
                raise LookupError(f"Permission {dotted} does not exist.")
            permissions.append(permission)
        group.permissions.set(permissions)
