"""The furniture classifier, provenance trailers, speakers and word figures on the
shapes other sites use (the corpus scores them at scale)."""

from __future__ import annotations

import pytest

from newsdesk.importing.parser import parse_text
from newsdesk.importing.parser.furniture import repeat_key, repeated_blocks

OPENING = (
    "Gunmen stormed the central prison in the northern city overnight, freeing "
    "inmates after a battle with guards that lasted until dawn, officials said."
)
SECOND = "The prison held about 4,000 detainees, many of them awaiting trial."


def reasons(text: str, **kwargs) -> dict[str, str]:
    return {block.text: block.reason for block in parse_text(text, **kwargs).removed}


def test_junk_above_the_headline_is_removed_and_the_headline_found():
    parsed = parse_text(
        "Skip to content\n\nType to search\n\nHome > World > Security\n\n"
        f"Prison attack frees hundreds of inmates\n\n{OPENING}\n\n{SECOND}"
    )
    assert parsed.headline == "Prison attack frees hundreds of inmates"
    assert not parsed.headline_is_provisional
    assert parsed.paragraphs == (OPENING, SECOND)
    removed = reasons(
        f"Menu\n\nPrison attack frees hundreds of inmates\n\n{OPENING}\n\n{SECOND}"
    )
    assert removed == {
        "Menu": "interface words (menu, sharing, player or sign-up prompt)"
    }


@pytest.mark.parametrize(
    "line",
    [
        "Photo: Jane Doe/Northwire",
        "Credit: Lensline Images",
        "Image caption: Families wait for water in the camp on Tuesday.",
        "Your browser does not support the video tag.",
        "Video unavailable in your region",
        "Join our Telegram channel for the latest updates",
        "Follow us on WhatsApp",
        "ALSO READ: Ceasefire talks stall over prisoner lists",
        "Related: Border crossings closed after clashes",
        "Drone strike hits fuel depot in southern port",
    ],
)
def test_furniture_between_paragraphs_is_removed_with_a_reason(line):
    parsed = parse_text(f"# Prison attack\n\n{OPENING}\n\n{line}\n\n{SECOND}")
    assert parsed.paragraphs == (OPENING, SECOND)
    assert [block.text for block in parsed.removed] == [line]
    assert parsed.removed[0].reason


def test_a_short_last_sentence_is_kept_but_a_footer_prompt_is_not():
    parsed = parse_text(
        f"# Trial opens\n\n{OPENING}\n\nThe trial continues.\n\n"
        "Got a story? Email us at tips@example.org"
    )
    assert parsed.paragraphs == (OPENING, "The trial continues.")
    # It speaks to the reader in interface words the article does not use.
    assert parsed.removed[0].reason == (
        "the site speaking to the reader, about nothing in the article"
    )
    # Without those, it is still below the last paragraph of prose.
    parsed = parse_text(f"# Trial opens\n\n{OPENING}\n\nGot a story? Tell us")
    assert parsed.removed[0].reason == "page footer, below the article"


def test_a_tail_heading_at_the_top_does_not_swallow_the_article():
    parsed = parse_text(f"Trending\n\n# Prison attack\n\n{OPENING}\n\n{SECOND}")
    assert parsed.paragraphs == (OPENING, SECOND)


def test_lines_repeated_across_a_batch_are_furniture():
    pages = [["Northwire Daily Digest", f"Text {n}."] for n in range(3)]
    repeated = repeated_blocks(pages)
    assert repeated == {repeat_key("Northwire Daily Digest")}
    text = f"# Prison attack\n\n{OPENING}\n\nNorthwire Daily Digest\n\n{SECOND}"
    removed = reasons(text, repeated=repeated)
    assert removed == {
        "Northwire Daily Digest": "repeated across the files of this batch"
    }
    assert not reasons(
        text.replace("Northwire Daily Digest", "No casualties were reported.")
    )


