"""Language detection for an article's text."""

from __future__ import annotations

import re


def detect_language(text: str, *, max_chars: int = 400) -> str:
    """The language of `text` as a BCP 47 tag ("und" when it cannot be told).

    Looks at a bounded prefix with two detector trials (langdetect's default is
    seven), so a long article costs no more than a short one; seeded, so the
    answer is the same on every run.
    """
    sample = text[:max_chars]
    if len(text) > max_chars and " " in sample:
        sample = sample.rsplit(" ", 1)[0]
    if not _LETTERS_RE.search(sample):
        return "und"
    from langdetect import DetectorFactory
    from langdetect.detector_factory import init_factory
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    init_factory()
    from langdetect import detector_factory

    try:
        detector = detector_factory._factory.create()
        detector.n_trial = 2
        detector.append(sample)
        code = detector.detect()
    except LangDetectException:
        return "und"
    language, _, region = code.partition("-")
    return f"{language}-{region.upper()}" if region else language


_LETTERS_RE = re.compile(r"[^\W\d_]{2,}")
