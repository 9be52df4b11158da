"""The incidents an article covers, as a part of the article's revisions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from incidents.models import Incident
from newsdesk.extensions import RevisionPart
from newsdesk.models import Article
from newsdesk.revisions.snapshot import ref, ref_id


class IncidentsCovered(RevisionPart):
    """ "incidents": ``[{"id", "label"}]`` in title order."""

    key = "incidents"

    def snapshot(self, article: Article) -> list[dict[str, Any]]:
        incidents = Incident.objects.filter(articles=article).only("id", "title")
        return incident_refs(incidents)

    def snapshots(self, articles: list[Article]) -> dict[int, Any]:
        links = Incident.articles.through.objects.filter(
            article_id__in=[a.pk for a in articles]
        ).select_related("incident")
        covered: dict[int, list[Incident]] = {a.pk: [] for a in articles}
        for link in links.only("article_id", "incident__id", "incident__title"):
            covered[link.article_id].append(link.incident)
        return {pk: incident_refs(incidents) for pk, incidents in covered.items()}

    def apply(self, *, article: Article, value: Any, user: Any) -> None:
        from incidents import services

        ids = [ref_id(item) for item in value or ()]
        found = Incident.objects.in_bulk(ids)
        missing = [pk for pk in ids if pk not in found]
        if missing:
            raise ValidationError(
                f"This revision names an incident that no longer exists (id {missing[0]}).",
                code="missing_reference",
            )
        services.article_set_incidents(
            article=article, incidents=[found[pk] for pk in ids], user=user
        )

    def preview(self, article: Article, value: Any) -> None:
        from incidents.selectors import incidents_for_article_page

        ids = [ref_id(item) for item in value or ()]
        found = incidents_for_article_page().in_bulk(ids)
        article.public_incidents = [found[pk] for pk in ids if pk in found]


def incident_refs(incidents) -> list[dict[str, Any]]:
    return [ref(i) for i in sorted(incidents, key=lambda i: (i.title, i.pk))]


incidents_covered = IncidentsCovered()
