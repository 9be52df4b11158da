"""Site-search scenarios: every kind ranked together, a corrected typo, one facet."""

from __future__ import annotations

LABELS = {
    "site_search_api": "Site search API, every kind ranked together",
    "site_search_fresh": "Site search page, every kind, searched every time",
    "site_search_typo_fresh": "Site search, misspelt word corrected, searched every time",
    "site_search_facet_fresh": "Site search, incidents facet, searched every time",
}


def candidates(term: str, fresh: str) -> dict[str, list[str]]:
    """URLs of the site-search scenarios for `term` (misspelt by dropping a letter)."""
    typo = term[:-2] + term[-1] if len(term) > 3 else term
    return {
        "site_search_api": [f"/api/v1/search/?q={term}"],
        "site_search_fresh": [f"/search/?q={term}&{fresh}"],
        "site_search_typo_fresh": [f"/search/?q={typo}&{fresh}"],
        "site_search_facet_fresh": [f"/search/?q={term}&type=incident&{fresh}"],
    }


# Also measured one connection at a time: a reader's own wait, with no queue.
SINGLE_CONNECTION = (
    "search_page",
    "search_api",
    "search_page_fresh",
    "search_api_fresh",
    "site_search_api",
    "site_search_fresh",
    "site_search_typo_fresh",
    "site_search_facet_fresh",
)
