"""Candidate figures of imported articles, written with the importer's batches."""

from __future__ import annotations

from incidents.models import CandidateStatus, FigureCandidate
from newsdesk.extensions import ImportPart
from newsdesk.importing.parser import ParsedArticle
from newsdesk.models import Article


class FigureCandidates(ImportPart):
    """Each figure the parser found becomes a pending candidate for an editor."""

    def rows(self, *, article: Article, parsed: ParsedArticle) -> list[FigureCandidate]:
        return [
            FigureCandidate(
                article=article,
                text=figure.text,
                sentence=figure.sentence,
                low=figure.low,
                high=figure.high,
                qualifier=figure.qualifier,
                unit=figure.unit,
                metric=figure.metric,
                position=position,
            )
            for position, figure in enumerate(parsed.figures)
        ]

    def replace(self, *, article: Article) -> None:
        # Confirmed and dismissed candidates are an editor's decisions: they stay.
        article.figure_candidates.filter(status=CandidateStatus.PENDING).delete()

    def insert(self, rows: list[FigureCandidate]) -> None:
        FigureCandidate.objects.bulk_create(rows)


figure_candidates = FigureCandidates()
