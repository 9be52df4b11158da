"""Figures: numbers with what they count and how they are qualified."""

from __future__ import annotations

import re

from newsdesk.importing.parser.text import CandidateFigure
from newsdesk.importing.parser.wordlists import table, words

_QUALIFIERS: dict[str, str] = table("qualifiers")
_QUALIFIER_ALT = "|".join(
    sorted((re.escape(q) for q in _QUALIFIERS), key=len, reverse=True)
)
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_FIGURE_RE = re.compile(
    rf"(?:\b(?P<qualifier>{_QUALIFIER_ALT})\s+)?"
    rf"(?:(?P<between>between|from)\s+)?"
    rf"(?<![\w$€£¥.,:/-])(?P<low>{_NUMBER})"
    rf"(?:\s*(?:-|–|—|to|and)\s*(?P<high>{_NUMBER}))?"
    r"(?:\s+(?P<scale>thousand|million|billion))?"
    r"(?P<percent>\s*%|\s+per ?cent\b)?"
    r"(?![\w%$€£-]|[.,:/]\d)",
    re.IGNORECASE,
)
_HAS_DIGIT_RE = re.compile(r"\d")
_RATIO_BEFORE_RE = re.compile(r"\d\s+in\s+$")
_NUMBER_WORDS: dict[str, int] = table("quantities")["numbers"]
# "dozens of …" and the like, as the range they are usually taken to mean.
_VAGUE: dict[str, tuple[int, int]] = {
    words: tuple(bounds) for words, bounds in table("quantities")["vague"].items()
}
_COMPOUND_BEFORE_RE = re.compile(r"\b(?:hundred|thousand|million)(?: and)?\s+$", re.I)
# The qualifier is looked for right before a match: a regular expression that
# starts with the optional qualifier would try it at every position.
_QUALIFIER_BEFORE_RE = re.compile(rf"\b(?P<qualifier>{_QUALIFIER_ALT})\s+$", re.I)
_LETTERS_RE = re.compile(r"[a-z]+")
_AMOUNT_WORDS = frozenset(_NUMBER_WORDS) | {words.split()[0] for words in _VAGUE}
_WORD_FIGURE_RE = re.compile(
    r"\b(?P<amount>(?P<vague>"
    + "|".join(sorted(_VAGUE, key=len, reverse=True))
    + r")\s+of|(?P<word>"
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + r"))\b(?!-|\s+(?:hundred|thousand|million|billion)\b)",
    re.IGNORECASE,
)
_OF_GROUP_RE = re.compile(
    r"\s+of (?P<determiner>its|their|the|his|her|our|whom|them)\b"
)
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|"
    "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_MONTH_BEFORE_RE = re.compile(
    rf"\b(?:{_MONTHS})\.?\s*(?:\d{{1,2}},?\s*)?$", re.IGNORECASE
)
_MONTH_AFTER_RE = re.compile(rf"^\s*(?:{_MONTHS})\b", re.IGNORECASE)
_YEAR_CONTEXT_RE = re.compile(
    r"\b(?:in|since|during|of|by|until|till|from|to|before|after|early|late|mid|year|"
    r"summer|winter|spring|autumn|fall|between|and)\s*$",
    re.IGNORECASE,
)
_UNIT_STOP = words("unit_stop_words")
_SKIP_UNITS = words("skip_units")
_UNIT_VERBS = words("unit_verbs")
_WORD_RE = re.compile(r"[A-Za-z][\w’'-]*")
_SPACE_RE = re.compile(r"\s+")
_TOKEN_RE = re.compile(r"[\w-]+")
_FOUR_DIGITS_RE = re.compile(r"\d{4}")
_OF_RE = re.compile(r"\s+of\b")
_PEOPLE_WORDS = words("people_words")
_METRIC_WORDS: list[tuple[str, tuple[str, ...]]] = [
    (metric, tuple(names)) for metric, names in table("metrics")
]


