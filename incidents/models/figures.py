"""Claimed figures and the candidates the importer proposes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    F,
    OuterRef,
    Q,
)

from incidents.models.incidents import Incident, published_incident
from newsdesk.models import (
    Article,
    ArticleStatus,
    Source,
    TimeStampedModel,
    published_article,
    retracted_article,
)
from newsdesk.models.history import ChangedOnlyHistoricalRecords


class Metric(models.TextChoices):
    KILLED = "killed", "Killed"
    INJURED = "injured", "Injured"
    ESCAPED = "escaped", "Escaped"
    RECAPTURED = "recaptured", "Recaptured"
    DETAINED = "detained", "Detained"
    DISPLACED = "displaced", "Displaced"
    ABDUCTED = "abducted", "Abducted"
    RELEASED = "released", "Released"
    REPATRIATED = "repatriated", "Repatriated"
    OTHER = "other", "Other"


class FigureGroup(models.TextChoices):
    ATTACKERS = "attackers", "Attackers"
    SECURITY_FORCES = "security_forces", "Security forces"
    CIVILIANS = "civilians", "Civilians"
    INMATES = "inmates", "Inmates / detainees"
    FOREIGN_NATIONALS = "foreign_nationals", "Foreign nationals"
    CHILDREN = "children", "Children"
    TOTAL = "total", "Total"


class Qualifier(models.TextChoices):
    EXACT = "exact", "exactly"
    ABOUT = "about", "about"
    AT_LEAST = "at_least", "at least / more than"
    AT_MOST = "at_most", "up to / fewer than"


class FigureQuerySet(models.QuerySet):
    def public(self) -> FigureQuerySet:
        """Figures on published incidents whose citing article, if any, is published."""
        return self.filter(
            published_incident(OuterRef("incident")),
            Q(article__isnull=True) | published_article(OuterRef("article")),
        )

    def on_record(self) -> FigureQuerySet:
        """Public figures plus those citing an article retracted after publishing.

        Readers keep seeing such a figure, marked as resting on a retracted source;
        `citation_retracted` says which rows do.
        """
        return self.filter(
            published_incident(OuterRef("incident")),
            Q(article__isnull=True)
            | published_article(OuterRef("article"))
            | retracted_article(OuterRef("article")),
        ).annotate(citation_retracted=retracted_article(OuterRef("article")))

    def resting_on_retracted(self) -> FigureQuerySet:
        """Figures whose only citation is a retracted article."""
        return self.filter(
            article__status=ArticleStatus.RETRACTED, source__isnull=True, url=""
        )

    def with_public_associations(self) -> FigureQuerySet:
        """Fetch incident, citing article and source; prevents N+1 queries."""
        return self.select_related("incident", "article", "source")


class Figure(TimeStampedModel):
    """One claimed number about an incident, with who claimed it and where."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="figures"
    )
    metric = models.CharField(max_length=20, choices=Metric.choices)
    group = models.CharField(
        max_length=20, choices=FigureGroup.choices, default=FigureGroup.TOTAL
    )
    low = models.PositiveIntegerField(
        help_text="Lowest claimed value. For a single number, low = high."
    )
    high = models.PositiveIntegerField(help_text="Highest claimed value.")
    qualifier = models.CharField(
        max_length=10,
        choices=Qualifier.choices,
        default=Qualifier.EXACT,
        help_text="How the claim was worded: “about 12,000”, “more than 2,000”.",
    )
    claimant = models.CharField(
        max_length=200, help_text="Who made the claim, e.g. “SDF” or “ISIS via Amaq”."
    )
    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="figures",
        help_text="Our article that reports the claim.",
    )
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="figures",
        help_text="The outlet that reported the claim.",
    )
    url = models.URLField(
        max_length=1000, blank=True, help_text="Link to where the claim was reported."
    )
    reported_on = models.DateField(
        null=True, blank=True, help_text="When the claim was reported."
    )
    excerpt = models.TextField(
        blank=True, help_text="The sentence stating the figure, verbatim."
    )
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Raised on every edit; guards against lost updates.",
    )

    objects = FigureQuerySet.as_manager()
    history = ChangedOnlyHistoricalRecords()

    class Meta:
        ordering = ("incident", "metric", "group", "reported_on", "id")
        indexes = (
            models.Index(
                fields=("incident", "metric", "group"),
                name="figure_incident_metric_idx",
            ),
        )
        constraints = (
            models.CheckConstraint(
                condition=Q(low__lte=F("high")), name="figure_low_le_high"
            ),
            models.CheckConstraint(
                condition=Q(article__isnull=False)
                | Q(source__isnull=False)
                | ~Q(url=""),
                name="figure_has_citation",
            ),
        )

    def __str__(self) -> str:
        value = (
            f"{self.low:,}" if self.low == self.high else f"{self.low:,}–{self.high:,}"
        )
        return f"{value} {self.get_group_display().lower()} {self.get_metric_display().lower()} ({self.claimant})"

    def clean(self) -> None:
        errors = {}
        if self.low is not None and self.high is not None and self.low > self.high:
            errors["high"] = "The high value cannot be lower than the low value."
        if not (self.article_id or self.source_id or self.url):
            errors["article"] = (
                "Cite where the figure was reported: an article, a source or a URL."
            )
        if errors:
            raise ValidationError(errors)


class CandidateStatus(models.TextChoices):
    PENDING = "pending", "Waiting for an editor"
    CONFIRMED = "confirmed", "Confirmed as a figure"
    DISMISSED = "dismissed", "Dismissed"


class FigureCandidate(models.Model):
    """A number the importer found in an article, waiting for an editor to confirm."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="figure_candidates"
    )
    text = models.CharField(
        max_length=300,
        help_text="The phrase as found, e.g. “about 12,000 ISIS members”.",
    )
    sentence = models.TextField(
        blank=True, help_text="The whole sentence it came from."
    )
    low = models.PositiveIntegerField()
    high = models.PositiveIntegerField()
    qualifier = models.CharField(
        max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    unit = models.CharField(
        max_length=100, blank=True, help_text="What is counted, as written."
    )
    metric = models.CharField(max_length=20, choices=Metric.choices, blank=True)
    status = models.CharField(
        max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.PENDING
    )
    figure = models.OneToOneField(
        Figure,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="candidate",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("article", "position", "id")
        constraints = (
            models.CheckConstraint(
                condition=Q(low__lte=F("high")), name="candidate_low_le_high"
            ),
        )

    def __str__(self) -> str:
        return self.text
