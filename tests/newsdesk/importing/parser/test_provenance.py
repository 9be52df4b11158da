"""Provenance lines: the Source named, its domain and URL."""

from __future__ import annotations

import pytest

from newsdesk.importing.parser import (
    parse_text,
)
from tests.newsdesk.importing.parser.samples import (
    ARTICLE,
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
