"""Two snapshots side by side: word-level highlights and a summary in words.

A snapshot is a plain dict (`article_snapshot()` makes an article's; the
history screens make one from a simple-history record). Related rows appear in
it as `{"id", "label"}` dicts, so what is compared here is what an editor
recognises: names, titles and headlines, never ids or stored codes.

Pure functions: no queries, no model imports.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# The texts compared word by word, with the names editors give them.
ARTICLE_TEXT_FIELDS: tuple[tuple[str, str], ...] = (
    ("headline", "headline"),
    ("standfirst", "standfirst"),
    ("body", "body"),
)

# How the other parts of an article snapshot are named in the summary.
ARTICLE_LABELS: dict[str, str] = {
    "language": "language",
    "original_language": "original language",
    "original_url": "original URL",
    "source": "source",
    "lead_image": "lead image",
    "lead_image_caption": "lead image caption",
    "authors": "author",
    "topics": "topic",
    "quotes": "quote",
    "related_links": "“Read also” link",
    "incidents": "incident covered",
    "slug": "web address",
    "needs_headline": "provisional headline",
}

# Lists where order is meaningful (a byline reads in order).
ORDERED = frozenset({"authors", "related_links", "quotes"})

# Keys that describe the snapshot itself rather than the content.
IGNORED = frozenset({"format", "schema", "version", "snapshot_version"})

SHORT = 80  # values longer than this are summarised as "changed", not quoted

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class TextDiff:
    """One text field: the old and new sides with <del>/<ins> around changed words."""

    name: str
    label: str
    old: SafeString
    new: SafeString
    changed: bool
    added_words: int = 0
    removed_words: int = 0


@dataclass(frozen=True)
class Comparison:
    texts: list[TextDiff] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.changes)


def tokens(text: str) -> list[str]:
    """Words, punctuation and the whitespace between them; joined they give `text`."""
    return _TOKENS.findall(text or "")


def _count_words(parts: Sequence[str]) -> int:
    return sum(1 for part in parts if not part.isspace())


def _marked(tag: str, parts: Sequence[str]) -> str:
    """`parts` escaped, the words inside `tag`, whitespace at either end outside."""
    if not _count_words(parts):
        return escape("".join(parts))
    start, end = 0, len(parts)
    while parts[start].isspace():
        start += 1
    while parts[end - 1].isspace():
        end -= 1
    return (
        escape("".join(parts[:start]))
        + f"<{tag}>{escape(''.join(parts[start:end]))}</{tag}>"
        + escape("".join(parts[end:]))
    )


def _merged_opcodes(
    matcher: difflib.SequenceMatcher, a: list[str], b: list[str]
) -> list[tuple[str, list[str], list[str]]]:
    """Opcodes as (op, old tokens, new tokens), a change spanning the spaces between
    changed words ("dozens of" → "more than a hundred" is one change, not two)."""
    blocks: list[tuple[str, list[str], list[str]]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        blocks.append((op, a[i1:i2], b[j1:j2]))
    merged: list[tuple[str, list[str], list[str]]] = []
    for index, (op, before, after) in enumerate(blocks):
        spaces_between = (
            op == "equal"
            and all(part.isspace() for part in before)
            and 0 < index < len(blocks) - 1
        )
        if spaces_between or (op != "equal" and merged and merged[-1][0] != "equal"):
            _, old_parts, new_parts = merged.pop() if merged else ("", [], [])
            merged.append(("replace", old_parts + before, new_parts + after))
        else:
            merged.append((op, list(before), list(after)))
    return merged


def word_diff(old: str, new: str) -> tuple[SafeString, SafeString, int, int]:
    """(old HTML, new HTML, words added, words removed), each side escaped.

    Removed words are wrapped in <del> on the old side, added ones in <ins> on
    the new side; whitespace alone never counts as a change.
    """
    a, b = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    left: list[str] = []
    right: list[str] = []
    added = removed = 0
    for op, before, after in _merged_opcodes(matcher, a, b):
        if op == "equal":
            left.append(escape("".join(before)))
            right.append(escape("".join(after)))
            continue
        left.append(_marked("del", before))
        right.append(_marked("ins", after))
        removed += _count_words(before)
        added += _count_words(after)
    return mark_safe("".join(left)), mark_safe("".join(right)), added, removed


def _label(value: Any) -> str:
    """What an editor calls a value: a row's label, a text, or "none"."""
    if value is None or value == "" or value == []:
        return "none"
    if isinstance(value, Mapping):
        return str(value.get("label") or "untitled")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_label(item) for item in value)
    return str(value)


def _quoted(value: Any) -> str:
    return f"“{_label(value)}”"


def _item_label(key: str, item: Any) -> str:
    if not isinstance(item, Mapping):
        return _label(item)
    if key == "quotes":
        who = (
            item.get("speaker")
            or item.get("person")
            or item.get("attribution")
            or item.get("label")
        )
        return f"by {_label(who)}" if who else "unattributed"
    if key == "related_links":
        return _quoted(
            item.get("label")
            or item.get("title")
            or item.get("target")
            or item.get("url")
        )
    return _label(item)


