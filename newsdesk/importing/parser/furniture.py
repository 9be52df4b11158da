"""Site furniture: the blocks of a scraped page that are not the article.

Most furniture is recognised by what it looks like, in the spirit of jusText:
each block's length, share of stop words (jusText's lists, per language),
sentence shape, share of interface words ("menu", "share", "video"), its place
before, inside or after the run of prose, and whether it repeats across the
files of a batch. A short curated phrase list covers what the features cannot
see (a credit line, "Your browser does not support the video tag.").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import justext

from newsdesk.importing.parser.wordlists import lines, words

# A block matching one of these starts the page's tail (comments, teasers): it
# and everything after it are site furniture.
TERMINAL_RE = re.compile(
    r"^(?:" + "|".join(lines("terminal_patterns")) + r")\s*[:.…]?$", re.IGNORECASE
)
_FURNITURE_RE = re.compile(
    r"^(?:" + "|".join(lines("furniture_patterns")) + r")$", re.IGNORECASE
)
_SYMBOLS_ONLY_RE = re.compile(r"^[\W_]+$")
_WORD_RE = re.compile(r"[^\W\d_][\w’'-]*")
# A sentence ends with a full stop, question or exclamation mark, perhaps
# followed by a closing quotation mark or bracket.
_SENTENCE_END_RE = re.compile(r"[.!?…][”’\"')\]]*$")
_BREADCRUMB_RE = re.compile(r"\s(?:[>»›/|•·]|&gt;)\s")
_UI_WORDS = words("ui_words")
# jusText's stop-word lists by the ISO 639-1 codes the language detector gives.
_STOPLISTS = {
    "ar": "Arabic", "de": "German", "en": "English", "es": "Spanish",
    "fa": "Persian", "fr": "French", "he": "Hebrew", "it": "Italian",
    "nl": "Dutch", "pl": "Polish", "pt": "Portuguese", "ru": "Russian",
    "sv": "Swedish", "tr": "Turkish", "uk": "Ukrainian",
}  # fmt: skip

# A block needs this many words, in sentence shape, to open the article's text.
OPENING_WORDS = 10
# Prose has at least this share of stop words (news prose has 0.35–0.5).
PROSE_STOP_DENSITY = 0.2
# Blocks this short with this share of interface words are interface.
UI_SHORT_WORDS = 15
UI_SHARE_SHORT = 0.3
UI_SHARE_ANY = 0.5
# A block seen in this many files of one batch is the site's, not the article's.
REPEATED_IN_FILES = 3
# A block that uses interface words, speaks to the reader ("you", "our") or is
# made of such words, and shares less than this share of its content words with
# the article's prose is the site talking (a consent banner, a paywall or
# newsletter prompt), however well written. Longer blocks are left alone.
COHESION_MIN = 0.2
ADDRESS_MAX_WORDS = 40
# Words that address the reader or speak for the site, outside quotations.
_ADDRESS_WORDS = {
    "en": frozenset({"you", "your", "yours", "we", "our", "us"}),
}
_QUOTED_RE = re.compile(r"“[^”]*”|\"[^\"]*\"")
# Content words are compared by their first letters, so "intercepts" meets
# "interception" and "subscribe" meets "subscription".
STEM_CHARS = 6


def is_furniture(paragraph: str) -> bool:
    """A block that the curated phrase list calls site furniture wherever it is."""
    return bool(_FURNITURE_RE.match(paragraph) or _SYMBOLS_ONLY_RE.match(paragraph))


@cache
def stop_words(language: str) -> frozenset[str]:
    """jusText's stop words for a language code; empty when it has no list."""
    name = _STOPLISTS.get(language)
    return justext.get_stoplist(name) if name else frozenset()


