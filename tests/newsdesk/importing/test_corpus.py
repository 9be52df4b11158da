"""Floors on the labelled corpus of scraped-style articles (bench/importing.py
reports the same scores per field: `python -m bench.importing --misses`)."""

from __future__ import annotations

import json

import pytest

from bench.importing import CORPUS, HELD_OUT, score_corpus

ARTICLES = sorted(CORPUS.glob("*.txt"))
HELD_OUT_ARTICLES = sorted(HELD_OUT.glob("*.txt"))


@pytest.fixture(scope="module")
def scores():
    return score_corpus()


def test_the_corpus_covers_many_site_styles():
    assert len(ARTICLES) >= 30
    styles = {path.stem.split("_", 1)[1] for path in ARTICLES}
    assert len(styles) >= 12


def test_the_held_out_set_is_in_site_styles_the_corpus_does_not_have():
    def styles(paths):
        return {path.stem.split("_", 1)[1] for path in paths}

    assert len(styles(HELD_OUT_ARTICLES)) >= 4
    assert not styles(HELD_OUT_ARTICLES) & styles(ARTICLES)


@pytest.mark.parametrize(
    "path", ARTICLES + HELD_OUT_ARTICLES, ids=lambda path: path.stem
)
def test_labels_are_taken_from_the_file(path):
    text = path.read_text(encoding="utf-8")
    expected = json.loads(path.with_suffix(".expected.json").read_text("utf-8"))
    blocks = {line.strip() for line in text.splitlines() if line.strip()}
    assert expected["headline"] in blocks
    assert set(expected["body"]) <= blocks
    assert set(expected["furniture"]) <= blocks
    body = "\n".join(expected["body"])
    assert all(quote["text"] in body for quote in expected["quotes"])
    assert all(figure["text"] in body for figure in expected["figures"])


def test_furniture_recall(scores):
    assert scores["furniture"].recall >= 0.95, scores["furniture"].misses


def test_body_paragraphs_are_never_dropped_or_polluted(scores):
    assert scores["body"].precision >= 0.98, scores["body"].misses
    assert scores["body"].recall >= 0.98, scores["body"].misses


def test_headline(scores):
    assert scores["headline"].recall >= 0.95, scores["headline"].misses


def test_speaker_attribution(scores):
    assert scores["speakers"].recall >= 0.9, scores["speakers"].misses


def test_source_and_figures(scores):
    assert scores["source"].recall >= 0.9, scores["source"].misses
    assert scores["source"].precision >= 0.9, scores["source"].misses
    assert scores["figures"].recall >= 0.9, scores["figures"].misses
    assert scores["figures"].precision >= 0.8, scores["figures"].misses
