"""How much of a file the parser takes: sizes beyond these are refused or cut.

The defaults suit news articles; the importer reads overrides from the Django
settings named in `SETTINGS`, and every refusal or cut names its setting.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class ImportLimits:
    max_file_bytes: int = 2 * 1024 * 1024
    max_headline_chars: int = 300
    max_paragraph_chars: int = 10_000
    max_figures: int = 200

    def setting(self, name: str) -> str:
        """The Django setting that overrides the limit `name`."""
        return SETTINGS[name]


SETTINGS = {f.name: f"NEWSDESK_IMPORT_{f.name.upper()}" for f in fields(ImportLimits)}
DEFAULT_LIMITS = ImportLimits()


def cut_at_word(text: str, max_chars: int) -> str:
    """`text` shortened to at most `max_chars`, at the last space when there is one."""
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars + 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut[:max_chars].rstrip(" ,;:-–—")


def describe_bytes(size: int) -> str:
    """A size for a reader: "52.4 MB", "812 KB", "90 bytes"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bytes"