@pytest.mark.parametrize(
    ("line", "name", "domain"),
    [
        ("Continue reading on meridianpost.example", "meridianpost.example", "meridianpost.example"),
        ("Originally appeared on Frontier Daily (frontierdaily.example)", "Frontier Daily", "frontierdaily.example"),
        ("This story was first published by Safe Ground (www.safeground.example).", "Safe Ground", "safeground.example"),
        ("This article was originally published in Spanish by La Voz del Sur (lavoz-sur.example).", "La Voz del Sur", "lavoz-sur.example"),
        ("Source: Al-Sharq Times | sharqtimes.example", "Al-Sharq Times", "sharqtimes.example"),
        ("This article was first published by The Northern Star and is republished here with permission.", "The Northern Star", ""),
        ("Continue reading on East Watch: eastwatch.example/vell-depot-blast", "East Watch", "eastwatch.example"),
    ],
)  # fmt: skip
def test_provenance_trailers_in_other_wordings(line, name, domain):
    parsed = parse_text(f"{OPENING}\n\n{line}")
    assert (parsed.attribution.name, parsed.attribution.domain) == (name, domain)
    assert parsed.paragraphs == (OPENING,)


@pytest.mark.parametrize(
    ("paragraphs", "speakers"),
    [
        (
            ["“There is no excuse for attacking aid workers,” the agency’s regional "
             "spokesperson, Maria Lopez, said on Monday."],
            ["Maria Lopez"],
        ),
        (
            ["“The attackers came from three directions,” Interior Minister Karl Berg "
             "told reporters.", "“We will find every one of them,” Berg added."],
            ["Karl Berg", "Karl Berg"],
        ),
        (
            ["The mayor, Oleg Petrenko, said 25 rockets had landed.",
             "“People were in their homes, having breakfast,” said Petrenko."],
            ["Oleg Petrenko"],
        ),
        (
            ["“Some of these people may no longer be alive,” said Hannah Okafor. "
             "“Their families deserve to know.”"],
            ["Hannah Okafor", "Hannah Okafor"],
        ),
        (
            ["“We have lost our houses and our fields. The children are not in school.",
             "“Now we ask only to go home,” said Amina Yousef, a mother of four."],
            ["Amina Yousef", "Amina Yousef"],
        ),
        (
            ["A doctor, Dr Youssef Amrani, said many had gunshot wounds. “We have run "
             "out of blood for transfusions,” he said."],
            ["Youssef Amrani"],
        ),
        (
            ["Researcher Amir Haddad puts it bluntly: “A ceasefire without monitors "
             "is a press release.”"],
            ["Amir Haddad"],
        ),
        (
            ["“This is one of the largest seizures,” coastguard commander Rear "
             "Admiral Petra Lund told reporters."],
            ["Petra Lund"],
        ),
    ],
)  # fmt: skip
def test_speakers_in_common_news_shapes(paragraphs, speakers):
    parsed = parse_text("\n\n".join(["# Title line here", *paragraphs]))
    assert [quote.speaker for quote in parsed.quotes] == speakers


def test_scare_quotes_are_not_quotes():
    parsed = parse_text(
        "# Title line here\n\n“Attacks on peacekeepers may be war crimes,” the "
        "spokesperson, Leila Nasser, said, adding that the patrol had followed "
        "“standard operating procedures” throughout. Officials called it a "
        "“temporary technical pause” in the talks."
    )
    assert [quote.text for quote in parsed.quotes] == [
        "Attacks on peacekeepers may be war crimes"
    ]


@pytest.mark.parametrize(
    ("sentence", "figure"),
    [
        ("At least 74 people were killed.", ("At least 74 people", 74, 74, "at_least")),
        ("It holds more than 2,000 prisoners.", ("more than 2,000 prisoners", 2000, 2000, "at_least")),
        ("Monitors counted nearly 50 violations.", ("nearly 50 violations", 50, 50, "at_most")),
        ("The area saw dozens of ambushes.", ("dozens of ambushes", 24, 99, "about")),
        ("Thousands of families fled.", ("Thousands of families", 2000, 9999, "about")),
        ("At least six ceasefires collapsed.", ("At least six ceasefires", 6, 6, "at_least")),
        ("Three children were killed.", ("Three children", 3, 3, "exact")),
    ],
)  # fmt: skip
def test_figures_with_qualifiers_and_words_are_kept_verbatim(sentence, figure):
    parsed = parse_text(f"# Title line here\n\n{sentence}")
    assert sentence in parsed.body
    (found,) = parsed.figures
    assert (found.text, found.low, found.high, found.qualifier) == figure


@pytest.mark.parametrize(
    "sentence",
    [
        "The two sides met on Monday.",
        "It was one of the largest seizures.",
        "One hundred and twenty families returned.",
        "Nearly 1 in 5 children were ill.",
    ],
)
def test_word_numbers_that_count_nothing_are_not_figures(sentence):
    assert not parse_text(f"# Title line here\n\n{sentence}").figures
