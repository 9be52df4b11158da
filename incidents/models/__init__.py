"""Structured records: actors, places, incidents, claimed figures, recommendations."""

from incidents.models.actors_places import (
    Actor,
    ActorAlias,
    ActorKind,
    ActorQuerySet,
    GeoPrecision,
    Place,
    PlaceKind,
)
from incidents.models.figures import (
    CandidateStatus,
    Figure,
    FigureCandidate,
    FigureGroup,
    FigureQuerySet,
    Metric,
    Qualifier,
)
from incidents.models.incidents import (
    ActorRole,
    DatePrecision,
    Incident,
    IncidentActor,
    IncidentKind,
    IncidentQuerySet,
    IncidentStatus,
    Verification,
    published_incident,
)
from incidents.models.recommendations import (
    Recommendation,
    RecommendationAction,
    RecommendationQuerySet,
    RecommendationStatus,
    RecommendationUpdate,
)

__all__ = [
    "ActorKind",
    "ActorQuerySet",
    "Actor",
    "ActorAlias",
    "PlaceKind",
    "GeoPrecision",
    "Place",
    "IncidentKind",
    "DatePrecision",
    "Verification",
    "IncidentStatus",
    "IncidentQuerySet",
    "Incident",
    "published_incident",
    "ActorRole",
    "IncidentActor",
    "Metric",
    "FigureGroup",
    "Qualifier",
    "FigureQuerySet",
    "Figure",
    "CandidateStatus",
    "FigureCandidate",
    "RecommendationAction",
    "RecommendationStatus",
    "RecommendationQuerySet",
    "Recommendation",
    "RecommendationUpdate",
]
