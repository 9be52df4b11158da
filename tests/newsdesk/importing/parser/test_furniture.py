"""Site furniture: removed wherever it sits, article words that resemble it kept."""

from __future__ import annotations

import pytest

from newsdesk.importing.parser import (
    parse_text,
)
from tests.newsdesk.importing.parser.samples import (
    ARTICLE,
    body_of,
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
