"""The scraped-article parser: plain Python, so these tests need no database."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.importing.parser import (
    ParseError,
    content_hash,
    decode,
    detect_language,
    parse_bytes,
    parse_text,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
NBC = SEEDS / "000_203f4d3e37727db9.txt"
COLELLA = SEEDS / "004_9bb2997c8907dc2d.txt"

NBC_PARAGRAPHS = (
    "The Amaq statement outlined a detailed offensive that pointed to more than just "
    "an opportunistic attack. The fighters had divided into teams to target strategic "
    "points within the prison, while others were sent to harry a nearby battalion of "
    "Kurdish fighters and block off routes to the complex.",
    "“Despite the loss of territory, ISIS has not been totally defeated. Its cells have "
    "been active in most of central Iraq and eastern Syria,” Emmanuel Karagiannis of "
    "King’s College London, another security expert, said.",
    "“During 2021, ISIS was able to launch dozens of attacks against Kurdish forces. It "
    "is perhaps too early to say that ISIS is resurgent, but things do not look good now.”",
    "ISIS fighters, including thousands of radicalized members from throughout the "
    "region and the world, swept across Iraq and Syria in 2014, seizing around 35 "
    "percent of Syria and 40 percent of Iraq in a lightning offensive. A pushback by "
    "the U.S. and its allies, as well as Iranian-backed Iraqi militias, eventually "
    "forced a retreat.",
    "Since then, tens of thousands of ISIS members and their families, including "
    "children, have languished in prisons in Syria and Iraq in what Human Rights Watch "
    "has described as “inhuman and degrading conditions.”",
    "Experts say that provides ideal conditions for radicalization — and potential new "
    "ISIS recruits.",
    "“The SDF-run prisons have about 12,000 ISIS members and sympathizers. It is a "
    "ticking bomb ready to explode at any moment,” Karagiannis said.",
)


def body_of(text: str) -> str:
    return parse_text(text).body


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
            ("around 35 percent of Syria", 35, 35, "about", ""),
            ("40 percent of Iraq", 40, 40, "about", ""),
            (
                "about 12,000 ISIS members and sympathizers",
                12000,
                12000,
                "about",
                "detained",
            ),
        ]
        assert parsed.figures[2].unit == "ISIS members and sympathizers"
        assert parsed.figures[2].sentence == (
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


# --- furniture ---------------------------------------------------------------

ARTICLE = (
    "Fighters stormed the prison on Thursday night.\n\n"
    "The SDF said it had regained control after six days."
)


@pytest.mark.parametrize(
    "furniture",
    [
        "Share this:",
        "Share this article",
        "Click to share on Twitter (Opens in new window)",
        "Click to share on Facebook (Opens in new window)",
        "Click to email a link to a friend (Opens in new window)",
        "Like this:\n\nLike Loading...",
        "Facebook Twitter WhatsApp Email",
        "Facebook | Twitter | LinkedIn",
        "Subscribe to our newsletter",
        "Sign up for our daily briefing.",
        "Enter your email address",
        "Tags: ISIS, Syria, Hasaka",
        "Filed under: Middle East",
        "Categories: World",
        "Advertisement",
        "Story continues below advertisement",
        "Comment policy: we remove abusive comments.",
        "Comments are moderated and will appear after approval.",
        "Please read our comment policy before commenting.",
        "This site uses Akismet to reduce spam. Learn how your comment data is processed.",
        "Save my name, email, and website in this browser for the next time I comment.",
        "Your email address will not be published. Required fields are marked *",
        "© 2022 Example Media. All rights reserved.",
        "Follow us on Twitter",
        "Posted on January 24, 2022",
    ],
)
def test_furniture_lines_are_removed_wherever_they_are(furniture):
    text = (
        f"{furniture}\n\nFighters stormed the prison on Thursday night.\n\n{furniture}\n\n"
        + ("The SDF said it had regained control after six days.\n\n" + furniture)
    )
    assert body_of(text) == ARTICLE


@pytest.mark.parametrize(
    "heading",
    [
        "You May Also Like",
        "You might also like",
        "Related Posts",
        "Related Articles",
        "Related",
        "More Stories",
        "Recommended for you",
        "Most Read",
        "Trending Now",
        "Leave a Reply",
        "Leave a Comment",
        "3 Comments",
        "Post navigation",
        "Previous article",
        "About the author",
    ],
)
def test_everything_after_a_tail_heading_is_furniture(heading):
    text = (
        f"{ARTICLE}\n\n{heading}\n\nTeaser headline about something else\n\n"
        "A teaser paragraph that was cut off…"
    )
    assert body_of(text) == ARTICLE


def test_source_line_after_the_tail_is_still_provenance():
    parsed = parse_text(f"{ARTICLE}\n\nLeave a Reply\n\nSource: www.Example.com")
    assert parsed.body == ARTICLE
    assert parsed.attribution.domain == "example.com"


def test_article_words_that_resemble_furniture_inside_a_paragraph_are_kept():
    text = (
        "Officials said the comment policy of the ministry was to share this: nothing.\n\n"
        "Related posts on social media were removed."
    )
    assert parse_text(text).paragraphs == (
        "Officials said the comment policy of the ministry was to share this: nothing.",
        "Related posts on social media were removed.",
    )


def test_lines_in_one_block_are_paragraphs_and_hard_wraps_are_joined():
    text = "First paragraph ends here.\nSecond paragraph starts\nand wraps here.\n"
    assert parse_text(text).paragraphs == (
        "First paragraph ends here.",
        "Second paragraph starts and wraps here.",
    )


# --- attribution -------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "name", "domain", "url"),
    [
        (
            "Source: | This article originally belongs to Nbcnews.com",
            "Nbcnews.com",
            "nbcnews.com",
            "",
        ),
        ("Source: Reuters", "Reuters", "", ""),
        ("Originally published by The Conversation.", "The Conversation", "", ""),
        (
            "Originally published at Al-Monitor.com",
            "Al-Monitor.com",
            "al-monitor.com",
            "",
        ),
        (
            "This article originally appeared on Middle East Eye",
            "Middle East Eye",
            "",
            "",
        ),
        (
            "This article was originally published on www.TheNationalNews.com",
            "www.TheNationalNews.com",
            "thenationalnews.com",
            "",
        ),
        (
            "Read Full Article at https://www.nbcnews.com/news/world/isis-prison-attack-n123",
            "nbcnews.com",
            "nbcnews.com",
            "https://www.nbcnews.com/news/world/isis-prison-attack-n123",
        ),
        (
            "Source: NBC News | https://www.nbcnews.com/news/a-1",
            "NBC News",
            "nbcnews.com",
            "https://www.nbcnews.com/news/a-1",
        ),
        (
            "This article is republished from The Conversation under a Creative Commons license.",
            "The Conversation",
            "",
            "",
        ),
    ],
)
def test_attribution_variants(line, name, domain, url):
    parsed = parse_text(f"{ARTICLE}\n\n{line}")
    assert parsed.body == ARTICLE
    assert (
        parsed.attribution.name,
        parsed.attribution.domain,
        parsed.attribution.url,
    ) == (
        name,
        domain,
        url,
    )
    assert parsed.attribution.line == line


def test_two_attribution_lines_make_one_source_with_name_and_url():
    parsed = parse_text(
        f"{ARTICLE}\n\nOriginally published by NBC News\n\n"
        "Read Full Article at https://www.nbcnews.com/news/x"
    )
    assert parsed.body == ARTICLE
    assert parsed.attribution.name == "NBC News"
    assert parsed.attribution.domain == "nbcnews.com"
    assert parsed.attribution.url == "https://www.nbcnews.com/news/x"


# --- related links -----------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "title", "via", "url"),
    [
        ("Read Also Kurds fear new attacks", "Kurds fear new attacks", "", ""),
        ("READ ALSO: Kurds fear new attacks", "Kurds fear new attacks", "", ""),
        ("Also read: Kurds fear new attacks", "Kurds fear new attacks", "", ""),
        ("Read more: Kurds fear new attacks", "Kurds fear new attacks", "", ""),
        ("RELATED: Kurds fear new attacks", "Kurds fear new attacks", "", ""),
        ("See also – Kurds fear new attacks", "Kurds fear new attacks", "", ""),
        (
            "Read Also from Roberto Colella’s blog The threat of drones",
            "The threat of drones",
            "Roberto Colella",
            "",
        ),
        (
            "Read also from Jane Doe's blog: Drones over Syria",
            "Drones over Syria",
            "Jane Doe",
            "",
        ),
        (
            "Read also: Kurds fear new attacks https://example.org/kurds",
            "Kurds fear new attacks",
            "",
            "https://example.org/kurds",
        ),
    ],
)
def test_related_link_variants(line, title, via, url):
    parsed = parse_text(
        f"Fighters stormed the prison on Thursday night.\n\n{line}\n\n"
        "The SDF said it had regained control after six days."
    )
    assert parsed.body == ARTICLE
    assert [(link.title, link.via, link.url) for link in parsed.related_links] == [
        (title, via, url)
    ]


def test_a_sentence_starting_with_related_is_article_text():
    text = "Related groups have also claimed attacks in the area."
    parsed = parse_text(text)
    assert parsed.body == text
    assert parsed.related_links == ()


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


def test_decode_strips_a_byte_order_mark():
    assert decode("\ufeffHello there.".encode()) == "Hello there."


def test_content_hash_ignores_line_endings_and_trailing_spaces():
    assert content_hash("One.  \r\n\r\nTwo.\r\n") == content_hash("One.\n\nTwo.")
    assert content_hash("One.\n\nTwo.") != content_hash("One.\n\nThree.")


def test_language_detection_is_deterministic_and_bcp47():
    italian = (
        "Nei giorni appena trascorsi si è registrato un significativo ritorno delle "
        "operazioni dell'Isis, quando agenti legati al gruppo hanno tentato di liberare "
        "i detenuti."
    )
    assert {detect_language(italian) for _ in range(5)} == {"it"}
    assert detect_language("12345 !!! ---") == "und"


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
