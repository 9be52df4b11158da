"""The incident boxes, figures and recommendations an article's page shows."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from incidents.models import Figure, Incident, Recommendation
from incidents.selectors import (
    figure_ranges,
    incidents_for_article_page,
    public_figure_claims,
    recommendations_for_article_page,
)
from newsdesk.extensions import ArticleSection
from newsdesk.models import Article, ArticleQuerySet
from newsdesk.selectors import shared_link_rows

# A shared incident weighs three shared topics in the related ranking.
RELATED_INCIDENT_WEIGHT = 3


class IncidentSection(ArticleSection):
    template_name = "incidents/includes/article_section.html"
    kinds = ("incident",)

    def prefetches(self) -> list[Prefetch]:
        return [
            Prefetch(
                "incidents",
                queryset=incidents_for_article_page(),
                to_attr="public_incidents",
            ),
            Prefetch(
                "recommendations",
                queryset=recommendations_for_article_page(),
                to_attr="public_recommendations",
            ),
        ]

    def prepare(self, articles: list[Article]) -> None:
        incidents = [i for article in articles for i in article.public_incidents]
        claims = public_figure_claims(incident_ids=[i.pk for i in incidents])
        for incident in incidents:
            incident.figure_claims = claims.get(incident.pk, [])
            incident.figure_ranges = figure_ranges(figures=incident.figure_claims)

    def related_rows(
        self, *, article: Article, candidates: ArticleQuerySet
    ) -> QuerySet | None:
        ids = [incident.pk for incident in article.public_incidents]
        if not ids:
            return None
        return shared_link_rows(
            Incident.articles.through,
            "incident_id",
            ids,
            candidates.filter(incidents__in=ids),
            RELATED_INCIDENT_WEIGHT,
        )

    def references(self, article: Article) -> dict[str, set[int]]:
        linked = (
            Incident.articles.through.objects.filter(article=article)
            .order_by()
            .values_list("incident_id", flat=True)
        )
        recommended = (
            Recommendation.objects.filter(made_in=article, incident__isnull=False)
            .order_by()
            .values_list("incident_id", flat=True)
        )
        # A figure counts when its incident and its citing article are both
        # visible; the incidents shown decide which citing articles matter.
        cited = set(
            Figure.objects.filter(
                incident__in=[i.pk for i in article.public_incidents],
                article__isnull=False,
            )
            .order_by()
            .values_list("article_id", flat=True)
        )
        return {"incident": set(linked.union(recommended)), "article": cited}

    def shown(self, article: Article) -> dict[str, set[int]]:
        incidents = {incident.pk for incident in article.public_incidents} | {
            r.incident_id for r in article.public_recommendations if r.incident_id
        }
        cited = {
            figure.article_id
            for incident in article.public_incidents
            for figure in incident.figure_claims
            if figure.article_id and not figure.citation_retracted
        }
        return {"incident": incidents, "article": cited}

    def visible_rows(self, kind: str, ids: set[int] | QuerySet) -> QuerySet | None:
        if kind != "incident":
            return None
        return Incident.objects.published().filter(pk__in=ids)


incident_section = IncidentSection()
