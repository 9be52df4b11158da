"""Headlines, bylines and datelines: the lines above an article's text."""

from __future__ import annotations

import re

from newsdesk.importing.parser.text import split_sentences
from newsdesk.importing.parser.wordlists import words

HEADLINE_PREFIX_RE = re.compile(
    r"^(?:#{1,3}\s+|(?:headline|title)\s*:\s*)(?P<title>\S.*)$", re.I
)
NAME_TOKEN = r"(?:[A-Z][\w’'.-]*|(?:al|el|bin|ibn|de|da|del|van|von|der|le|la)(?:-[A-Z][\w’'-]*)?)"
NAME = rf"[A-Z][\w’'.-]*(?: {NAME_TOKEN}){{0,4}}"
BYLINE_RE = re.compile(
    rf"^(?i:by):?\s+(?P<names>{NAME}(?:(?:,\s*| and | & ){NAME})*)\s*(?:[,|–—-].*)?$"
)
DATELINE_RE = re.compile(
    r"^(?:published|updated|posted)?\s*:?\s*(?:\w+day,?\s*)?"
    r"(?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*"
    r"(?:\d{1,2},?\s*)?\d{4}(?:[\s,]+(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?"
    r"(?:\s*[A-Z]{2,4})?)?\.?$",
    re.IGNORECASE,
)


# A line mostly made of a date and a time ("Tue 10 Nov 2026 06.00 GMT",
# "Situation as of 14 September 2026") says when, not what.
_DATE_TOKEN_RE = re.compile(
    r"^(?:\d{1,4}(?:[:.,]\d{2})?(?:st|nd|rd|th)?|\d{1,2}[:.]\d{2}(?:[ap]m)?|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?|"
    r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?|[ap]\.?m\.?|gmt|utc|[A-Z]{2,4}T)$",
    re.IGNORECASE,
)
# Someone credited in a line: "Words by Noor Haddadin", "Photographs by Elias Brandt".
CREDITED_RE = re.compile(rf"\b(?i:by):?\s+(?P<name>{NAME})")
# A whole line that credits someone: a credit, not a headline.
CREDIT_LINE_RE = re.compile(rf"^(?:[A-Z][a-z]+ ){{1,2}}by:?\s+{NAME}$")


def mostly_date(line: str) -> bool:
    """A short line at least half of whose words are a date or a time."""
    tokens = line.replace("|", " ").split()
    if not 2 <= len(tokens) <= 10:
        return False
    dated = sum(bool(_DATE_TOKEN_RE.match(t.strip(",;()"))) for t in tokens)
    return dated >= 2 and dated * 2 >= len(tokens)


_NOT_PEOPLE = words("not_people")
REPORTING_BY_RE = re.compile(r"^reporting by (?P<names>[^;.]+)", re.IGNORECASE)


def byline_people(names: str) -> list[str]:
    """People named in a byline; "Al Jazeera Staff" and "news agencies" are not."""
    people = []
    for name in re.split(r",\s*|;\s*| and | & ", names):
        name = name.strip()
        if name and not {w.lower() for w in name.split()} & _NOT_PEOPLE:
            people.append(name)
    return people


def looks_like_headline(paragraph: str) -> bool:
    """Short, capitalised, not ending like a sentence: a title line."""
    words = paragraph.split()
    return (
        2 <= len(words) <= 25
        and len(paragraph) <= 200
        and not paragraph.endswith((".", ",", ";", ":", "…", "”", '"'))
        and not paragraph.startswith(("“", '"', "‘", "'", "-", "*"))
        and paragraph[:1].isupper()
    )


def provisional_headline(paragraph: str, max_chars: int = 110) -> str:
    """The opening sentence, cut at a word boundary to at most `max_chars`."""
    sentence = split_sentences(paragraph)[0] if paragraph else ""
    sentence = sentence.strip(" “”\"‘’'")
    if len(sentence) > max_chars:
        cut = sentence[:max_chars]
        sentence = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return sentence.rstrip(" ,;:-–—.") or sentence
