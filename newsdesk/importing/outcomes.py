"""What an import reports: each file's status and details, and the limits it ran with."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError

from newsdesk.importing.parser.limits import DEFAULT_LIMITS, SETTINGS, ImportLimits

CREATED = "created"
UNCHANGED = "unchanged"
UPDATED = "updated"
FAILED = "failed"
WOULD_CREATE = "would create"
WOULD_UPDATE = "would update"


@dataclass
class ImportOutcome:
    """What happened to one file: its status, and why when it failed."""

    path: str
    status: str
    reason: str = ""
    article_id: int | None = None
    headline: str = ""
    needs_headline: bool = False
    language: str = ""
    source: str = ""
    quotes: int = 0
    related_links: int = 0
    figure_candidates: int = 0
    # When the original was published, as an HTML page, ninjs item or feed says.
    published: str = ""
    warnings: list[str] = field(default_factory=list)
    # Blocks left out of the body, each {"text": …, "reason": …}.
    removed: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def import_limits() -> ImportLimits:
    """The parser's limits, each overridable by its NEWSDESK_IMPORT_* setting."""
    return ImportLimits(
        **{
            name: int(getattr(settings, setting, getattr(DEFAULT_LIMITS, name)))
            for name, setting in SETTINGS.items()
        }
    )


def headline_key(headline: str) -> str:
    """Compare headlines loosely: case, quotes, dashes and spacing do not matter."""
    text = unicodedata.normalize("NFKC", headline).casefold()
    text = text.translate(
        str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
    )
    text = re.sub(r"\s+", " ", text)
    return text.strip(" .!?:;\"'")


def unknown_source(name: str) -> str:
    return (
        f"The original publisher “{name}” is not a known source and no web domain "
        "was given; the attribution line is kept in the body for an editor."
    )


def failure_reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "message_dict"):
            return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        return " ".join(exc.messages)
    if isinstance(exc, PermissionDenied):
        return str(exc)
    if isinstance(exc, DatabaseError):
        return f"The database refused the article: {exc}."
    return f"Unexpected error ({type(exc).__name__}): {exc}."
