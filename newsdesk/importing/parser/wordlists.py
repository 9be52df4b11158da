"""The parser's word lists, read once from the data files shipped beside it."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

_DATA = files(__package__) / "data"


@cache
def lines(name: str) -> tuple[str, ...]:
    """The entries of data/NAME.txt in order; blank lines and "# " comments skipped."""
    text = (_DATA / f"{name}.txt").read_text(encoding="utf-8")
    return tuple(
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.startswith("# ")
    )


@cache
def words(name: str) -> frozenset[str]:
    """The entries of data/NAME.txt as a set, for membership tests."""
    return frozenset(lines(name))


@cache
def table(name: str) -> Any:
    """The value of data/NAME.json under the key NAME."""
    return json.loads((_DATA / f"{name}.json").read_text(encoding="utf-8"))[name]
