"""What a change form opts into to keep an editor's work: autosave and presence.

An admin that mixes in `KeepsUnsavedWork` gets, on its change form, the
autosave script (static/js/autosave.js) and the presence heartbeat
(static/js/presence.js), each told its endpoint and the object's version
through data attributes; a successful save deletes the editor's draft.
The endpoints (newsdesk/editing/autosave.py, presence.py) serve only admins
that opted in, to staff who may change the object.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone

from newsdesk.models import ArticleRevision, FormDraft


def _milliseconds(setting: str, default: float) -> int:
    # How often a changed form is kept (3 s), and an open form says so (15 s).
    return int(float(getattr(settings, setting, default)) * 1000)


def pending_of(obj: models.Model) -> ArticleRevision | None:
    """A live article's pending changes (saves of its form stage them)."""
    if obj._meta.label != "newsdesk.Article" or not obj.pk:
        return None
    if hasattr(obj, "_pending_revision"):
        return obj._pending_revision  # read once for the change form
    return (
        ArticleRevision.objects.pending()
        .filter(article_id=obj.pk)
        .select_related("created_by")
        .only("pk", "created_at", "created_by")
        .first()
    )


def object_version(obj: models.Model, pending: Any = False) -> str:
    """What changes on every save: the version where the model keeps one.

    A live article's saves stage pending changes without raising its version,
    so its marker also names the pending revision (a new one on every save).
    """
    version = getattr(obj, "version", None)
    if version is not None:
        if pending is False:
            pending = pending_of(obj)
        return f"{version}.{pending.pk}" if pending else str(version)
    updated = getattr(obj, "updated_at", None)
    return updated.isoformat() if updated else ""


def last_save(obj: models.Model, pending: Any = False) -> tuple[Any, Any]:
    """Who saved the object last and when: pending changes count as a save."""
    if pending is False:
        pending = pending_of(obj)
    who = getattr(obj, "updated_by", None)
    when = getattr(obj, "updated_at", None)
    if pending is not None and (when is None or pending.created_at >= when):
        return pending.created_by, pending.created_at
    return who, when


def drafts_of(user: Any, obj: models.Model) -> models.QuerySet:
    return FormDraft.objects.filter(
        user=user,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
    )


class KeepsUnsavedWork:
    """Mixed into a ModelAdmin before admin.ModelAdmin (or SimpleHistoryAdmin)."""

    keeps_unsaved_work = True

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: models.Model | None = None,
    ) -> HttpResponse:
        if change and obj is not None and obj.pk:
            args = (obj._meta.app_label, obj._meta.model_name, obj.pk)
            data = {
                "data-version": object_version(obj),
                "data-noun": str(obj._meta.verbose_name),
            }
            context["media"] = context["media"] + forms.Media(
                js=[
                    forms.Script(
                        "js/autosave.js",
                        **{
                            **data,
                            "data-endpoint": reverse("editing:autosave", args=args),
                            "data-interval": _milliseconds(
                                "NEWSDESK_AUTOSAVE_SECONDS", 3
                            ),
                        },
                    ),
                    forms.Script(
                        "js/presence.js",
                        **{
                            **data,
                            "data-endpoint": reverse("editing:presence", args=args),
                            "data-interval": _milliseconds(
                                "NEWSDESK_PRESENCE_SECONDS", 15
                            ),
                        },
                    ),
                ],
                css={"all": ["css/keep-work.css"]},
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request: HttpRequest, obj: models.Model) -> HttpResponse:
        # Saved: the unsaved changes are now the object's.
        drafts_of(request.user, obj).delete()
        return super().response_change(request, obj)


def admin_for(app_label: str, model_name: str) -> admin.ModelAdmin | None:
    """The opted-in admin of a model, or None."""
    for model, model_admin in admin.site._registry.items():
        if (
            model._meta.app_label == app_label
            and model._meta.model_name == model_name
            and getattr(model_admin, "keeps_unsaved_work", False)
        ):
            return model_admin
    return None


def refuse(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def editable_object(
    request: HttpRequest, app_label: str, model_name: str, object_id: str
) -> tuple[models.Model | None, JsonResponse | None]:
    """The object if this user may change it in an opted-in admin, else a refusal."""
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return None, refuse(403, "Sign in as staff to keep unsaved work.")
    model_admin = admin_for(app_label, model_name)
    if model_admin is None:
        return None, refuse(404, "This form does not keep unsaved work.")
    try:
        obj = model_admin.get_object(request, object_id)
    except (ValueError, TypeError):
        obj = None
    if obj is None:
        return None, refuse(404, "There is no such record.")
    if not model_admin.has_change_permission(request, obj):
        return None, refuse(403, "You do not have permission to change this record.")
    return obj, None


def display_name(user: Any) -> str:
    """How colleagues are named on the change form: first name, else username."""
    return user.get_short_name() or user.get_full_name() or user.get_username()


def local_time(value: Any) -> str:
    return timezone.localtime(value).strftime("%H:%M")
