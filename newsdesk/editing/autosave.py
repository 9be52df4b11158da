"""Autosave: an editor's unsaved change form, kept on the server per user and object.

GET answers the editor's draft (or `{"draft": null}`); POST stores the form's
state (`state`, a JSON object of field name to list of values, and
`version`, the object's version the form started from), replacing the
previous one; POST with `discard=1` deletes it. Staff only, CSRF-protected,
for admins that opted in (newsdesk/editing/guard.py).
"""

from __future__ import annotations

import json

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from newsdesk.editing.guard import drafts_of, editable_object, local_time, refuse
from newsdesk.models import DRAFT_MAX_BYTES, FormDraft

MAX_FIELDS = 2000
MAX_VALUES = 1000


def _parsed_state(raw: str) -> dict[str, list[str]] | None:
    """The posted state if it is {name: [strings]} within bounds, else None."""
    try:
        state = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(state, dict) or len(state) > MAX_FIELDS:
        return None
    for name, values in state.items():
        if (
            not name
            or len(name) > 200
            or not isinstance(values, list)
            or len(values) > MAX_VALUES
            or not all(isinstance(v, str) for v in values)
        ):
            return None
    return state


def _draft_data(draft: FormDraft) -> dict:
    return {
        "state": draft.state,
        "version": draft.base_version,
        "saved_at": draft.saved_at.isoformat(),
        "saved_at_label": local_time(draft.saved_at),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def autosave(
    request: HttpRequest, app_label: str, model_name: str, object_id: str
) -> JsonResponse:
    obj, refusal = editable_object(request, app_label, model_name, object_id)
    if refusal is not None:
        return refusal
    drafts = drafts_of(request.user, obj)
    if request.method == "GET":
        draft = drafts.first()
        return JsonResponse({"draft": _draft_data(draft) if draft else None})
    try:
        posted = request.POST
    except RequestDataTooBig:
        posted = None
    if posted is None or len(posted.get("state", "").encode()) > DRAFT_MAX_BYTES:
        return refuse(
            413,
            f"These unsaved changes are larger than {DRAFT_MAX_BYTES:,} bytes "
            "and were not kept.",
        )
    if posted.get("discard") == "1":
        drafts.delete()
        return JsonResponse({"draft": None})
    raw = posted.get("state", "")
    state = _parsed_state(raw)
    if state is None:
        return refuse(400, "The form's state must be a JSON object of lists of text.")
    version = posted.get("version", "")[:64]
    draft, _ = FormDraft.objects.update_or_create(
        user=request.user,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        defaults={
            "state": state,
            "base_version": version,
            "saved_at": timezone.now(),
        },
    )
    return JsonResponse(
        {
            "saved_at": draft.saved_at.isoformat(),
            "saved_at_label": local_time(draft.saved_at),
        }
    )
