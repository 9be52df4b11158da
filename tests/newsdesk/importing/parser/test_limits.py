"""Size limits: an oversized file is refused, long headlines and paragraphs are cut
at a word boundary, extra candidate figures are dropped, each naming its setting."""

from __future__ import annotations

import pytest

from newsdesk.importing.parser import ParseError, analyse_file, parse_bytes, parse_text
from newsdesk.importing.parser.limits import ImportLimits, cut_at_word

SMALL = ImportLimits(
    max_file_bytes=2_000, max_headline_chars=40, max_paragraph_chars=120, max_figures=3
)
OPENING = "Fighters stormed the prison on Thursday night, officials said."


def test_a_file_over_the_size_limit_is_refused_with_the_setting_named(tmp_path):
    data = (OPENING + "\n\n") * 200
    with pytest.raises(ParseError) as caught:
        parse_bytes(data.encode(), limits=SMALL)
    assert caught.value.code == "too_large"
    assert "NEWSDESK_IMPORT_MAX_FILE_BYTES" in caught.value.reason
    assert "2 KB" in caught.value.reason

    path = tmp_path / "big.txt"
    path.write_text(data)
    analysis = analyse_file(str(path), SMALL)
    assert analysis.article is None
    assert "over the import limit" in analysis.error


def test_the_default_limit_is_two_megabytes():
    paragraph = "word " * 2_000 + "end.\n\n"
    data = (paragraph * 220).encode()
    assert len(data) > 2 * 1024 * 1024
    with pytest.raises(ParseError) as caught:
        parse_bytes(data)
    assert caught.value.code == "too_large"
    assert len(parse_bytes(data[: 1024 * 1024]).paragraphs) > 90


def test_a_long_paragraph_is_cut_at_a_word_boundary_with_a_warning():
    long = " ".join(["The convoy moved north through the valley"] * 10) + "."
    parsed = parse_text(f"{OPENING}\n\n{long}", limits=SMALL)
    cut = parsed.paragraphs[1]
    assert len(cut) <= 120
    assert long.startswith(cut)
    assert long[len(cut)] == " "
    assert len(parsed.warnings) == 1
    assert "Paragraph 2" in parsed.warnings[0]
    assert "NEWSDESK_IMPORT_MAX_PARAGRAPH_CHARS" in parsed.warnings[0]


def test_a_long_headline_is_cut_at_a_word_boundary_with_a_warning():
    headline = "Prison attack " + "and its aftermath " * 300
    parsed = parse_text(f"# {headline}\n\n{OPENING}\n\nMore text follows here.")
    assert not parsed.headline_is_provisional
    assert len(parsed.headline) <= 300
    assert headline.startswith(parsed.headline)
    assert headline[len(parsed.headline)] == " "
    assert "NEWSDESK_IMPORT_MAX_HEADLINE_CHARS" in parsed.warnings[0]


def test_candidate_figures_beyond_the_limit_are_dropped_with_a_warning():
    text = (
        OPENING + "\n\n" + "\n\n".join(f"{n} people were hurt." for n in range(2, 12))
    )
    parsed = parse_text(text, limits=SMALL)
    assert [f.low for f in parsed.figures] == [2, 3, 4]
    assert "10 candidate figures" in parsed.warnings[0]
    assert "NEWSDESK_IMPORT_MAX_FIGURES" in parsed.warnings[0]
    assert not parse_text(text).warnings


@pytest.mark.parametrize(
    ("text", "limit", "cut"),
    [
        ("short", 10, "short"),
        ("one two three", 9, "one two"),
        ("one two, three", 9, "one two"),
        ("unbroken-long-word", 8, "unbroken"),
    ],
)
def test_cut_at_word(text, limit, cut):
    assert cut_at_word(text, limit) == cut