def _guess_metric(unit: str, sentence: str) -> str:
    """What the number counts: the unit's own words first ("67 dead"), then the
    sentence's ("154 inmates were killed"); "prisoners" alone means detained."""
    unit_words = set(_TOKEN_RE.findall(unit.lower()))
    for metric, names in _METRIC_WORDS:
        if metric != "detained" and any(w in unit_words for w in names):
            return metric
    if not unit_words & _PEOPLE_WORDS:
        return ""
    sentence_words = set(_TOKEN_RE.findall(sentence.lower()))
    for metric, names in _METRIC_WORDS:
        if any(w in sentence_words for w in names):
            return metric
    return ""


def _to_int(number: str, scale: str | None) -> int | None:
    try:
        value = float(number.replace(",", ""))
    except ValueError:
        return None
    value *= _SCALES.get((scale or "").lower(), 1)
    if value != int(value) or value < 0 or value > 2_000_000_000:
        return None
    return int(value)


def _unit_after(sentence: str, position: int) -> tuple[str, int]:
    """The counted noun phrase right after a number, and where it ends."""
    words: list[str] = []
    end = position
    cursor = position
    pending: tuple[str, int] | None = None
    while len(words) < 6:
        match = _SPACE_RE.match(sentence, cursor)
        gap = match.end() - cursor if match else 0
        if gap == 0 and words:
            break
        match = _WORD_RE.match(sentence, cursor + gap)
        if not match:
            break
        word = match.group(0)
        lower = word.lower()
        if lower in ("and", "or", "of"):
            if not words or pending is not None:
                break
            pending = (word, match.end())
            cursor = match.end()
            continue
        if lower in _UNIT_STOP and not (word.isupper() and len(word) > 1):
            break
        if words and (
            lower in _UNIT_VERBS
            or (lower.endswith("ed") and lower not in _PEOPLE_WORDS)
        ):
            break
        if pending is not None:
            words.append(pending[0])
            pending = None
        words.append(word)
        end = match.end()
        cursor = match.end()
        if sentence[cursor : cursor + 1] in (",", ";", ":", ".", "!", "?", ")"):
            break
    return " ".join(words), end


def extract_figures(sentences: list[str]) -> list[CandidateFigure]:
    """Numbers with what they count, as candidates for an editor to confirm."""
    figures: list[CandidateFigure] = []
    for sentence in sentences:
        found = _word_figures(sentence)
        if _HAS_DIGIT_RE.search(sentence):
            found += _digit_figures(sentence)
        figures += [figure for _, figure in sorted(found, key=lambda item: item[0])]
    return figures


