"""Vocabulary and text builders for generated articles, people and places."""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterator
from typing import Any

BENCH_USERNAME = "bench-editor"

COUNTRIES = (
    "SY", "IQ", "TR", "LB", "JO", "IR", "YE", "LY", "ML", "NG", "SO", "AF",
    "FR", "DE", "GB", "BE", "NL", "SE", "IT", "ES", "US", "RU", "TN", "MA",
)  # fmt: skip
ORIGIN_COUNTRIES = ("FR", "DE", "GB", "BE", "NL", "SE", "IT", "TN", "MA", "RU", "US")
ADMIN1 = (
    "Al-Hasakah", "Deir ez-Zor", "Raqqa", "Aleppo", "Idlib", "Nineveh", "Anbar",
    "Kirkuk", "Salah al-Din", "Diyala", "Borno", "Gao", "Kidal", "Tripoli",
)  # fmt: skip
PLACE_WORDS = (
    "Ghwayran", "al-Sina'a", "al-Hol", "Roj", "Qamishli", "Hasaka", "Shaddadi",
    "Manbij", "Kobani", "Tabqa", "Mosul", "Tal Afar", "Sinjar", "Fallujah",
    "Ramadi", "Tikrit", "Baiji", "Hawija", "Maiduguri", "Menaka", "Sirte",
)  # fmt: skip
SUBJECTS = (
    "ISIS cells", "Militants", "Security forces", "The SDF", "Coalition aircraft",
    "Detainees", "Gunmen", "Government troops", "Local militias", "Insurgents",
    "Human rights groups", "Aid agencies", "Prosecutors", "Officials",
)  # fmt: skip
VERBS = (
    "attack", "storm", "retake", "raid", "besiege", "free prisoners from",
    "clash near", "warn about", "report on", "investigate", "secure",
)  # fmt: skip
OBJECTS = (
    "detention centre", "prison", "camp", "checkpoint", "military base",
    "border crossing", "supply route", "village", "oil field", "courthouse",
)  # fmt: skip
TOPIC_NAMES = (
    "Detention", "Repatriation", "Prosecution", "Rehabilitation", "Syria", "Iraq",
    "Sahel", "Libya", "Islamic State", "Prison breaks", "Foreign fighters",
    "Children in camps", "Drones", "Coalition", "Kurdish forces", "Human rights",
    "Justice", "Refugees", "Counter-terrorism", "Intelligence", "Weapons",
    "Ceasefires", "Elections", "Sanctions", "Humanitarian aid", "Borders",
    "Militias", "Hostages", "Courts", "Minorities", "Water", "Energy",
    "Reconstruction", "Displacement", "Detention conditions", "Amnesty",
    "Peace talks", "Air strikes", "Mines", "Propaganda",
)  # fmt: skip
FIRST_NAMES = (
    "Emmanuel", "Roberto", "Amina", "Leila", "Omar", "Sara", "Jonas", "Marta",
    "Yusuf", "Hana", "Karim", "Nadia", "Pieter", "Ingrid", "Farid", "Rania",
    "Tomas", "Elena", "Samir", "Aya", "Lukas", "Mariam", "Hassan", "Claire",
)  # fmt: skip
LAST_NAMES = (
    "Karagiannis", "Colella", "Haddad", "Rahman", "Jansen", "Okafor", "Rossi",
    "Nasser", "Lindqvist", "Moreau", "Aziz", "Kowalski", "Barzani", "Dubois",
    "Yilmaz", "Schmidt", "Hussein", "Novak", "Osman", "Fischer", "Mansour",
)  # fmt: skip
AFFILIATIONS = (
    "King's College London", "Human Rights Watch", "the SDF", "UNICEF",
    "the US-led coalition", "Chatham House", "the Kurdish Red Crescent",
    "the University of Bologna", "the International Crisis Group", "",
)  # fmt: skip
ROLES = ("security expert", "spokesperson", "researcher", "analyst", "commander", "")
SENTENCES = (
    "Fighters attacked the facility at night, freeing dozens of detainees.",
    "The SDF said it had regained control after six days of fighting.",
    "About 12,000 suspected members of the group are held in prisons in the region.",
    "More than 2,000 foreigners from nearly 50 countries are among them.",
    "Officials described the assault as the most sophisticated in years.",
    "Residents fled as clashes spread to the surrounding neighbourhoods.",
    "Coalition aircraft supported the ground operation, a spokesperson said.",
    "Human rights groups have described the conditions as inhuman and degrading.",
    "Countries of origin have been urged to repatriate their citizens.",
    "Analysts warn that the camps provide ideal conditions for radicalisation.",
    "The attack followed months of warnings about the prison's vulnerability.",
    "Local authorities imposed a curfew and searched nearby houses.",
    "Several guards were killed in the first hours of the assault.",
    "The group claimed responsibility through its news agency.",
    "Prosecutors have opened an investigation into the escape.",
    "Aid agencies said children were among those trapped inside.",
)  # fmt: skip
QUOTES = (
    "It is a ticking bomb ready to explode at any moment.",
    "Despite the loss of territory, the group has not been totally defeated.",
    "It is perhaps too early to say that it is resurgent, but things do not look good.",
    "Countries of origin must take responsibility for their citizens.",
    "The detention facilities need to be secured as a matter of urgency.",
    "We regained control of the prison after six days of fighting.",
)  # fmt: skip
COMMENT_BODIES = (
    "Thank you for this reporting.",
    "Is there an update on the number of detainees?",
    "The figures in the second paragraph differ from other reports.",
    "A clear and careful account of a complicated situation.",
)  # fmt: skip
DISTINCT_BODIES = 48
DISTINCT_STANDFIRSTS = 32


def host_word(word: str) -> str:
    return re.sub(r"[^a-z0-9]", "", word.lower())


def make_headline(rng: random.Random) -> str:
    return (
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} "
        f"{rng.choice(OBJECTS)} in {rng.choice(PLACE_WORDS)}"
    )


def make_paragraphs(rng: random.Random, count: int) -> list[str]:
    return [" ".join(rng.sample(SENTENCES, rng.randint(3, 6))) for _ in range(count)]


def make_body(rng: random.Random) -> str:
    parts = make_paragraphs(rng, rng.randint(6, 12))
    parts.insert(2, f"> “{rng.choice(QUOTES)}”")
    parts.insert(4, f"## {rng.choice(TOPIC_NAMES)}")
    return "\n\n".join(parts)


def chunked(iterable: Iterator[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(iterable)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
