"""Structured records: actors, places, incidents, claimed figures, recommendations."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    Func,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
)
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from newsdesk.models import (
    Article,
    Person,
    Source,
    TimeStampedModel,
    published_article,
)

# --- Actors ------------------------------------------------------------------


class ActorKind(models.TextChoices):
    ARMED_GROUP = "armed_group", "Armed group"
    STATE_FORCE = "state_force", "State force"
    MILITIA = "militia", "Militia"
    COALITION = "coalition", "Coalition"
    GOVERNMENT = "government", "Government"
    NGO = "ngo", "NGO"
    OTHER = "other", "Other"


class ActorQuerySet(models.QuerySet):
    def matching(self, name: str) -> ActorQuerySet:
        """Actors whose name or any alias equals `name`, ignoring case."""
        name = name.strip()
        return self.filter(
            Q(name__iexact=name) | Q(aliases__name__iexact=name)
        ).distinct()


class Actor(TimeStampedModel):
    name = models.CharField(max_length=200, help_text="The name used in our reporting.")
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(
        max_length=20, choices=ActorKind.choices, default=ActorKind.OTHER
    )
    country = CountryField(blank=True, help_text="Country of origin or base, if any.")
    description = models.TextField(blank=True)

    objects = ActorQuerySet.as_manager()

    class Meta:
        ordering = ("name",)
        constraints = (
            models.UniqueConstraint(Lower("name"), name="actor_name_ci_unique"),
        )

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:200]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("incidents:incident_list") + f"?actor={self.slug}"


class ActorAlias(models.Model):
    """Another name of an actor: ISIS, IS, ISIL, Daesh and Islamic State are one actor."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ("actor", "name")
        verbose_name_plural = "actor aliases"
        constraints = (
            models.UniqueConstraint(Lower("name"), name="actor_alias_ci_unique"),
        )

    def __str__(self) -> str:
        return self.name


# --- Places ------------------------------------------------------------------


class PlaceKind(models.TextChoices):
    DETENTION_FACILITY = "detention_facility", "Detention facility"
    CAMP = "camp", "Camp"
    CITY = "city", "City or town"
    DISTRICT = "district", "District"
    REGION = "region", "Region"
    OTHER = "other", "Other"


class GeoPrecision(models.IntegerChoices):
    """As ACLED's geo_precision."""

    EXACT = 1, "1 — exact location"
    NEAR = 2, "2 — near the location or its district"
    REGION = 3, "3 — region only"


class Place(TimeStampedModel):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(
        max_length=20, choices=PlaceKind.choices, default=PlaceKind.OTHER
    )
    admin1 = models.CharField(
        max_length=100, blank=True, help_text="First-level region, e.g. Al-Hasakah."
    )
    country = CountryField(blank=True)
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    geo_precision = models.PositiveSmallIntegerField(
        choices=GeoPrecision.choices,
        default=GeoPrecision.EXACT,
        help_text="How precisely the coordinates locate the place (ACLED geo_precision).",
    )

    class Meta:
        ordering = ("name",)
        constraints = (
            models.CheckConstraint(
                condition=Q(latitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90),
                name="place_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True)
                | Q(longitude__gte=-180, longitude__lte=180),
                name="place_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="place_coordinates_together",
            ),
        )

    def __str__(self) -> str:
        parts = [self.name, self.admin1, self.country.name if self.country else ""]
        return ", ".join(p for p in parts if p)

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:200]
        super().save(*args, **kwargs)

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


# --- Incidents ---------------------------------------------------------------


class IncidentKind(models.TextChoices):
    """A typology in the spirit of ACLED's event_type / sub_event_type."""

    ATTACK = "attack", "Attack"
    PRISON_BREAK = "prison_break", "Prison break"
    CLASH = "clash", "Armed clash"
    EXPLOSION = "explosion", "Explosion / remote violence"
    ARRESTS = "arrests", "Arrests"
    ABDUCTION = "abduction", "Abduction / forced disappearance"
    PROTEST = "protest", "Protest or riot"
    DETENTION = "detention", "Detention"
    STRATEGIC_DEVELOPMENT = "strategic_development", "Strategic development"
    OTHER = "other", "Other"


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class Verification(models.TextChoices):
    REPORTED = "reported", "Reported"
    CORROBORATED = "corroborated", "Corroborated"
    CONFIRMED = "confirmed", "Confirmed"
    CONTESTED = "contested", "Contested"


class IncidentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class _MostRowsMatch(Func):
    """A condition most rows meet, marked `likely()` for SQLite's query planner."""

    # SQLite keeps no statistics and takes an equality on an indexed column for
    # a narrow one: it would start a join from every published incident rather
    # than from an article's two links. Other databases see the bare condition.
    function = "likely"
    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        (condition,) = self.get_source_expressions()
        return compiler.compile(condition)

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, **extra_context)


class IncidentQuerySet(models.QuerySet):
    def published(self) -> IncidentQuerySet:
        """Incidents released to readers (most incidents are)."""
        return self.filter(_MostRowsMatch(Q(status=IncidentStatus.PUBLISHED)))

    def with_public_associations(self) -> IncidentQuerySet:
        """Fetch place, actors with roles and published articles; prevents N+1 queries."""
        return self.select_related("place").prefetch_related(
            Prefetch(
                "incident_actors",
                queryset=IncidentActor.objects.select_related("actor").order_by(
                    "role", "actor__name"
                ),
            ),
            Prefetch(
                "articles",
                queryset=Article.objects.published_rows().order_by("-publish_at"),
                to_attr="published_articles",
            ),
        )


class Incident(TimeStampedModel):
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(
        max_length=30, choices=IncidentKind.choices, default=IncidentKind.ATTACK
    )
    sub_kind = models.CharField(
        max_length=100,
        blank=True,
        help_text="Finer type, e.g. “armed assault on a prison”.",
    )
    summary = models.TextField(
        blank=True, help_text="What happened, in a few sentences."
    )
    start_date = models.DateField()
    end_date = models.DateField(
        null=True, blank=True, help_text="Empty for one-day incidents."
    )
    date_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How precisely the dates are known; a month-precise date shows as “January 2022”.",
    )
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="incidents"
    )
    actors = models.ManyToManyField(
        Actor, through="IncidentActor", related_name="incidents"
    )
    verification = models.CharField(
        max_length=20, choices=Verification.choices, default=Verification.REPORTED
    )
    status = models.CharField(
        max_length=10,
        choices=IncidentStatus.choices,
        default=IncidentStatus.DRAFT,
        help_text="Only published incidents are shown to readers and in the API.",
    )
    in_focus = models.BooleanField(default=False, help_text="Feature on the home page.")
    articles = models.ManyToManyField(Article, related_name="incidents", blank=True)

    objects = IncidentQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=(articles,))

    class Meta:
        ordering = ("-start_date", "-id")
        indexes = (
            models.Index(
                fields=("status", "-start_date"), name="incident_status_date_idx"
            ),
        )
        constraints = (
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="incident_end_after_start",
            ),
        )

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.title)[:200]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("incidents:incident_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": "The end date cannot be before the start date."}
            )

    def is_published(self) -> bool:
        return self.status == IncidentStatus.PUBLISHED


def published_incident(incident: OuterRef) -> Exists:
    """Whether the incident `incident` refers to is published, looked up by primary key."""
    return Exists(Incident.objects.published().filter(pk=incident))


class ActorRole(models.TextChoices):
    PERPETRATOR = "perpetrator", "Perpetrator"
    TARGET = "target", "Target"
    RESPONDER = "responder", "Responder"
    OTHER = "other", "Other"


class IncidentActor(models.Model):
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="incident_actors"
    )
    actor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="incident_roles"
    )
    role = models.CharField(max_length=20, choices=ActorRole.choices)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ("incident", "role", "id")
        constraints = (
            models.UniqueConstraint(
                fields=("incident", "actor", "role"), name="incident_actor_role_unique"
            ),
        )

    def __str__(self) -> str:
        return f"{self.actor} ({self.get_role_display()})"


# --- Figures -----------------------------------------------------------------


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

    def ranges(self) -> models.QuerySet:
        """One row per incident, metric and group: reconciled range, claims, conflict.

        Keys: incident_id, metric, group, range_low, range_high, max_low,
        min_high, claims, claimants.

        Claims contradict each other when the highest low exceeds the lowest high
        (their ranges do not overlap). Computed in one query.
        """
        return (
            self.values("incident_id", "metric", "group")
            .annotate(
                range_low=Min("low"),
                range_high=Max("high"),
                max_low=Max("low"),
                min_high=Min("high"),
                claims=Count("id"),
                claimants=Count("claimant", distinct=True),
            )
            .order_by("incident_id", "metric", "group")
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
    history = HistoricalRecords()

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


# --- Recommendations ---------------------------------------------------------


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
    def public(self) -> RecommendationQuerySet:
        """Recommendations whose article and incident, when set, are public."""
        return self.filter(
            Q(made_in__isnull=True) | published_article(OuterRef("made_in")),
            Q(incident__isnull=True) | published_incident(OuterRef("incident")),
        )

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
    history = HistoricalRecords()

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
