"""Parse a scraped plain-text article: body, headline, provenance, links, quotes, figures.

Plain Python with no Django imports, so an admin upload form or the API can
reuse it. Every string it returns is copied from the input (whitespace aside):
the parser removes and classifies, it never writes text of its own. One module
per stage; the word lists they use are data files in `data/`.
"""

from newsdesk.importing.parser.article import (
    FileAnalysis,
    analyse_file,
    parse_bytes,
    parse_text,
)
from newsdesk.importing.parser.language import detect_language
from newsdesk.importing.parser.text import (
    Attribution,
    CandidateFigure,
    ParsedArticle,
    ParsedQuote,
    ParsedRelatedLink,
    ParseError,
    content_hash,
    decode,
    normalise_text,
)

__all__ = [
    "Attribution",
    "CandidateFigure",
    "FileAnalysis",
    "ParseError",
    "ParsedArticle",
    "ParsedQuote",
    "ParsedRelatedLink",
    "content_hash",
    "analyse_file",
    "decode",
    "detect_language",
    "normalise_text",
    "parse_bytes",
    "parse_text",
]
