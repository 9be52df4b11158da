"""Quotes and their speakers."""

from __future__ import annotations

import pytest

from newsdesk.importing.parser import (
    parse_text,
)

# --- quotes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraph", "text", "speaker", "affiliation", "title"),
    [
        (
            "“We are in control of the prison,” said Farhad Shami, a spokesman for the SDF.",
            "We are in control of the prison",
            "Farhad Shami",
            "SDF",
            "spokesman",
        ),
        (
            '"We are in control of the prison," Farhad Shami said.',
            "We are in control of the prison",
            "Farhad Shami",
            "",
            "",
        ),
        (
            'UNICEF spokesperson Juliette Touma said: "Children are paying the highest price."',
            "Children are paying the highest price.",
            "Juliette Touma",
            "UNICEF",
            "spokesperson",
        ),
        (
            "Security chief John Smith told reporters: “Nobody will be left behind.”",
            "Nobody will be left behind.",
            "John Smith",
            "",
            "Security chief",
        ),
        (
            "“It is a ticking bomb ready to explode,” Jane Doe, an analyst at the "
            "Washington Institute, said.",
            "It is a ticking bomb ready to explode",
            "Jane Doe",
            "Washington Institute",
            "analyst",
        ),
        (
            "“It is a ticking bomb ready to explode,” Emmanuel Karagiannis of King’s "
            "College London said.",
            "It is a ticking bomb ready to explode",
            "Emmanuel Karagiannis",
            "King’s College London",
            "",
        ),
    ],
)
def test_quote_variants(paragraph, text, speaker, affiliation, title):
    (quote,) = parse_text(paragraph).quotes
    assert (quote.text, quote.speaker, quote.affiliation, quote.title) == (
        text,
        speaker,
        affiliation,
        title,
    )
    assert quote.is_person


def test_later_short_name_and_pronoun_resolve_to_the_full_name():
    parsed = parse_text(
        "Siamand Ali, a spokesman for the SDF, told reporters the fighting was over.\n\n"
        "“We have recaptured most of them,” Ali said.\n\n"
        "“The search goes on in the city,” he added."
    )
    assert [(q.speaker, q.affiliation) for q in parsed.quotes] == [
        ("Siamand Ali", "SDF"),
        ("Siamand Ali", "SDF"),
    ]


def test_organisation_speakers_are_not_people():
    (quote,) = parse_text(
        "“The situation is under control,” the SDF said in a statement."
    ).quotes
    assert quote.speaker == "the SDF"
    assert not quote.is_person


def test_unattributed_quotes_are_not_quotes():
    assert (
        parse_text(
            "Officials described it as “a very serious breach of security”."
        ).quotes
        == ()
    )
