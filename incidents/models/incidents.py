"""Incidents and the actors involved in them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    BooleanField,
    Exists,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
)
from django.urls import reverse
from django.utils.text import slugify

from incidents.models.actors_places import Actor, Place
from newsdesk.models import (
    Article,
    TimeStampedModel,
)
from newsdesk.models.history import ChangedOnlyHistoricalRecords


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

    def unpublished(self) -> IncidentQuerySet:
        """Every incident `published()` leaves out: its complement."""
        return self.exclude(status=IncidentStatus.PUBLISHED)

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
    history = ChangedOnlyHistoricalRecords(m2m_fields=(articles,))

    class Meta:
        ordering = ("-start_date", "-id")
        indexes = (
            models.Index(
                fields=("status", "-start_date"), name="incident_status_date_idx"
            ),
            # The home page's few incidents in focus, newest first, without
            # walking every published incident.
            models.Index(
                fields=("-start_date", "-id"),
                condition=Q(in_focus=True),
                name="incident_in_focus_idx",
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


def no_unpublished_incident(incident: OuterRef) -> Exists:
    """Whether `incident` (a nullable reference) is empty or published: no
    unpublished incident has its key.

    The same rows as `Q(incident__isnull=True) | published_incident(incident)`,
    without the OR, under which PostgreSQL hashes the key of every published
    incident before it reads a row (3 ms at 10,000 incidents, on every search
    of recommendations); this it checks by key for the rows it reads.
    """
    return ~Exists(Incident.objects.unpublished().filter(pk=incident))


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
