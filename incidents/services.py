"""Writes to the structured records: figures, candidates and recommendation status."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from incidents.models import (
    CandidateStatus,
    Figure,
    FigureCandidate,
    Incident,
    Recommendation,
    RecommendationStatus,
    RecommendationUpdate,
)
from newsdesk import services as newsdesk_services
from newsdesk.models import Article
from newsdesk.revisions.recording import revision_saved

User = AbstractBaseUser | AnonymousUser


class FigureConflict(ValidationError):
    """Raised when an edit is based on a version someone else has replaced."""


def _require(user: User | None, perm: str, verb: str) -> None:
    if not (user and user.is_active and user.has_perm(perm)):
        raise PermissionDenied(f"You do not have permission to {verb}.")


def article_set_incidents(
    *, article: Article, incidents: Iterable[Incident], user: User | None
) -> None:
    """Set the incidents an article covers, by the article's own edit rule."""
    wanted = {incident.pk: incident for incident in incidents}
    with transaction.atomic():
        newsdesk_services.article_require_editable(article=article, user=user)
        linked = set(article.incidents.values_list("pk", flat=True))
        # From the incident's side, so its history records the change of coverage.
        for incident in Incident.objects.filter(pk__in=linked - wanted.keys()):
            incident.articles.remove(article)
        for pk in wanted.keys() - linked:
            wanted[pk].articles.add(article)
        if linked != wanted.keys():
            revision_saved(article=article, user=user)


def figure_add(*, incident: Incident, user: User | None, **fields: Any) -> Figure:
    """Record one claimed number about `incident`, with its citation."""
    _require(user, "incidents.add_figure", "add figures")
    if fields.get("high") is None and fields.get("low") is not None:
        fields["high"] = fields["low"]
    figure = Figure(incident=incident, **fields)
    figure.full_clean()
    figure.save()
    return figure


# The claim's own fields, in the order forms and the API present them; the
# incident a claim belongs to is fixed once it is recorded.
FIGURE_FIELDS = (
    "metric",
    "group",
    "low",
    "high",
    "qualifier",
    "claimant",
    "article",
    "source",
    "url",
    "reported_on",
    "excerpt",
    "note",
)
FIGURE_EDITABLE_FIELDS = frozenset(FIGURE_FIELDS)


def figure_update(
    *,
    figure: Figure,
    user: User | None,
    data: dict[str, Any],
    expected_version: int | None,
) -> Figure:
    """Correct a recorded claim if nobody changed it since `expected_version`.

    A stale version raises `FigureConflict` and nothing is written.
    """
    _require(user, "incidents.change_figure", "change figures")
    unknown = set(data) - FIGURE_EDITABLE_FIELDS
    if unknown:
        raise ValidationError(
            dict.fromkeys(unknown, "This field cannot be changed here.")
        )
    with transaction.atomic():
        current = Figure.objects.select_for_update().get(pk=figure.pk)
        if expected_version is not None and current.version != expected_version:
            raise FigureConflict(
                f"This figure was changed since version {expected_version} "
                f"(it is now version {current.version}). Nothing was saved.",
                code="version_conflict",
            )
        for name, value in data.items():
            setattr(current, name, value)
        if "low" in data and "high" not in data and current.high < current.low:
            current.high = current.low
        current.version += 1
        current.full_clean()
        current.save()
    return current


def figure_delete(*, figure: Figure, user: User | None) -> None:
    """Remove a recorded claim, e.g. one entered twice."""
    _require(user, "incidents.delete_figure", "delete figures")
    Figure.objects.filter(pk=figure.pk).delete()


def figure_candidate_confirm(
    *, candidate: FigureCandidate, incident: Incident, user: User | None, **fields: Any
) -> Figure:
    """Turn an importer's suggestion into a cited Figure on `incident`."""
    _require(user, "incidents.add_figure", "confirm figures")
    with transaction.atomic():
        candidate = FigureCandidate.objects.select_for_update().get(pk=candidate.pk)
        if candidate.status != CandidateStatus.PENDING:
            raise ValidationError(
                "This suggestion has already been handled.", code="handled"
            )
        values = {
            "metric": candidate.metric or fields.pop("metric", None),
            "low": candidate.low,
            "high": candidate.high,
            "qualifier": candidate.qualifier,
            "article": candidate.article,
            "excerpt": candidate.sentence or candidate.text,
            **fields,
        }
        if not values.get("metric"):
            raise ValidationError({"metric": "Choose what the number counts."})
        figure = figure_add(incident=incident, user=user, **values)
        candidate.status = CandidateStatus.CONFIRMED
        candidate.figure = figure
        candidate.save(update_fields=["status", "figure"])
    return figure


