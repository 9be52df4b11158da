"""Actors (with aliases) and places."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import (
    Q,
)
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.text import slugify
from django_countries.fields import CountryField

from newsdesk.models import (
    TimeStampedModel,
)


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
