"""Import accuracy on the labelled corpus and the held-out set: precision and
recall per field.

    python -m bench.importing            # both tables on stdout
    python -m bench.importing --json     # the same numbers as JSON
    python -m bench.importing --misses   # and every miss

The corpus (tests/newsdesk/importing/corpus/) holds scraped-style articles in
many site styles, each with the headline, body, furniture, source, quotes and
candidate figures a careful editor would keep. The parser's rules were tuned
against it, so its scores flatter them; the suite's floors
(tests/newsdesk/importing/test_corpus.py) read the same scores. The held-out
set (tests/newsdesk/importing/heldout/) is labelled the same way, in site
styles the corpus does not have, and is reported on its own: it says how the
parser does on pages it was not written for.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from newsdesk.importing.parser import ParsedArticle, parse_bytes

CORPUS = Path(__file__).resolve().parents[1] / "tests/newsdesk/importing/corpus"
HELD_OUT = CORPUS.parent / "heldout"
SETS = {"corpus": CORPUS, "held-out": HELD_OUT}


@dataclass
class Score:
    """Counts for one field over the corpus, and the misses to show."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0


FIELDS = ("headline", "body", "furniture", "source", "speakers", "figures")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _speaker(name: str) -> str:
    return re.sub(r"^the\s+", "", _norm(name))


def score_article(
    name: str, parsed: ParsedArticle, expected: dict, scores: dict[str, Score]
) -> None:
    """Add one article's hits and misses to `scores`."""
    headline = scores["headline"]
    if _norm(parsed.headline) == _norm(expected["headline"]):
        headline.true_positives += 1
    else:
        headline.false_positives += 1
        headline.false_negatives += 1
        headline.misses.append(f"{name}: {parsed.headline!r}")

    body = scores["body"]
    wanted = [_norm(p) for p in expected["body"]]
    got = [_norm(p) for p in parsed.paragraphs]
    for paragraph in got:
        if paragraph in wanted:
            body.true_positives += 1
        else:
            body.false_positives += 1
            body.misses.append(f"{name}: kept {paragraph[:70]!r}")
    for paragraph in wanted:
        if paragraph not in got:
            body.false_negatives += 1
            body.misses.append(f"{name}: dropped {paragraph[:70]!r}")

    furniture = scores["furniture"]
    kept = [*got, _norm(parsed.headline)]
    labelled = [_norm(line) for line in expected["furniture"]]
    for line in labelled:
        # A short label ("Live") may be a word of a kept paragraph; only a long
        # one is looked for inside paragraphs.
        if line in kept or (len(line) > 40 and any(line in p for p in kept)):
            furniture.false_negatives += 1
            furniture.misses.append(f"{name}: left in {line[:70]!r}")
        else:
            furniture.true_positives += 1
    for block in parsed.removed:
        if _norm(block.text) not in labelled:
            furniture.false_positives += 1

    source = scores["source"]
    want = expected["source"]
    have = parsed.attribution if parsed.attribution else None
    if want is None and have is None:
        pass
    elif (
        want is not None
        and have is not None
        and (
            _norm(have.domain) == _norm(want["domain"])
            if want["domain"]
            else _norm(have.name) == _norm(want["name"])
        )
    ):
        source.true_positives += 1
    else:
        if have is not None:
            source.false_positives += 1
        if want is not None:
            source.false_negatives += 1
        source.misses.append(
            f"{name}: {have.domain if have else None!r} for {want and want['domain']!r}"
        )

    speakers = scores["speakers"]
    matched: set[int] = set()
    for quote in expected["quotes"]:
        text = _norm(quote["text"])
        hit = next(
            (
                i
                for i, q in enumerate(parsed.quotes)
                if text in _norm(q.text) or _norm(q.text) in text
            ),
            None,
        )
        if hit is not None and _speaker(parsed.quotes[hit].speaker) == _speaker(
            quote["speaker"]
        ):
            speakers.true_positives += 1
            matched.add(hit)
        else:
            speakers.false_negatives += 1
            said = parsed.quotes[hit].speaker if hit is not None else "no quote"
            speakers.misses.append(f"{name}: {text[:40]!r} → {said!r}")
    speakers.false_positives += len(parsed.quotes) - len(matched)

    figures = scores["figures"]
    found: set[int] = set()
    for figure in expected["figures"]:
        text = _norm(figure["text"])
        hit = next(
            (
                i
                for i, f in enumerate(parsed.figures)
                if (f.low, f.high, f.qualifier)
                == (figure["low"], figure["high"], figure["qualifier"])
                and (text in _norm(f.text) or _norm(f.text) in text)
            ),
            None,
        )
        if hit is None:
            figures.false_negatives += 1
            figures.misses.append(f"{name}: {figure['text']!r}")
        else:
            figures.true_positives += 1
            found.add(hit)
    figures.false_positives += len(parsed.figures) - len(found)


def score_corpus(corpus: Path = CORPUS) -> dict[str, Score]:
    """Parse every article of the corpus and score it against its labels."""
    scores = {name: Score() for name in FIELDS}
    for path in sorted(corpus.glob("*.txt")):
        expected = json.loads(
            path.with_suffix(".expected.json").read_text(encoding="utf-8")
        )
        score_article(path.stem, parse_bytes(path.read_bytes()), expected, scores)
    return scores


def accuracy(corpus: Path = CORPUS) -> dict[str, dict[str, float]]:
    """Precision and recall per field, rounded, for the benchmark's results."""
    return {
        name: {"precision": round(s.precision, 3), "recall": round(s.recall, 3)}
        for name, s in score_corpus(corpus).items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--corpus", type=Path, help="score this directory only (default: both sets)"
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--misses", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    sets = {str(args.corpus): args.corpus} if args.corpus else SETS
    if args.json:
        print(
            json.dumps({name: accuracy(path) for name, path in sets.items()}, indent=2)
        )
        return 0
    for label, path in sets.items():
        articles = len(list(path.glob("*.txt")))
        print(f"{label} ({articles} articles)")
        print(f"{'field':<10} {'precision':>9} {'recall':>7}")
        for name, score in score_corpus(path).items():
            print(f"{name:<10} {score.precision:>9.3f} {score.recall:>7.3f}")
            if args.misses:
                for miss in score.misses:
                    print(f"    {miss}")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