def figure_candidate_dismiss(*, candidate: FigureCandidate, user: User | None) -> None:
    """Mark an importer's suggestion as not a figure worth keeping."""
    _require(user, "incidents.change_figurecandidate", "dismiss suggestions")
    FigureCandidate.objects.filter(
        pk=candidate.pk, status=CandidateStatus.PENDING
    ).update(status=CandidateStatus.DISMISSED)


def recommendation_create(
    *, user: User | None, changed_on: datetime.date | None = None, **fields: Any
) -> Recommendation:
    """Record a recommendation with its first status entry, "proposed"."""
    _require(user, "incidents.add_recommendation", "add recommendations")
    with transaction.atomic():
        recommendation = Recommendation(**fields)
        recommendation.status = RecommendationStatus.PROPOSED
        recommendation.status_changed_on = changed_on or timezone.localdate()
        recommendation.full_clean()
        recommendation.save()
        RecommendationUpdate.objects.create(
            recommendation=recommendation,
            status=RecommendationStatus.PROPOSED,
            changed_on=recommendation.status_changed_on,
            evidence_article=recommendation.made_in,
            created_by=user if getattr(user, "pk", None) else None,
        )
    return recommendation


# A recommendation's own fields, in the order forms and the API present them;
# its status changes only with a dated entry (recommendation_set_status).
RECOMMENDATION_FIELDS = (
    "action",
    "statement",
    "addressed_to_countries",
    "addressed_to_group",
    "recommended_by_person",
    "recommended_by_source",
    "made_in",
    "incident",
)
RECOMMENDATION_EDITABLE_FIELDS = frozenset(RECOMMENDATION_FIELDS)


def recommendation_update(
    *, recommendation: Recommendation, user: User | None, data: dict[str, Any]
) -> Recommendation:
    """Correct what a recommendation says, who made it and to whom."""
    _require(user, "incidents.change_recommendation", "change recommendations")
    unknown = set(data) - RECOMMENDATION_EDITABLE_FIELDS
    if unknown:
        raise ValidationError(
            dict.fromkeys(unknown, "This field cannot be changed here.")
        )
    with transaction.atomic():
        current = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        for name, value in data.items():
            setattr(current, name, value)
        current.full_clean()
        current.save()
    return current


def recommendation_set_status(
    *,
    recommendation: Recommendation,
    status: str,
    user: User | None,
    changed_on: datetime.date | None = None,
    note: str = "",
    evidence_article: Article | None = None,
    evidence_url: str = "",
) -> RecommendationUpdate:
    """Change a recommendation's status, keeping a dated entry with its evidence."""
    _require(user, "incidents.change_recommendation", "change recommendations")
    if status not in RecommendationStatus.values:
        raise ValidationError({"status": f"“{status}” is not a recommendation status."})
    if not (evidence_article or evidence_url or note.strip()):
        raise ValidationError(
            {
                "evidence_url": "Give the evidence for the change: an article, a link or a note."
            }
        )
    changed_on = changed_on or timezone.localdate()
    with transaction.atomic():
        current = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        if current.status == status:
            raise ValidationError(
                {
                    "status": f"The recommendation is already {current.get_status_display().lower()}."
                }
            )
        update = RecommendationUpdate(
            recommendation=current,
            status=status,
            changed_on=changed_on,
            note=note.strip(),
            evidence_article=evidence_article,
            evidence_url=evidence_url,
            created_by=user if getattr(user, "pk", None) else None,
        )
        update.full_clean()
        try:
            with transaction.atomic():
                update.save()
        except IntegrityError as exc:
            raise ValidationError(
                "This status change is already recorded for that date.",
                code="duplicate",
            ) from exc
        latest = current.updates.order_by("-changed_on", "-id").first()
        current.status = latest.status
        current.status_changed_on = latest.changed_on
        current.save(update_fields=["status", "status_changed_on", "updated_at"])
    recommendation.status = current.status
    recommendation.status_changed_on = current.status_changed_on
    return update
