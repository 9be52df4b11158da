"""Sources, people and topics."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from django_countries.fields import CountryField

from newsdesk.models.base import (
    TimeStampedModel,
    normalise_domain,
    validate_language_tag,
)


class SourceKind(models.TextChoices):
    NEWSPAPER = "newspaper", "Newspaper or magazine"
    BROADCASTER = "broadcaster", "Broadcaster"
    WIRE = "wire", "News agency / wire"
    BLOG = "blog", "Blog"
    RESEARCH = "research", "Research institute"
    NGO = "ngo", "NGO"
    GOVERNMENT = "government", "Government"
    OTHER = "other", "Other"


class Reliability(models.TextChoices):
    """The Admiralty (NATO) source reliability scale."""

    A = "A", "A — completely reliable"
    B = "B", "B — usually reliable"
    C = "C", "C — fairly reliable"
    D = "D", "D — not usually reliable"
    E = "E", "E — unreliable"
    F = "F", "F — reliability cannot be judged"


class SourceQuerySet(models.QuerySet):
    def with_published_articles(self) -> SourceQuerySet:
        """Sources that originally published at least one published article."""
        from newsdesk.models.articles import Article  # articles import this module

        return self.filter(
            pk__in=Article.objects.published()
            .filter(source__isnull=False)
            .values("source")
        )


class Source(TimeStampedModel):
    name = models.CharField(
        max_length=200, help_text="The publisher's name as readers know it."
    )
    slug = models.SlugField(max_length=200, unique=True)
    domain = models.CharField(
        max_length=253,
        unique=True,
        help_text="The publisher's web domain, e.g. nbcnews.com. "
        "“www.” and upper case are removed automatically.",
    )
    homepage = models.URLField(blank=True, help_text="The publisher's home page.")
    kind = models.CharField(
        max_length=20, choices=SourceKind.choices, default=SourceKind.OTHER
    )
    country = CountryField(blank=True, help_text="Where the publisher is based.")
    language = models.CharField(
        max_length=35,
        blank=True,
        validators=[validate_language_tag],
        help_text="Main publishing language as a BCP 47 tag, e.g. en or it.",
    )
    reliability = models.CharField(
        max_length=1,
        choices=Reliability.choices,
        default=Reliability.F,
        help_text="Admiralty grade: A (completely reliable) to E; F when it cannot be judged.",
    )
    notes = models.TextField(
        blank=True, help_text="Internal notes; never shown to readers."
    )

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ("name",)
        constraints = (
            models.CheckConstraint(
                condition=~Q(domain=""), name="source_domain_not_empty"
            ),
        )

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.domain = normalise_domain(self.domain)
        if not self.slug:
            self.slug = slugify(self.name)[:200] or slugify(self.domain)[:200]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("newsdesk:source_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        self.domain = normalise_domain(self.domain)
        if not self.domain:
            raise ValidationError(
                {"domain": "Enter the publisher's domain, e.g. nbcnews.com."}
            )


# --- People and topics -------------------------------------------------------


class Person(TimeStampedModel):
    name = models.CharField(
        max_length=200, help_text="Full name as it should appear in bylines."
    )
    slug = models.SlugField(max_length=200, unique=True)
    affiliation = models.CharField(
        max_length=200,
        blank=True,
        help_text="Organisation, e.g. King's College London.",
    )
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text="Role or title, e.g. security expert, spokesperson.",
    )
    bio = models.TextField(
        blank=True, help_text="One or two sentences shown on the person's page."
    )
    link = models.URLField(blank=True, help_text="Profile or personal page.")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        help_text="The newsroom account of this person, if any: their new "
        "articles carry their byline.",
    )

    class Meta:
        ordering = ("name",)
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return f"{self.name} ({self.affiliation})" if self.affiliation else self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:200]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("newsdesk:person_detail", kwargs={"slug": self.slug})


class Topic(TimeStampedModel):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(
        blank=True, help_text="Shown at the top of the topic page."
    )

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:100]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("newsdesk:topic_detail", kwargs={"slug": self.slug})
