"""The whole parse on the two seed files, bad files, properties and wire copy."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.importing.parser import (
    ParseError,
    detect_language,
    parse_bytes,
    parse_text,
)
from tests.newsdesk.importing.parser.samples import (
    ARTICLE,
    COLELLA,
    NBC,
    NBC_PARAGRAPHS,
)

# --- the two seeds, exactly ----------------------------------------------------


class TestNbcSeed:
    @pytest.fixture
    def parsed(self):
        return parse_bytes(NBC.read_bytes())

    def test_body_is_every_article_paragraph_in_order_and_nothing_else(self, parsed):
        assert parsed.paragraphs == NBC_PARAGRAPHS
        assert parsed.body == "\n\n".join(NBC_PARAGRAPHS)

    def test_furniture_and_teasers_are_gone(self, parsed):
        for furniture in (
            "Leave a Reply",
            "Your email address",
            "You May Also Like",
            "Wooden Skyscrapers",
            "Skellefteå",
            "Social Security",
            "Old iPhone",
            "Source:",
            "Nbcnews.com",
        ):
            assert furniture not in parsed.body

    def test_source_is_nbc_news_domain(self, parsed):
        assert parsed.attribution.name == "Nbcnews.com"
        assert parsed.attribution.domain == "nbcnews.com"
        assert parsed.attribution.url == ""

    def test_headline_is_provisional_opening_sentence(self, parsed):
        assert parsed.headline_is_provisional
        assert parsed.headline == (
            "The Amaq statement outlined a detailed offensive that pointed to more "
            "than just an opportunistic attack"
        )

    def test_no_related_links(self, parsed):
        assert parsed.related_links == ()

    def test_quotes_with_speaker_affiliation_and_short_name_resolved(self, parsed):
        quotes = [
            (q.speaker, q.affiliation, q.title, q.attribution) for q in parsed.quotes
        ]
        karagiannis = (
            "Emmanuel Karagiannis",
            "King’s College London",
            "security expert",
        )
        assert quotes == [
            (*karagiannis, "another security expert"),
            (*karagiannis, "another security expert"),
            (*karagiannis, ""),
        ]
        assert [q.text for q in parsed.quotes] == [
            "Despite the loss of territory, ISIS has not been totally defeated. Its cells "
            "have been active in most of central Iraq and eastern Syria",
            "During 2021, ISIS was able to launch dozens of attacks against Kurdish "
            "forces. It is perhaps too early to say that ISIS is resurgent, but things "
            "do not look good now.",
            "The SDF-run prisons have about 12,000 ISIS members and sympathizers. It is "
            "a ticking bomb ready to explode at any moment",
        ]
        assert [q.paragraph for q in parsed.quotes] == [1, 2, 6]

    def test_scare_quote_without_speech_verb_is_not_a_quote(self, parsed):
        assert all("inhuman" not in q.text for q in parsed.quotes)

    def test_candidate_figures(self, parsed):
        figures = [
            (f.text, f.low, f.high, f.qualifier, f.metric) for f in parsed.figures
        ]
        assert figures == [
            ("dozens of attacks", 24, 99, "about", ""),
            ("thousands of radicalized members", 2000, 9999, "about", ""),
            ("around 35 percent of Syria", 35, 35, "about", ""),
            ("40 percent of Iraq", 40, 40, "about", ""),
            ("tens of thousands of ISIS members", 20000, 99999, "about", "detained"),
            (
                "about 12,000 ISIS members and sympathizers",
                12000,
                12000,
                "about",
                "detained",
            ),
        ]
        assert parsed.figures[5].unit == "ISIS members and sympathizers"
        assert parsed.figures[5].sentence == (
            "“The SDF-run prisons have about 12,000 ISIS members and sympathizers."
        )

    def test_years_are_not_figures(self, parsed):
        assert all(f.low not in (2014, 2021) for f in parsed.figures)

    def test_language_is_english(self, parsed):
        assert detect_language(parsed.body) == "en"


class TestColellaSeed:
    @pytest.fixture
    def parsed(self):
        return parse_bytes(COLELLA.read_bytes())

    def test_body_keeps_all_eight_paragraphs_without_read_also_lines(self, parsed):
        source = COLELLA.read_text(encoding="utf-8")
        expected = [
            p.strip()
            for p in source.split("\n\n")
            if p.strip() and not p.startswith("Read Also")
        ]
        assert list(parsed.paragraphs) == expected
        assert len(parsed.paragraphs) == 8
        assert "Read Also" not in parsed.body

    def test_no_source_line(self, parsed):
        assert parsed.attribution is None

    def test_related_links_with_blog_owner(self, parsed):
        links = [(link.title, link.via) for link in parsed.related_links]
        assert links == [
            (
                "Syria, Isis attack on a Kurdish prison to free hundreds of imprisoned "
                "terrorists: 67 dead and 80 fleeing jihadists",
                "",
            ),
            (
                "The threat of drones is increasingly real: Isis now knows how to adapt "
                "them for terrorist purposes",
                "Roberto Colella",
            ),
        ]

    def test_no_quotes(self, parsed):
        assert parsed.quotes == ()

    def test_candidate_figures_include_the_read_also_headline(self, parsed):
        figures = [
            (f.text, f.low, f.high, f.qualifier, f.unit, f.metric)
            for f in parsed.figures
        ]
        assert figures == [
            (
                "hundreds of imprisoned terrorists",
                200,
                999,
                "about",
                "imprisoned terrorists",
                "killed",
            ),
            ("67 dead", 67, 67, "exact", "dead", "killed"),
            ("80 fleeing jihadists", 80, 80, "exact", "fleeing jihadists", "escaped"),
            (
                "about 12,000 suspected IS prisoners",
                12000,
                12000,
                "about",
                "suspected IS prisoners",
                "detained",
            ),
            (
                "more than 2,000 foreigners",
                2000,
                2000,
                "at_least",
                "foreigners",
                "detained",
            ),
            ("nearly 50 countries", 50, 50, "at_most", "countries", ""),
        ]

    def test_durations_are_not_figures(self, parsed):
        assert all("days" not in f.unit for f in parsed.figures)


# --- bad files ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"   \n\n\t  \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"caf\xe9 au lait, said the report.", "not_utf8"),
        (b"Leave a Reply\n\nYour email address will not be published.", "no_body"),
        (b"Share this:\n\nTags: ISIS\n\nRead Also Something else", "no_body"),
    ],
)
def test_bad_files_raise_parse_error_with_a_reason(data, code):
    with pytest.raises(ParseError) as caught:
        parse_bytes(data)
    assert caught.value.code == code
    assert caught.value.reason


# --- properties --------------------------------------------------------------


def _squash(text: str) -> str:
    """The text as the parser sees it: NFC, control characters and runs of
    whitespace as single spaces."""
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"[\s\x00-\x1f\x7f-\x9f]+", " ", text).strip()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.characters(blacklist_categories=("Cs",)),
            st.sampled_from(list("“”\"'’.,:;|\n ")),
            st.sampled_from(
                [
                    "said ",
                    "Read Also ",
                    "Source: ",
                    "Leave a Reply\n\n",
                    " percent ",
                    "12,000 ",
                    "about ",
                    "\n\n",
                    "Karagiannis ",
                    "of ",
                    "Jane Doe ",
                    "You May Also Like\n\n",
                    "from X’s blog ",
                    "https://a.example/x ",
                    "Originally published by ",
                    "By ",
                    "# ",
                    "2,000-3,000 ",
                    "%",
                ]
            ),
        ),
        max_size=120,
    ).map("".join)
)
def test_parser_never_crashes_and_never_invents_text(text):
    try:
        parsed = parse_text(text)
    except ParseError:
        return
    source = _squash(text)
    pieces = [
        *parsed.paragraphs,
        parsed.headline,
        *(q.text for q in parsed.quotes),
        *(q.speaker for q in parsed.quotes),
        *(q.affiliation for q in parsed.quotes),
        *(q.title for q in parsed.quotes),
        *(link.title for link in parsed.related_links),
        *(link.via for link in parsed.related_links),
        *(f.text for f in parsed.figures),
        *(f.unit for f in parsed.figures),
    ]
    if parsed.attribution:
        pieces += [parsed.attribution.name, parsed.attribution.url]
    for piece in pieces:
        assert _squash(piece) in source, piece
    assert parsed.paragraphs


# --- wire copy and other sites' conventions ------------------------------------


def test_wire_dateline_names_the_agency_and_credits_name_the_reporters():
    parsed = parse_text(
        "BEIRUT (Reuters) - U.S.-backed Syrian Kurdish forces said on Wednesday they "
        "had regained full control of the prison.\n\n"
        '"The prison is now totally secure," SDF media office head Farhad Shami told '
        "Reuters.\n\n"
        "Reporting by Maya Gebeily; Editing by Tom Perry\n\n"
        "Our Standards: The Thomson Reuters Trust Principles."
    )
    assert parsed.attribution.name == "Reuters"
    assert parsed.attribution.kept_in_body
    assert parsed.paragraphs[0].startswith("BEIRUT (Reuters) - ")
    assert parsed.headline.startswith("U.S.-backed Syrian Kurdish forces")
    assert parsed.bylines == ("Maya Gebeily",)
    assert len(parsed.paragraphs) == 2
    (quote,) = parsed.quotes
    assert (quote.speaker, quote.affiliation, quote.title) == (
        "Farhad Shami",
        "SDF",
        "media office head",
    )


def test_staff_bylines_are_not_people():
    parsed = parse_text(
        f"Prison retaken after attack\n\nBy Al Jazeera Staff\n\n{ARTICLE}"
    )
    assert parsed.bylines == ()
    assert parsed.body == ARTICLE


def test_capitalised_job_titles_are_not_part_of_the_name():
    (quote,) = parse_text(
        '"Children should never be in prisons," UNICEF Executive Director Catherine '
        "Russell said in a statement."
    ).quotes
    assert (quote.speaker, quote.affiliation, quote.title) == (
        "Catherine Russell",
        "UNICEF",
        "Executive Director",
    )


def test_told_with_an_object_and_a_day_is_still_an_attribution():
    (quote,) = parse_text(
        "“The Ghwayran prison is now under the full control of our forces,” SDF "
        "spokesman Farhad Shami told Al Jazeera on Wednesday."
    ).quotes
    assert quote.speaker == "Farhad Shami"


@pytest.mark.parametrize(
    "paragraph",
    [
        "First appeared in court on Monday, the suspect denied the charges.",
        "Originally published in 2019 by a small press, the book found new readers.",
        "Source: a senior official who asked not to be named because he was not "
        "authorised to speak to the press.",
    ],
)
def test_article_sentences_that_resemble_attribution_lines_are_kept(paragraph):
    parsed = parse_text(paragraph)
    assert parsed.body == paragraph
    assert parsed.attribution is None
