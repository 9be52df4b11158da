"""Recommendations addressed to actors and their status updates."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    OuterRef,
    Prefetch,
    Q,
)
from django.urls import reverse
from django.utils import timezone
from django_countries.fields import CountryField

from incidents.models.incidents import Incident, no_unpublished_incident
from newsdesk.models import (
    Article,
    Person,
    Source,
    TimeStampedModel,
    published_article,
    retracted_article,
)
from newsdesk.models.history import ChangedOnlyHistoricalRecords


class RecommendationAction(models.TextChoices):
    REPATRIATE = "repatriate", "Repatriate"
    REHABILITATE = "rehabilitate", "Rehabilitate"
    REINTEGRATE = "reintegrate", "Reintegrate"
    PROSECUTE = "prosecute", "Prosecute"
    SECURE_DETENTION = "secure_detention", "Secure detention"
    OTHER = "other", "Other"


class RecommendationStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ACCEPTED = "accepted", "Accepted"
    IN_PROGRESS = "in_progress", "In progress"
    IMPLEMENTED = "implemented", "Implemented"
    REJECTED = "rejected", "Rejected"


class RecommendationQuerySet(models.QuerySet):
    def public(self, moment: datetime.datetime | None = None) -> RecommendationQuerySet:
        """Recommendations whose article and incident, when set, are public.

        `moment` (default now) is the publish-time gate's, for prepared reads."""
        return self.filter(
            Q(made_in__isnull=True) | published_article(OuterRef("made_in"), moment),
            no_unpublished_incident(OuterRef("incident")),
        )

    def public_parts(
        self, moment: datetime.datetime | None = None
    ) -> tuple[RecommendationQuerySet, RecommendationQuerySet]:
        """`public()` as two disjoint querysets: made in no article, and made in a
        published one. Each reads a few rows walked in order; the two conditions
        or-ed together make PostgreSQL hash the id of every published article.
        `moment` (default now) is the publish-time gate's, for prepared reads."""
        public_incident = no_unpublished_incident(OuterRef("incident"))
        return (
            self.filter(public_incident, made_in__isnull=True),
            self.filter(
                public_incident, published_article(OuterRef("made_in"), moment)
            ),
        )

    def on_record(self) -> RecommendationQuerySet:
        """Public recommendations plus those made in an article retracted after
        publishing; `citation_retracted` marks the latter for readers."""
        return self.filter(
            Q(made_in__isnull=True)
            | published_article(OuterRef("made_in"))
            | retracted_article(OuterRef("made_in")),
            no_unpublished_incident(OuterRef("incident")),
        ).annotate(citation_retracted=retracted_article(OuterRef("made_in")))

    def with_public_associations(self) -> RecommendationQuerySet:
        """Fetch recommender, article, incident and history; prevents N+1 queries."""
        return self.select_related(
            "recommended_by_person", "recommended_by_source", "made_in", "incident"
        ).prefetch_related(
            Prefetch(
                "updates",
                queryset=RecommendationUpdate.objects.select_related(
                    "evidence_article"
                ).annotate(
                    evidence_public=published_article(OuterRef("evidence_article"))
                ),
            )
        )


class Recommendation(TimeStampedModel):
    action = models.CharField(max_length=20, choices=RecommendationAction.choices)
    statement = models.TextField(
        help_text="What is recommended, close to the source's words."
    )
    addressed_to_countries = CountryField(
        multiple=True,
        blank=True,
        help_text="Countries the recommendation is addressed to.",
    )
    addressed_to_group = models.CharField(
        max_length=200, blank=True, help_text="Or a group, e.g. “countries of origin”."
    )
    recommended_by_person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    recommended_by_source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    made_in = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
        help_text="The article in which the recommendation is made.",
    )
    incident = models.ForeignKey(
        Incident,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
    )
    status = models.CharField(
        max_length=20,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.PROPOSED,
        editable=False,
        help_text="Changed by adding a status update, so that history is kept.",
    )
    status_changed_on = models.DateField(default=timezone.localdate, editable=False)

    objects = RecommendationQuerySet.as_manager()
    history = ChangedOnlyHistoricalRecords()

    class Meta:
        ordering = ("action", "id")
        indexes = (
            models.Index(fields=("action", "status"), name="recommendation_action_idx"),
        )
        constraints = (
            models.CheckConstraint(
                condition=~Q(addressed_to_countries="") | ~Q(addressed_to_group=""),
                name="recommendation_has_addressee",
            ),
        )

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.statement[:80]}"

    def get_absolute_url(self) -> str:
        return (
            reverse("incidents:recommendation_tracker")
            + f"?id={self.pk}#recommendation-{self.pk}"
        )

    def clean(self) -> None:
        if not self.addressed_to_countries and not self.addressed_to_group:
            raise ValidationError(
                {
                    "addressed_to_group": "Say whom it is addressed to: countries or a group."
                }
            )

    @property
    def addressee(self) -> str:
        names = [c.name for c in self.addressed_to_countries]
        if self.addressed_to_group:
            names.append(self.addressed_to_group)
        return ", ".join(str(n) for n in names)


class RecommendationUpdate(models.Model):
    """A dated change of a recommendation's status, with its evidence."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="updates"
    )
    status = models.CharField(max_length=20, choices=RecommendationStatus.choices)
    changed_on = models.DateField(default=timezone.localdate)
    note = models.TextField(blank=True)
    evidence_article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence_url = models.URLField(max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("recommendation", "changed_on", "id")
        constraints = (
            models.UniqueConstraint(
                fields=("recommendation", "status", "changed_on"),
                name="recommendation_update_once_per_change",
            ),
        )

    def __str__(self) -> str:
        return f"{self.get_status_display()} on {self.changed_on}"
