"""Uploads kept across a refused save, so the editor does not choose the file again."""

from __future__ import annotations

import posixpath
import uuid

from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile

PENDING_DIRECTORY = "uploads/pending"
PENDING_MAX_AGE = 24 * 3600
_SALT = "newsdesk.admin.pending-upload"


def upload_stash(*, upload: UploadedFile) -> str:
    """Store `upload` aside and return a signed token naming it."""
    name = posixpath.basename(upload.name or "upload")
    path = default_storage.save(
        f"{PENDING_DIRECTORY}/{uuid.uuid4().hex}/{name}", upload
    )
    return signing.dumps(path, salt=_SALT)


def upload_stashed(token: str | None) -> File | None:
    """The stored upload a token names, or None when the token is missing, forged or old."""
    if not token:
        return None
    try:
        path = signing.loads(token, salt=_SALT, max_age=PENDING_MAX_AGE)
    except signing.BadSignature:
        return None
    if not path.startswith(PENDING_DIRECTORY + "/") or not default_storage.exists(path):
        return None
    return File(default_storage.open(path), name=posixpath.basename(path))
