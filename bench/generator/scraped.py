"""Scraped article files shaped like the seeds, for timing the importer."""

from __future__ import annotations

import random
from pathlib import Path

from bench.generator.words import (
    AFFILIATIONS,
    FIRST_NAMES,
    LAST_NAMES,
    PLACE_WORDS,
    QUOTES,
    ROLES,
    host_word,
    make_headline,
    make_paragraphs,
)

FURNITURE = (
    "Leave a Reply\n\nYour email address will not be published. "
    "Required fields are marked *\n\nYou May Also Like\n\n"
    "Wooden Skyscrapers Are on the Rise\n\nGuests at a new 20-story hotel…"
)


def write_scraped_files(directory: Path, count: int, *, seed: int = 7) -> list[Path]:
    """Write `count` distinct scraped articles shaped like the seed files."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        paragraphs = make_paragraphs(rng, rng.randint(5, 9))
        speaker = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        affiliation = rng.choice(AFFILIATIONS) or "King's College London"
        paragraphs.insert(
            2,
            f"“{rng.choice(QUOTES)[:-1]},” {speaker} of {affiliation}, "
            f"another {rng.choice(ROLES) or 'analyst'}, said.",
        )
        paragraphs.insert(4, f"Read Also {make_headline(rng)}")
        paragraphs.append(
            f"File {n}: about {rng.randint(2, 20_000):,} people were detained."
        )
        domain = f"{host_word(rng.choice(PLACE_WORDS))}.com"
        paragraphs.append(
            f"Source: | This article originally belongs to {domain.title()}"
        )
        paragraphs.append(FURNITURE)
        path = directory / f"{n:05d}.txt"
        path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
