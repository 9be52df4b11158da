"""Presence: who else has a change form open, and whether the record moved on.

The change form's script (static/js/presence.js) posts a heartbeat every
~15 seconds; each records "this user is editing this object since T" in the
"presence" cache (Redis when configured, the database cache otherwise, so
every process sees it) and answers the others editing it and the object's
current version, so the form can say someone saved before the editor tries.
"""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import models
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from newsdesk.editing.guard import (
    display_name,
    editable_object,
    last_save,
    local_time,
    object_version,
    pending_of,
)

# A form that has not beaten for this long is closed (a beat every 15 s).
STALE_AFTER = 40
KEY_TIMEOUT = 120


def presence_cache() -> Any:
    return caches["presence"]


def _key(obj: models.Model) -> str:
    return f"presence:{ContentType.objects.get_for_model(obj).pk}:{obj.pk}"


def editors_of(obj: models.Model, *, now: float | None = None) -> dict[str, dict]:
    """Who has a change form of `obj` open: {user id: {name, since}}."""
    now = time.time() if now is None else now
    present = presence_cache().get(_key(obj)) or {}
    return {
        uid: entry
        for uid, entry in present.items()
        if now - entry.get("seen", 0) < STALE_AFTER
    }


def _beat(obj: models.Model, user: Any, *, leaving: bool) -> dict[str, dict]:
    now = time.time()
    present = editors_of(obj, now=now)
    uid = str(user.pk)
    if leaving:
        present.pop(uid, None)
    else:
        since = present.get(uid, {}).get("since") or timezone.now().isoformat()
        present[uid] = {"name": display_name(user), "since": since, "seen": now}
    presence_cache().set(_key(obj), present, KEY_TIMEOUT)
    return present


@never_cache
@require_POST
def presence(
    request: HttpRequest, app_label: str, model_name: str, object_id: str
) -> JsonResponse:
    obj, refusal = editable_object(request, app_label, model_name, object_id)
    if refusal is not None:
        return refusal
    present = _beat(obj, request.user, leaving=request.POST.get("leave") == "1")
    others = []
    for uid, entry in present.items():
        if uid == str(request.user.pk):
            continue
        since = datetime.datetime.fromisoformat(entry["since"])
        others.append(
            {
                "name": entry["name"],
                "since": entry["since"],
                "since_label": local_time(since),
            }
        )
    others.sort(key=lambda other: other["since"])
    pending = pending_of(obj)
    who, updated = last_save(obj, pending)
    return JsonResponse(
        {
            "others": others,
            "version": object_version(obj, pending),
            "saved_by": display_name(who) if who is not None else "",
            "saved_at_label": local_time(updated) if updated else "",
        }
    )
