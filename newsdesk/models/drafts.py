"""Unsaved work kept on the server: one autosaved form state per editor and object."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

# The stored state as JSON, in bytes: room for a 200,000-character body written
# in any script, far below a denial of service.
DRAFT_MAX_BYTES = 1_000_000


class FormDraft(models.Model):
    """What an editor had typed in an admin change form, not yet saved.

    One row per editor and object, replaced on every autosave; a successful
    save of the form or "Discard" deletes it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="form_drafts"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    # The form's fields as {name: [values]}, as the browser would post them.
    state = models.JSONField()
    # The object's version (or last change) the editor started from.
    base_version = models.CharField(max_length=64, blank=True)
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("user", "content_type", "object_id"),
                name="formdraft_one_per_user_and_object",
            )
        ]

    def __str__(self) -> str:
        return f"Unsaved changes to {self.content_type.model} {self.object_id} by {self.user}"
