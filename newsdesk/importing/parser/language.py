"""Language detection for an article's text, with lingua over the desk's languages.

Restricting the detector to the languages a conflict desk meets keeps it fast
and small (models load lazily, per language); text in any other language comes
out as the nearest of these, which an editor corrects on the draft.
"""

from __future__ import annotations

import re
from functools import cache

from lingua import IsoCode639_1, LanguageDetector, LanguageDetectorBuilder

# ISO 639-1 codes of the languages the detector chooses between.
LANGUAGES = (
    "ar", "de", "en", "es", "fa", "fr", "he", "it",
    "nl", "pl", "pt", "ru", "so", "sv", "tr", "uk",
)  # fmt: skip
_LETTERS_RE = re.compile(r"[^\W\d_]{2,}")
# How much text the detector reads: two or three sentences tell a language
# apart as surely as a page does, and the detector's time grows with the text.
SAMPLE_CHARS = 240


@cache
def _detector() -> LanguageDetector:
    codes = [getattr(IsoCode639_1, code.upper()) for code in LANGUAGES]
    return (
        LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
        .with_minimum_relative_distance(0.1)
        # Trigrams only: a paragraph of news prose needs no more, and each worker
        # process holds 50 MB instead of 300.
        .with_low_accuracy_mode()
        .build()
    )


def detect_language(text: str, *, max_chars: int = SAMPLE_CHARS) -> str:
    """The language of `text` as a BCP 47 tag ("und" when it cannot be told).

    Looks at a bounded prefix, so a long article costs no more than a short one;
    the detector is deterministic, so the answer is the same on every run.
    """
    sample = text[:max_chars]
    if len(text) > max_chars and " " in sample:
        sample = sample.rsplit(" ", 1)[0]
    if not _LETTERS_RE.search(sample):
        return "und"
    language = _detector().detect_language_of(sample)
    if language is None:
        return "und"
    return language.iso_code_639_1.name.lower()