@dataclass(frozen=True)
class Features:
    """What the classifier knows about one block."""

    words: int
    stop_density: float
    ui_share: float
    sentence: bool
    breadcrumb: bool
    repeated: bool
    # Speaks to the reader or for the site ("you", "our"), outside quotations.
    addresses_reader: bool = False
    # Share of the block's content words found in the page's other prose.
    cohesion: float = 1.0
    # Holds a quotation: someone speaking in the article, not the site.
    quotes: bool = False

    def is_prose(self, *, has_stoplist: bool) -> bool:
        """Written as article text: sentence-shaped, with the grammar words of prose."""
        return (
            self.sentence
            and self.words >= 3
            and self.ui_share < UI_SHARE_SHORT
            and not self.breadcrumb
            and (not has_stoplist or self.stop_density >= PROSE_STOP_DENSITY)
        )

    def opens_article(self, *, has_stoplist: bool) -> bool:
        """Prose long enough to be the article's first paragraph."""
        return self.words >= OPENING_WORDS and self.is_prose(has_stoplist=has_stoplist)

    def interface_reason(self) -> str:
        """Why a block is interface wherever it stands, or ""."""
        if self.breadcrumb and self.words <= UI_SHORT_WORDS and not self.sentence:
            return "navigation path"
        if self.ui_share >= UI_SHARE_ANY or (
            self.ui_share >= UI_SHARE_SHORT and self.words <= UI_SHORT_WORDS
        ):
            return "interface words (menu, sharing, player or sign-up prompt)"
        if self.repeated and not self.sentence:
            return "repeated across the files of this batch"
        if (
            self.words <= ADDRESS_MAX_WORDS
            and not self.quotes
            and self.cohesion < COHESION_MIN
            and self.ui_share > 0
            and (self.addresses_reader or (self.cohesion == 0 and self.ui_share >= 0.1))
        ):
            return "the site speaking to the reader, about nothing in the article"
        return ""


def features(
    paragraph: str,
    stops: frozenset[str],
    repeated: frozenset[str],
    vocabulary: PageVocabulary | None = None,
    language: str = "en",
) -> Features:
    """Measure one block; `vocabulary` is the page's, for the block's cohesion."""
    tokens = [t.lower().strip("’'-") for t in _WORD_RE.findall(paragraph)]
    count = len(tokens) or 1
    address = _ADDRESS_WORDS.get(language, frozenset())
    unquoted = _QUOTED_RE.sub(" ", paragraph)
    return Features(
        words=len(tokens),
        stop_density=sum(t in stops for t in tokens) / count,
        ui_share=sum(t in _UI_WORDS for t in tokens) / count,
        sentence=bool(_SENTENCE_END_RE.search(paragraph)),
        breadcrumb=bool(_BREADCRUMB_RE.search(paragraph)),
        repeated=repeat_key(paragraph) in repeated,
        addresses_reader=bool(
            address and any(t.lower() in address for t in _WORD_RE.findall(unquoted))
        ),
        quotes=unquoted != paragraph,
        cohesion=vocabulary.cohesion(paragraph) if vocabulary else 1.0,
    )


def content_stems(paragraph: str, stops: frozenset[str]) -> set[str]:
    """The block's content words (no stop words, numbers or short words), stemmed."""
    stems = set()
    for token in _WORD_RE.findall(paragraph):
        token = token.lower().strip("’'-")
        if len(token) >= 4 and token.isalpha() and token not in stops:
            stems.add(token[:STEM_CHARS])
    return stems


class PageVocabulary:
    """Which content words the page's prose uses, and in how many blocks."""

    def __init__(self, paragraphs: list[str], stops: frozenset[str]) -> None:
        self.stops = stops
        self.counts: dict[str, int] = {}
        self.prose: dict[str, set[str]] = {}
        self._stems: dict[str, set[str]] = {}
        for paragraph in paragraphs:
            if len(paragraph.split()) >= OPENING_WORDS and _SENTENCE_END_RE.search(
                paragraph
            ):
                stems = self.stems(paragraph)
                self.prose[paragraph] = stems
                for stem in stems:
                    self.counts[stem] = self.counts.get(stem, 0) + 1

    def stems(self, paragraph: str) -> set[str]:
        """`content_stems` of a block, worked out once per page."""
        found = self._stems.get(paragraph)
        if found is None:
            found = self._stems[paragraph] = content_stems(paragraph, self.stops)
        return found

    def cohesion(self, paragraph: str) -> float:
        """Share of the block's content words that the page's other prose uses."""
        stems = self.stems(paragraph)
        if not stems:
            return 1.0
        own = self.prose.get(paragraph, set())
        shared = sum(1 for s in stems if self.counts.get(s, 0) > (s in own))
        return shared / len(stems)

    def overlap(self, line: str, prose: list[str]) -> int:
        """How many content words `line` shares with the given prose blocks."""
        found: set[str] = set()
        for paragraph in prose:
            found |= self.stems(paragraph)
        return len(self.stems(line) & found)


def repeat_key(paragraph: str) -> str:
    """How a block is compared across files: case and spacing ignored."""
    return " ".join(paragraph.casefold().split())


def repeated_blocks(
    texts: list[list[str]], *, min_files: int = REPEATED_IN_FILES
) -> frozenset[str]:
    """Short blocks that occur in at least `min_files` of the given files' blocks."""
    counts: dict[str, int] = {}
    for blocks in texts:
        for key in {repeat_key(b) for b in blocks if len(b) <= 200}:
            counts[key] = counts.get(key, 0) + 1
    return frozenset(key for key, n in counts.items() if n >= min_files)
