"""Candidate figures: numbers with their unit and qualifier."""

from __future__ import annotations

import pytest

from newsdesk.importing.parser import (
    parse_text,
)

# --- figures -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Between 67 and 70 people were killed.",
            ("Between 67 and 70 people", 67, 70, "exact", "killed"),
        ),
        (
            "At least 500 people died.",
            ("At least 500 people", 500, 500, "at_least", "killed"),
        ),
        (
            "Up to 1.5 million people were displaced.",
            ("Up to 1.5 million people", 1500000, 1500000, "at_most", "displaced"),
        ),
        (
            "The SDF said 154 inmates were killed.",
            ("154 inmates", 154, 154, "exact", "killed"),
        ),
        (
            "The SDF said 121 of its fighters and staff were killed.",
            ("121 of its fighters and staff", 121, 121, "exact", "killed"),
        ),
        (
            "Some 30 guards were wounded.",
            ("Some 30 guards", 30, 30, "about", "injured"),
        ),
        (
            "Forces recaptured 100-120 escapees.",
            ("100-120 escapees", 100, 120, "exact", "escaped"),
        ),
        ("Turnout was 45% in the city.", ("45%", 45, 45, "exact", "")),
    ],
)
def test_figure_variants(sentence, expected):
    (figure,) = parse_text(sentence).figures
    assert (
        figure.text,
        figure.low,
        figure.high,
        figure.qualifier,
        figure.metric,
    ) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The attack began on January 20, 2022 at 7:30 p.m.",
        "It happened in 2019.",
        "The fighting lasted 6 days.",
        "A 20-story hotel opened.",
        "The fund holds $5 million.",
        "F-16 jets flew over COVID-19 wards.",
    ],
)
def test_dates_times_durations_money_and_names_are_not_figures(sentence):
    assert parse_text(sentence).figures == ()
