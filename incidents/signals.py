"""Which cache tags each structured-data write affects (wired from `AppConfig.ready`).

Incidents, actors, places, figures and recommendations declare their tags
when a public answer loads them; their writes purge those tags through
`newsdesk.http`, and an article's listings gain the incidents it covers.
"""

from __future__ import annotations

from incidents.models import (
    Actor,
    ActorAlias,
    Figure,
    Incident,
    IncidentActor,
    Place,
    Recommendation,
    RecommendationUpdate,
)
from newsdesk import signals as editorial
from newsdesk.http import tags
from newsdesk.http.watch import watch, watch_links


def incident_tag(incident_id: int) -> str:
    return tags.entity("incident", incident_id)


def _article_incidents(article) -> set[str]:
    """An article is listed on the pages and feeds of the public incidents it covers.

    Only published incidents: these tags go out in public answers' headers, and
    a draft's slug must not. An incident going public purges its articles.
    """
    if article.pk is None:
        return set()
    return {
        tags.listing("incident", slug)
        for slug in Incident.objects.published()
        .filter(articles=article)
        .values_list("slug", flat=True)
    }


def _incident_affects(incident: Incident, before: Incident | None) -> set[str]:
    affected = {incident_tag(incident.pk), "list:incidents"}
    if (
        before is None
        or before.status != incident.status
        or before.slug != incident.slug
    ):
        # Its box appears on (or leaves) the pages of the articles it covers.
        affected.add(tags.listing("incident", incident.slug))
        if incident.pk is not None:
            affected.update(
                editorial.article_tag(pk)
                for pk in incident.articles.values_list("pk", flat=True)
            )
    return affected


def _incident_links_affect(instance, action, reverse, pk_set) -> set[str]:
    if reverse:  # instance is an article, pk_set incidents
        affected = {editorial.article_tag(instance.pk)}
        for pk, slug in Incident.objects.filter(pk__in=pk_set).values_list(
            "pk", "slug"
        ):
            affected |= {incident_tag(pk), tags.listing("incident", slug)}
        return affected
    affected = {incident_tag(instance.pk), tags.listing("incident", instance.slug)}
    affected.update(editorial.article_tag(pk) for pk in pk_set)
    return affected


def _owned_by_incident(row, before=None) -> set[str]:
    return {incident_tag(row.incident_id)}


def _figure_affects(row: Figure, before=None) -> set[str]:
    return {
        incident_tag(row.incident_id),
        tags.entity("figure", row.pk),
        "list:figures",
    }


def _recommendation_affects(row: Recommendation, before=None) -> set[str]:
    affected = {tags.entity("recommendation", row.pk), "list:recommendations"}
    for current in (row, before):
        if current is None:
            continue
        if current.made_in_id:
            affected.add(editorial.article_tag(current.made_in_id))
        if current.incident_id:
            affected.add(incident_tag(current.incident_id))
    return affected


def _update_affects(row: RecommendationUpdate, before=None) -> set[str]:
    return {
        tags.entity("recommendation", row.recommendation_id),
        "list:recommendations",
    }


def _actor_affects(row: Actor, before=None) -> set[str]:
    return {tags.entity("actor", row.pk), "list:actors"}


def _alias_affects(row: ActorAlias, before=None) -> set[str]:
    return {tags.entity("actor", row.actor_id), "list:actors"}


def _place_affects(row: Place, before=None) -> set[str]:
    return {tags.entity("place", row.pk), "list:places"}


def connect() -> None:
    """Register the models' tags and watch their writes (idempotent)."""
    pk = tags.loaded_field("id")
    tags.register_model(Incident, "incident", pk, collection="list:incidents")
    tags.register_model(Actor, "actor", pk, collection="list:actors")
    tags.register_model(Place, "place", pk, collection="list:places")
    tags.register_model(Figure, "figure", pk, collection="list:figures")
    tags.register_model(
        Recommendation, "recommendation", pk, collection="list:recommendations"
    )
    editorial.article_collections.register(_article_incidents)
    watch(Incident, _incident_affects, previous=True)
    watch_links(Incident.articles.through, _incident_links_affect)
    watch(IncidentActor, _owned_by_incident)
    watch(Figure, _figure_affects)
    watch(Recommendation, _recommendation_affects, previous=True)
    watch(RecommendationUpdate, _update_affects)
    watch(Actor, _actor_affects)
    watch(ActorAlias, _alias_affects)
    watch(Place, _place_affects)
