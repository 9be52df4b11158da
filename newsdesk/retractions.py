"""What a retraction changes: the rows elsewhere that cite the article, counted.

Other apps add their own counters to `citation_counters` (incidents counts its
figures and recommendations), so newsdesk never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from newsdesk.extensions import Registry
from newsdesk.models import Article, Correction, Quote, RelatedLink


class CitationCount(NamedTuple):
    """How many rows of one kind cite the article, and what retracting does to them."""

    singular: str
    plural: str
    count: int
    consequence: str

    @property
    def label(self) -> str:
        return self.singular if self.count == 1 else self.plural


citation_counters: Registry[Callable[[Article], list[CitationCount]]] = Registry(
    "citation_counters"
)


def _editorial_citations(article: Article) -> list[CitationCount]:
    links = RelatedLink.objects.filter(target=article).count()
    quotes = Quote.objects.filter(article=article).count()
    corrections = Correction.objects.filter(article=article).count()
    return [
        CitationCount(
            "“Read also” link from another article",
            "“Read also” links from other articles",
            links,
            "they disappear from those articles",
        ),
        CitationCount(
            "quote",
            "quotes",
            quotes,
            "they stay on the quoted people's pages, marked “source retracted”",
        ),
        CitationCount(
            "correction",
            "corrections",
            corrections,
            "they stay listed under the retraction notice and in the corrections feed",
        ),
    ]


citation_counters.register(_editorial_citations)


def retraction_impact(article: Article) -> list[CitationCount]:
    """Every kind of row citing `article`, with its count, for the retract page."""
    return [row for counter in citation_counters for row in counter(article)]


def corrections_and_retractions(limit: int) -> list[Correction | Article]:
    """The newest corrections and retractions readers were shown, newest first."""
    # Read apart: one query with either condition hashes every published id
    # on PostgreSQL (`CorrectionQuerySet.announced`).
    corrections = [
        *Correction.objects.public().select_related("article")[:limit],
        *Correction.objects.on_retracted().select_related("article")[:limit],
    ]
    corrections.sort(key=lambda c: (c.published_at, c.pk), reverse=True)
    # Retractions are sorted, not read by an index: leave the bodies out of the
    # sort (on SQLite it copied every retracted article's body).
    retractions = (
        Article.objects.retracted_after_publishing()
        .defer("body", "body_html")
        .order_by("-retracted_at", "-id")[:limit]
    )
    entries: list[Correction | Article] = [*corrections, *retractions]
    entries.sort(key=announced_at, reverse=True)
    return entries[:limit]


def announced_at(entry: Correction | Article):
    """When a correction or a retraction was made public."""
    return entry.retracted_at if isinstance(entry, Article) else entry.published_at
