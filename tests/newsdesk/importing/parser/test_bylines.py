"""Headlines, bylines and datelines."""

from __future__ import annotations

import pytest

from newsdesk.importing.parser import (
    parse_text,
)
from tests.newsdesk.importing.parser.samples import (
    ARTICLE,
)

# --- headline and byline -----------------------------------------------------


def test_a_headline_line_is_used_and_not_provisional():
    parsed = parse_text(f"ISIS fighters storm Syrian prison\n\n{ARTICLE}")
    assert parsed.headline == "ISIS fighters storm Syrian prison"
    assert not parsed.headline_is_provisional
    assert parsed.body == ARTICLE


@pytest.mark.parametrize(
    "marked",
    [
        "# ISIS fighters storm Syrian prison",
        "Headline: ISIS fighters storm Syrian prison",
    ],
)
def test_marked_headline_lines(marked):
    parsed = parse_text(f"{marked}\n\n{ARTICLE}")
    assert parsed.headline == "ISIS fighters storm Syrian prison"
    assert not parsed.headline_is_provisional


def test_byline_and_dateline_under_the_headline_are_not_body():
    parsed = parse_text(
        f"ISIS fighters storm Syrian prison\n\nBy Jane Doe and John Smith\n\n"
        f"January 24, 2022\n\n{ARTICLE}"
    )
    assert parsed.bylines == ("Jane Doe", "John Smith")
    assert parsed.body == ARTICLE


def test_provisional_headline_is_cut_at_a_word_boundary():
    long = "Word " * 60 + "end."
    parsed = parse_text(long)
    assert parsed.headline_is_provisional
    assert len(parsed.headline) <= 110
    assert long.startswith(parsed.headline)
