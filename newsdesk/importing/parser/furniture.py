"""Site furniture: the blocks of a scraped page that are not the article."""

from __future__ import annotations

import re

from newsdesk.importing.parser.wordlists import lines

# A block matching one of these starts the page's tail (comments, teasers): it
# and everything after it are site furniture.
TERMINAL_RE = re.compile(
    r"^(?:" + "|".join(lines("terminal_patterns")) + r")\s*[:.…]?$", re.IGNORECASE
)
_FURNITURE_RE = re.compile(
    r"^(?:" + "|".join(lines("furniture_patterns")) + r")$", re.IGNORECASE
)
_SYMBOLS_ONLY_RE = re.compile(r"^[\W_]+$")


def is_furniture(paragraph: str) -> bool:
    """A block that is site furniture wherever it appears."""
    return bool(_FURNITURE_RE.match(paragraph) or _SYMBOLS_ONLY_RE.match(paragraph))
