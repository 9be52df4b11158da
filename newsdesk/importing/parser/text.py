"""The text model: what a parse returns, and decoding, normalising and splitting text."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from newsdesk.importing.parser.wordlists import lines


class ParseError(ValueError):
    """A file that cannot become an article; `reason` says why, for the report."""

    def __init__(self, reason: str, code: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


@dataclass(frozen=True)
class Attribution:
    """Who originally published the piece, from a line such as "Source: …"."""

    name: str
    domain: str = ""
    url: str = ""
    line: str = ""
    kept_in_body: bool = False


@dataclass(frozen=True)
class ParsedRelatedLink:
    """A "Read also" line: the linked headline, and whose blog it is from if said."""

    title: str
    url: str = ""
    via: str = ""
    line: str = ""


@dataclass(frozen=True)
class ParsedQuote:
    """Words in quotation marks attributed to a speaker."""

    text: str
    speaker: str = ""
    is_person: bool = True
    affiliation: str = ""
    title: str = ""
    attribution: str = ""
    paragraph: int = 0


@dataclass(frozen=True)
class CandidateFigure:
    """A number with what it counts, for an editor to confirm as a Figure."""

    text: str
    sentence: str
    low: int
    high: int
    qualifier: str = "exact"
    unit: str = ""
    metric: str = ""


@dataclass(frozen=True)
class ParsedArticle:
    headline: str
    headline_is_provisional: bool
    paragraphs: tuple[str, ...]
    content_hash: str
    attribution: Attribution | None = None
    related_links: tuple[ParsedRelatedLink, ...] = ()
    quotes: tuple[ParsedQuote, ...] = ()
    figures: tuple[CandidateFigure, ...] = ()
    bylines: tuple[str, ...] = ()
    removed: tuple[str, ...] = field(default=(), repr=False)

    @property
    def body(self) -> str:
        """The article text as Markdown: its paragraphs separated by blank lines."""
        return "\n\n".join(self.paragraphs)


# --- Decoding and normalising -----------------------------------------------


def decode(data: bytes) -> str:
    """Return the text of a file, or raise ParseError for binary or non-UTF-8 data."""
    if not data or not data.strip():
        raise ParseError("The file is empty.", "empty")
    if b"\x00" in data:
        raise ParseError(
            "The file is binary (it contains NUL bytes), not text.", "binary"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(
            f"The file is not UTF-8 text (invalid byte at position {exc.start}).",
            "not_utf8",
        ) from exc
    controls = len(_CONTROL_RE.findall(text))
    if controls > max(8, len(text) // 20):
        raise ParseError(
            "The file is binary (too many control characters), not text.", "binary"
        )
    return text


# Control characters (Unicode category Cc) other than tab and line breaks.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


_SPACE_RE = re.compile(r"[^\S\n]+")


def normalise_text(text: str) -> str:
    """NFC, Unix newlines, single spaces, no trailing blanks: what the hash covers."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_RE.sub(" ", text).replace("\v", "\n").replace("\f", "\n")
    lines = [_SPACE_RE.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def content_hash(text: str) -> str:
    """sha256 of the normalised text: the same article always hashes the same."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


_TERMINAL_PUNCT = tuple('.!?:;"”’)]…*')


def split_paragraphs(text: str) -> list[str]:
    """Blank lines separate blocks; inside a block each line is a paragraph
    unless it was hard-wrapped (the next line starts in lower case)."""
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        current = ""
        for line in lines:
            if current and not current.endswith(_TERMINAL_PUNCT) and line[:1].islower():
                current = f"{current} {line}"
            else:
                if current:
                    paragraphs.append(current)
                current = line
        if current:
            paragraphs.append(current)
    return paragraphs


# Words whose full stop does not end a sentence ("Gen.", "U.S.").
_ABBREVIATIONS = "".join(
    rf"(?<!\b{abbreviation}\.)" for abbreviation in lines("abbreviations")
)
_SENTENCE_END_RE = re.compile(
    r"(?<=[.!?])" + _ABBREVIATIONS + r"[”\"’)]?\s+(?=[“\"‘(]?[A-Z0-9])"
)


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of a paragraph (a simple rule that is right for news prose)."""
    sentences, start = [], 0
    for match in _SENTENCE_END_RE.finditer(paragraph):
        end = match.start() + len(match.group(0).rstrip())
        sentences.append(paragraph[start:end].strip())
        start = match.end()
    sentences.append(paragraph[start:].strip())
    return [s for s in sentences if s]
