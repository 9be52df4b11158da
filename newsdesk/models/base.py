"""Shared model helpers: language tags, domains and timestamps."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models

BCP47_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def validate_language_tag(value: str) -> None:
    """Accept BCP 47 language tags such as `en`, `it`, `pt-BR`, `zh-Hant`."""
    if value and not BCP47_RE.match(value):
        raise ValidationError(
            "Enter a BCP 47 language tag such as “en”, “it” or “pt-BR”.",
            code="invalid_language",
        )


def normalise_domain(value: str) -> str:
    """Return the bare registrable host of a URL or domain: `nbcnews.com`.

    `Nbcnews.com`, `www.nbcnews.com` and `https://www.nbcnews.com/x` all give
    `nbcnews.com`, so one publisher is always one Source.
    """
    value = (value or "").strip().lower()
    if not value:
        return ""
    if "//" not in value:
        value = "//" + value
    host = urlsplit(value).hostname or ""
    host = host.strip(".")
    if host.startswith("www."):
        host = host[4:]
    return host


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
