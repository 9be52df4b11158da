"""The structured records citing an article, counted for its retract confirmation."""

from __future__ import annotations

from incidents.models import Figure, Recommendation
from newsdesk.models import Article
from newsdesk.retractions import CitationCount


def incident_citations(article: Article) -> list[CitationCount]:
    """Figures and recommendations citing `article`, and how retraction shows them."""
    figures = Figure.objects.filter(article=article)
    alone = figures.filter(source__isnull=True, url="").count()
    recommendations = Recommendation.objects.filter(made_in=article).count()
    return [
        CitationCount(
            "figure",
            "figures",
            figures.count(),
            "they stay on incident pages marked “source retracted”; "
            f"{alone} cite only this article and leave the reconciled ranges",
        ),
        CitationCount(
            "recommendation",
            "recommendations",
            recommendations,
            "they stay on the tracker and incident pages marked “source retracted”",
        ),
    ]
