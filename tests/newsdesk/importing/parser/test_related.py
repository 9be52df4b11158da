"""Related reading lines kept as links."""

from __future__ import annotations

import pytest

from newsdesk.importing.parser import (
    parse_text,
)
from tests.newsdesk.importing.parser.samples import (
    ARTICLE,
)

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
