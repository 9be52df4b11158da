"""Features that look at the whole page: what a block shares with the article's
prose, whether it speaks to the reader, repeats another paragraph, or is a date;
and the headline as the line the article is about."""

from __future__ import annotations

from newsdesk.importing.parser import parse_text
from newsdesk.importing.parser.bylines import mostly_date

OPENING = (
    "Drone strikes overnight knocked out two substations serving the city, leaving "
    "thousands of homes without electricity, the regional grid operator said."
)
SECOND = (
    "Crews restored power to some districts by morning, but repairs to the larger "
    "substation could take weeks, the operator said."
)
THIRD = "“We are working around the clock,” the operator's chief engineer said."


def reasons(text: str) -> dict[str, str]:
    return {block.text: block.reason for block in parse_text(text).removed}


def test_a_well_written_consent_banner_or_paywall_prompt_is_the_site_talking():
    banner = (
        "We use cookies and similar technologies to personalise content and "
        "measure our audience. You can change your choices at any time in "
        "Privacy settings."
    )
    paywall = (
        "You have 2 free articles left this month. Subscribe for unlimited access."
    )
    parsed = parse_text(
        f"{banner}\n\nPower cut to half the city\n\n{OPENING}\n\n{paywall}\n\n{SECOND}"
    )
    assert parsed.paragraphs == (OPENING, SECOND)
    assert parsed.headline == "Power cut to half the city"
    removed = reasons(f"{OPENING}\n\n{paywall}\n\n{SECOND}")
    assert removed[paywall].startswith("the site speaking to the reader")
    assert [f.text for f in parsed.figures if "free" in f.text] == []


def test_prose_addressing_the_reader_about_the_article_is_kept():
    # "we" and "our" with the article's own words: a podcast's or an NGO's voice.
    ours = (
        "In our reporting we found that repairs to the substation depend on spare "
        "transformers from neighbouring regions."
    )
    parsed = parse_text(f"{OPENING}\n\n{ours}\n\n{SECOND}")
    assert parsed.paragraphs == (OPENING, ours, SECOND)


def test_a_short_interface_sentence_that_shares_words_with_the_article_is_kept():
    # Interface words, but about the article: "follow" is a verb of the story.
    kept = "Engineers will follow the repairs to the substation closely."
    parsed = parse_text(f"{OPENING}\n\n{kept}\n\n{SECOND}")
    assert kept in parsed.paragraphs


def test_a_pull_quote_repeating_a_paragraph_is_removed_and_the_quote_kept_once():
    pull = "“We are working around the clock.”"
    parsed = parse_text(f"{OPENING}\n\n{THIRD}\n\n{pull}\n\n{SECOND}")
    assert parsed.paragraphs == (OPENING, THIRD, SECOND)
    assert reasons(f"{OPENING}\n\n{THIRD}\n\n{pull}\n\n{SECOND}")[pull] == (
        "repeats words of the article (a pull quote)"
    )


def test_date_lines_in_other_shapes_are_not_headlines():
    for line in ("Tue 10 Nov 2026 06.00 GMT", "Situation as of 14 September 2026"):
        assert mostly_date(line)
        parsed = parse_text(f"Power cut to half the city\n\n{line}\n\n{OPENING}")
        assert parsed.headline == "Power cut to half the city"
        assert reasons(f"Power cut to half the city\n\n{line}\n\n{OPENING}") == {
            line: "date line"
        }
    assert not mostly_date("Ceasefire collapses on 14 September")
    assert not mostly_date("Northern Harran: Flash Update No. 4")


def test_the_headline_is_the_line_the_article_is_about_not_a_credit_or_a_name():
    parsed = parse_text(
        "Energy Ministry\n\nDrone strikes cut power to the city\n\n"
        f"Photographs by Elias Brandt\n\n{OPENING}\n\n{SECOND}"
    )
    assert parsed.headline == "Drone strikes cut power to the city"
    # A line the prose repeats word for word is a name, not the headline.
    parsed = parse_text(
        f"Regional grid operator\n\nSubstations hit overnight\n\n{OPENING}\n\n{SECOND}"
    )
    assert parsed.headline == "Substations hit overnight"


def test_a_closing_note_about_a_credited_writer_is_removed():
    note = "Noor Haddadin is a journalist based in Amman."
    parsed = parse_text(
        f"Power cut to half the city\n\nWords by Noor Haddadin\n\n{OPENING}\n\n"
        f"{SECOND}\n\n{note}"
    )
    assert parsed.paragraphs == (OPENING, SECOND)
    # No word in common with the prose: still not the credit line.
    assert parsed.headline == "Power cut to half the city"


def test_a_provenance_trailer_naming_its_publisher_after_other_words():
    parsed = parse_text(
        f"{OPENING}\n\n{SECOND}\n\nThis report first ran on the website of our "
        "partner Kessa Radio, kessaradio.example."
    )
    assert parsed.attribution.domain == "kessaradio.example"
    assert parsed.attribution.name == "Kessa Radio"
    # Lower-case words and no domain: article text, not a source.
    line = "The convoy first appeared on the road to the border at dawn."
    parsed = parse_text(f"{OPENING}\n\n{line}")
    assert parsed.attribution is None
    assert line in parsed.paragraphs


def test_a_person_named_after_a_preposition_with_an_appositive_is_a_speaker():
    parsed = parse_text(
        f"{OPENING}\n\nWe also spoke to Johan Petersen, a former diplomat who "
        "negotiated the return of children. “Every government knows the names of "
        "its citizens here,” Petersen said."
    )
    assert [q.speaker for q in parsed.quotes] == ["Johan Petersen"]
