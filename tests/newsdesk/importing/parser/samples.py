"""Texts shared by the parser tests: the two seed files and a short clean article."""

from __future__ import annotations

from pathlib import Path

from newsdesk.importing.parser import parse_text

SEEDS = Path(__file__).resolve().parents[4] / "seeds"
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


ARTICLE = (
    "Fighters stormed the prison on Thursday night.\n\n"
    "The SDF said it had regained control after six days."
)


def body_of(text: str) -> str:
    """The body the parser keeps from `text`."""
    return parse_text(text).body
