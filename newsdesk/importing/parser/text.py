"""The text model: what a parse returns, and decoding, normalising and splitting text."""

from __future__ import annotations

import codecs
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
class Removed:
    """A block left out of the body, and why, so an editor can put it back."""

    text: str
    reason: str


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
    removed: tuple[Removed, ...] = field(default=(), repr=False)
    # Cuts made to fit the limits, for the import report.
    warnings: tuple[str, ...] = ()
    # BCP 47, detected on the page's prose.
    language: str = ""
    # When the original was published, as the page or wire item says.
    published: str = ""

    @property
    def body(self) -> str:
        """The article text as Markdown: its paragraphs separated by blank lines."""
        return "\n\n".join(self.paragraphs)


# --- Decoding and normalising -----------------------------------------------


# Byte-order marks, UTF-32 before UTF-16 (the UTF-32-LE mark begins with UTF-16-LE's).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)


def decode(data: bytes) -> str:
    """Return the text of a file, or raise ParseError for binary or undecodable data.

    UTF-8 is the default; UTF-16 and UTF-32 are read when a byte-order mark says
    so, and UTF-16 without one when every other byte is NUL as in Latin text.
    """
    if not data or not data.strip():
        raise ParseError("The file is empty.", "empty")
    encoding, label, body = _encoding_of(data)
    if label == "UTF-8" and b"\x00" in body:
        raise ParseError(
            "The file is binary (it contains NUL bytes), not text.", "binary"
        )
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ParseError(
            f"The file is not {label} text (invalid byte at position {exc.start}).",
            "not_utf8" if label == "UTF-8" else "bad_encoding",
        ) from exc
    if not text.strip():
        raise ParseError("The file is empty.", "empty")
    if "\x00" in text:
        raise ParseError(
            "The file is binary (it contains NUL bytes), not text.", "binary"
        )
    controls = len(_CONTROL_RE.findall(text))
    if controls > max(8, len(text) // 20):
        raise ParseError(
            "The file is binary (too many control characters), not text.", "binary"
        )
    return text


def _encoding_of(data: bytes) -> tuple[str, str, bytes]:
    """The codec, its name for a reader, and the bytes after any byte-order mark."""
    for bom, encoding, label in _BOMS:
        if data.startswith(bom):
            return encoding, label, data[len(bom) :]
    if len(data) >= 4 and len(data) % 2 == 0 and b"\x00" in data[:2]:
        # Mark-less UTF-16 of mostly ASCII text: NULs on one side of every pair.
        sample = data[:4096]
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        pairs = len(sample) // 2
        if odd >= pairs * 0.6 and even == 0:
            return "utf-16-le", "UTF-16", data
        if even >= pairs * 0.6 and odd == 0:
            return "utf-16-be", "UTF-16", data
    return "utf-8", "UTF-8", data


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