def _item_key(item: Any) -> Any:
    if isinstance(item, Mapping):
        if item.get("id") is not None:
            return ("id", item["id"])
        return ("value", repr(sorted(item.items())))
    return ("value", repr(item))


def _ids_only(value: Any) -> Any:
    """A value with the labels of its rows left out: a renamed row is the same row."""
    if isinstance(value, Mapping):
        if set(value) <= {"id", "label"} and value.get("id") is not None:
            return value["id"]
        return {k: _ids_only(v) for k, v in value.items() if k != "position"}
    if isinstance(value, list | tuple):
        return [_ids_only(v) for v in value]
    return value


def _list_changes(key: str, name: str, old: Sequence, new: Sequence) -> list[str]:
    old, new = list(old or []), list(new or [])
    old_by_key = {_item_key(item): item for item in old}
    new_by_key = {_item_key(item): item for item in new}
    lines: list[str] = []
    added = [item for item in new if _item_key(item) not in old_by_key]
    removed = [item for item in old if _item_key(item) not in new_by_key]
    # Rows without an id (quotes) that kept who or what they are changed in place.
    changed: list[Any] = []
    for item in list(added):
        label = _item_label(key, item)
        twin = next((r for r in removed if _item_label(key, r) == label), None)
        if twin is not None:
            added.remove(item)
            removed.remove(twin)
            changed.append(item)
    for item in new:
        k = _item_key(item)
        if item in added:
            lines.append(f"{name} {_item_label(key, item)} added")
        elif item in changed or (
            k in old_by_key and _ids_only(old_by_key[k]) != _ids_only(item)
        ):
            lines.append(f"{name} {_item_label(key, item)} changed")
    for item in removed:
        lines.append(f"{name} {_item_label(key, item)} removed")
    if key in ORDERED:
        kept_old = [_item_key(i) for i in old if _item_key(i) in new_by_key]
        kept_new = [_item_key(i) for i in new if _item_key(i) in old_by_key]
        if kept_old != kept_new:
            lines.append(f"{name} order changed")
    return lines


def _one_change(key: str, name: str, old: Any, new: Any) -> list[str]:
    if isinstance(old, list | tuple) or isinstance(new, list | tuple):
        return _list_changes(key, name, old, new)
    if old in (None, "") and new not in (None, ""):
        return [f"{name} {_quoted(new)} added"]
    if new in (None, "") and old not in (None, ""):
        return [f"{name} {_quoted(old)} removed"]
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        if old.get("id") != new.get("id"):
            return [f"{name} replaced: {_quoted(old)} → {_quoted(new)}"]
        return []
    if len(_label(old)) > SHORT or len(_label(new)) > SHORT:
        return [f"{name} changed"]
    return [f"{name} changed from {_quoted(old)} to {_quoted(new)}"]


def _text_line(diff: TextDiff) -> str:
    counts = []
    if diff.added_words:
        counts.append(
            f"{diff.added_words} word{'s' if diff.added_words != 1 else ''} added"
        )
    if diff.removed_words:
        counts.append(
            f"{diff.removed_words} word{'s' if diff.removed_words != 1 else ''} removed"
        )
    return f"{diff.label} changed" + (f" ({', '.join(counts)})" if counts else "")


def compare(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    *,
    text_fields: Sequence[tuple[str, str]] = ARTICLE_TEXT_FIELDS,
    labels: Mapping[str, str] | None = None,
    ignore: frozenset[str] = IGNORED,
) -> Comparison:
    """What changed from `old` to `new`: text fields word by word, the rest in words.

    `labels` names the other keys (default: an article's); a key without a
    label is named after itself with underscores as spaces.
    """
    labels = ARTICLE_LABELS if labels is None else labels
    old, new = old or {}, new or {}
    texts: list[TextDiff] = []
    changes: list[str] = []
    text_names = {name for name, _ in text_fields}
    for name, label in text_fields:
        before, after = str(old.get(name) or ""), str(new.get(name) or "")
        left, right, added, removed = word_diff(before, after)
        diff = TextDiff(
            name=name,
            label=label,
            old=left,
            new=right,
            changed=before != after,
            added_words=added,
            removed_words=removed,
        )
        texts.append(diff)
        if diff.changed:
            changes.append(_text_line(diff))
    keys = [*old, *(k for k in new if k not in old)]
    for key in keys:
        if key in text_names or key in ignore:
            continue
        before, after = old.get(key), new.get(key)
        if _ids_only(before) == _ids_only(after) or (
            before in (None, "", []) and after in (None, "", [])
        ):
            continue
        name = labels.get(key) or key.replace("_", " ")
        changes.extend(_one_change(key, name, before, after))
    return Comparison(texts=texts, changes=[_capfirst(line) for line in changes])


def _capfirst(line: str) -> str:
    return line[:1].upper() + line[1:]


def summary(old: Mapping[str, Any], new: Mapping[str, Any], **kwargs: Any) -> str:
    """The changes as one sentence list, "Headline changed; author X added."."""
    lines = compare(old, new, **kwargs).changes
    if not lines:
        return "No changes."
    return (
        "; ".join([lines[0], *(line[:1].lower() + line[1:] for line in lines[1:])])
        + "."
    )