def _digit_figures(sentence: str) -> list[tuple[int, CandidateFigure]]:
    """Figures written in digits: "at least 74 people", "between 67 and 70"."""
    figures: list[tuple[int, CandidateFigure]] = []
    previous_end, previous_qualifier = -1, "exact"
    for match in _FIGURE_RE.finditer(sentence):
        low_text, high_text = match.group("low"), match.group("high")
        if match.group("between") and not high_text:
            continue
        before = sentence[: match.start("low")]
        after = sentence[match.end() :]
        plain = _FOUR_DIGITS_RE.fullmatch(low_text) and not high_text
        if plain and 1800 <= int(low_text) <= 2100:
            near = before[: len(before) - len(match.group("qualifier") or "")]
            if (
                _YEAR_CONTEXT_RE.search(near)
                or _MONTH_BEFORE_RE.search(near)
                or not after.strip()
                or after.lstrip()[:1] in ",.;:)"
            ):
                continue
        if _MONTH_BEFORE_RE.search(before) or _MONTH_AFTER_RE.match(after):
            continue
        if _RATIO_BEFORE_RE.search(before):
            continue  # the 5 of "1 in 5 children" counts nothing
        scale = match.group("scale")
        low = _to_int(low_text, scale)
        high = _to_int(high_text, scale) if high_text else low
        if low is None or high is None:
            continue
        if high < low:
            # "67-70" reads as a range; "2014-15" and similar are not counts.
            continue
        if match.group("percent"):
            # The unit as written: "percent", "per cent" or "%", with "of Syria".
            unit_end = match.end()
            of = _OF_RE.match(sentence, unit_end)
            if of:
                rest, rest_end = _unit_after(sentence, of.end())
                if rest:
                    unit_end = rest_end
            unit = sentence[match.start("percent") : unit_end].strip()
        else:
            unit, unit_end = _unit_after(sentence, match.end())
            if not unit:
                # "121 of its fighters", "40 of the guards"
                of = _OF_GROUP_RE.match(sentence, match.end())
                if of:
                    unit_end = of.end()
                    if of.group("determiner") not in ("them", "whom"):
                        rest, unit_end = _unit_after(sentence, of.end())
                        if not rest:
                            unit_end = match.end()
                    unit = sentence[match.end() : unit_end].strip()
        if not unit:
            continue
        first = unit.split()[0].lower().rstrip(".")
        if first in _SKIP_UNITS:
            continue
        qualifier_text = (match.group("qualifier") or "").lower()
        qualifier = _QUALIFIERS.get(qualifier_text, "exact")
        if high_text and low != high:
            qualifier = "exact" if not qualifier_text else qualifier
        joined = sentence[previous_end : match.start()].strip().lower()
        if not qualifier_text and previous_end >= 0 and joined in ("and", "or", ","):
            qualifier = previous_qualifier
        start = (
            match.start("qualifier")
            if qualifier_text
            else match.start("between" if match.group("between") else "low")
        )
        figures.append(
            _candidate(sentence, start, unit_end, low, high, qualifier, unit)
        )
        previous_end, previous_qualifier = unit_end, qualifier
    return figures


def _word_figures(sentence: str) -> list[tuple[int, CandidateFigure]]:
    """Figures in words: "at least six ceasefires", "Three children", and the
    vague "dozens of ambushes" or "thousands of families" as their usual range."""
    figures: list[tuple[int, CandidateFigure]] = []
    if not _AMOUNT_WORDS.intersection(_LETTERS_RE.findall(sentence.lower())):
        return figures
    for match in _WORD_FIGURE_RE.finditer(sentence):
        if _COMPOUND_BEFORE_RE.search(sentence, 0, match.start()):
            continue  # the "twenty" of "one hundred and twenty"
        unit, unit_end = _unit_after(sentence, match.end())
        if not unit or unit.split()[0].lower() in _SKIP_UNITS:
            continue
        qualified = _QUALIFIER_BEFORE_RE.search(
            sentence, max(0, match.start() - 25), match.start()
        )
        qualifier_text = qualified.group("qualifier").lower() if qualified else ""
        vague = match.group("vague")
        if vague:
            low, high = _VAGUE[" ".join(vague.lower().split())]
            qualifier = "about"
        else:
            counts_people = {w.lower() for w in unit.split()} & _PEOPLE_WORDS
            if not qualifier_text and not counts_people:
                continue  # "the two sides", "one of the largest"
            low = high = _NUMBER_WORDS[match.group("word").lower()]
            qualifier = _QUALIFIERS.get(qualifier_text, "exact")
        start = qualified.start("qualifier") if qualified else match.start("amount")
        figures.append(
            _candidate(sentence, start, unit_end, low, high, qualifier, unit)
        )
    return figures


def _candidate(
    sentence: str,
    start: int,
    end: int,
    low: int,
    high: int,
    qualifier: str,
    unit: str,
) -> tuple[int, CandidateFigure]:
    """A candidate and where it starts in its sentence, for ordering."""
    figure = CandidateFigure(
        text=sentence[start:end].strip()[:300],
        sentence=sentence,
        low=low,
        high=high,
        qualifier=qualifier,
        unit=unit[:100],
        metric=_guess_metric(unit, sentence),
    )
    return start, figure
