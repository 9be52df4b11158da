"""Articles and what hangs off them: bylines, redirects, related links, quotes."""

from __future__ import annotations

import datetime
import functools
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation
from django.utils.text import slugify

from newsdesk.models.base import TimeStampedModel, validate_language_tag
from newsdesk.models.history import ChangedOnlyHistoricalRecords
from newsdesk.models.media import Image
from newsdesk.models.people_sources_topics import Person, Source, Topic
from newsdesk.rendering import render_markdown


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    RETRACTED = "retracted", "Retracted"


class ArticleQuerySet(models.QuerySet):
    def with_status(self, status: str) -> ArticleQuerySet:
        return self.filter(status=status)

    def released_by(self, moment: datetime.datetime | None = None) -> ArticleQuerySet:
        """Articles whose publish time has come (at or before `moment`, default now)."""
        return self.filter(publish_at__lte=moment or timezone.now())

    def published(self, moment: datetime.datetime | None = None) -> ArticleQuerySet:
        """The single visibility gate: published and publish time not in the future.

        `moment` (default now) lets a query be prepared once and run later.
        """
        return self.filter(published_through("", moment))

    def published_rows(
        self, moment: datetime.datetime | None = None
    ) -> ArticleQuerySet:
        """`published()` checked row by row by primary key, for rows found by a join.

        SQLite keeps no statistics: given the published conditions themselves,
        it walks every published article instead of starting from a few links.
        """
        return self.filter(published_article(OuterRef("pk"), moment))

    def scheduled(self) -> ArticleQuerySet:
        """Published articles held back until a future publish time (embargoed)."""
        return self.with_status(ArticleStatus.PUBLISHED).filter(
            publish_at__gt=timezone.now()
        )

    def in_review(self) -> ArticleQuerySet:
        return self.with_status(ArticleStatus.IN_REVIEW)

    def retracted(self) -> ArticleQuerySet:
        return self.with_status(ArticleStatus.RETRACTED)

    def retracted_after_publishing(self) -> ArticleQuerySet:
        """Retracted articles readers had seen: live when they were withdrawn.

        An article retracted before its publish time came was never public and
        stays invisible; only these rows may be named as retracted to readers.
        """
        return self.retracted().filter(
            retracted_at__isnull=False, publish_at__lte=F("retracted_at")
        )

    def with_public_associations(self) -> ArticleQuerySet:
        """Fetch source, lead image, authors in order and topics; prevents N+1 queries."""
        return self.select_related("source", "lead_image").prefetch_related(
            Prefetch(
                "article_authors",
                queryset=ArticleAuthor.objects.select_related("person").order_by(
                    "position"
                ),
            ),
            "topics",
        )


class Article(TimeStampedModel):
    headline = models.CharField(max_length=300, help_text="The headline readers see.")
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The last part of the article's URL. Changing it on a published "
        "article keeps the old URL working as a redirect.",
    )
    needs_headline = models.BooleanField(
        default=False,
        help_text="Set by the importer when the headline is provisional; "
        "cleared once an editor writes one.",
    )
    standfirst = models.TextField(
        blank=True,
        max_length=1000,
        help_text="One or two sentences under the headline.",
    )
    body = models.TextField(blank=True, help_text="The article text in Markdown.")
    body_html = models.TextField(blank=True, editable=False)
    status = models.CharField(
        max_length=20,
        choices=ArticleStatus.choices,
        default=ArticleStatus.DRAFT,
        db_index=True,
        help_text="Changed only through the workflow buttons: submit, publish, retract.",
    )
    publish_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="When the article goes live. A future time schedules (embargoes) it.",
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    substantive_update_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the article last changed in substance; shown as “Updated”.",
    )
    language = models.CharField(
        max_length=35,
        default="en",
        validators=[validate_language_tag],
        help_text="Language of this text as a BCP 47 tag, e.g. en.",
    )
    original_language = models.CharField(
        max_length=35,
        blank=True,
        validators=[validate_language_tag],
        help_text="Set when this article is a translation: the original's language, e.g. it.",
    )
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text="The original publisher when syndicated; empty for our own reporting.",
    )
    original_url = models.URLField(
        max_length=1000,
        blank=True,
        help_text="The original publisher's URL; used as the canonical link.",
    )
    authors = models.ManyToManyField(
        Person, through="ArticleAuthor", related_name="articles", blank=True
    )
    topics = models.ManyToManyField(Topic, related_name="articles", blank=True)
    lead_image = models.ForeignKey(
        Image,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_of",
        help_text="Chosen from the media library, where its alt text and credit live.",
    )
    lead_image_caption = models.CharField(
        max_length=500,
        blank=True,
        help_text="A caption for this article only; empty uses the library caption.",
    )
    retraction_note = models.TextField(
        blank=True, help_text="Why the article was retracted; shown at its URL."
    )
    retracted_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Raised on every save; guards against lost updates.",
    )
    content_hash = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="Hash of the imported file, so a re-import changes nothing.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = ArticleQuerySet.as_manager()
    history = ChangedOnlyHistoricalRecords(excluded_fields=("body_html",))

    class Meta:
        ordering = ("-publish_at", "-id")
        permissions = (
            ("publish_article", "Can publish, schedule and retract articles"),
        )
        indexes = (
            models.Index(
                fields=("status", "-publish_at", "-id"), name="article_status_pub_idx"
            ),
            models.Index(fields=("-updated_at", "-id"), name="article_updated_idx"),
            # The admin's status filters in the list's order (last updated first):
            # "Published (live)" reads its first page from here, publish time
            # included, instead of sorting every live article.
            models.Index(
                fields=("status", "-updated_at", "-id", "publish_at"),
                name="article_status_updated_idx",
            ),
            # A source's newest published articles ("You may also like", the
            # source page) read in order from here, however many it has; our
            # own reporting (no source) stays out of it.
            models.Index(
                fields=("source", "status", "-publish_at", "-id"),
                name="article_source_pub_idx",
                condition=Q(source__isnull=False),
            ),
            # The admin's language filter: its choices read one index entry per
            # language, and a language's articles are found without a scan.
            models.Index(fields=("language",), name="article_language_idx"),
            # The newest retractions (front page, corrections feed) without
            # reading every retracted row's body.
            models.Index(
                fields=("status", "-retracted_at", "-id"),
                name="article_retracted_idx",
                condition=Q(status="retracted"),
            ),
        )
        constraints = (
            models.CheckConstraint(
                condition=~Q(status__in=("published", "retracted"))
                | Q(publish_at__isnull=False),
                name="article_published_has_publish_at",
            ),
        )

    def __str__(self) -> str:
        return self.headline

    def save(self, *args, **kwargs) -> None:
        # HTML rendered ahead from this very body (the importer's worker processes
        # do) is not rendered again.
        ahead = self.__dict__.pop("rendered_ahead", None)
        if ahead is not None and ahead[0] == self.body:
            self.body_html = ahead[1]
        else:
            self.body_html = render_markdown(self.body)
        if not self.slug:
            self.slug = slugify(self.headline)[:200]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return _article_path(self.url_kwargs())

    def url_kwargs(self, zone: datetime.tzinfo | None = None) -> dict[str, object]:
        """What the article's URL is made of: its publish (else creation) month in
        the local time zone (`zone`, else the current one), and its slug."""
        moment = self.publish_at or self.created_at or timezone.now()
        if timezone.is_aware(moment):
            moment = moment.astimezone(zone or timezone.get_current_timezone())
        return {"year": moment.year, "month": f"{moment.month:02d}", "slug": self.slug}

    def clean(self) -> None:
        errors = {}
        if (
            self.status in (ArticleStatus.PUBLISHED, ArticleStatus.RETRACTED)
            and self.publish_at is None
        ):
            errors["publish_at"] = (
                "A published or retracted article needs a publish time."
            )
        if self.original_language and self.original_language == self.language:
            errors["original_language"] = (
                "The original language is only for translations; leave it empty "
                "when it equals the article's language."
            )
        if errors:
            raise ValidationError(errors)

    def is_published(self, moment: datetime.datetime | None = None) -> bool:
        """Mirror of `ArticleQuerySet.published()` for one loaded article."""
        moment = moment or timezone.now()
        return (
            self.status == ArticleStatus.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= moment
        )

    def stages_edits(self) -> bool:
        """Whether edits go to pending changes instead of the row readers see:
        the article is published, live or waiting for its time (the services
        refuse any other as live, `newsdesk.revisions.services`)."""
        return bool(self.pk) and self.status == ArticleStatus.PUBLISHED

    def is_scheduled(self) -> bool:
        return (
            self.status == ArticleStatus.PUBLISHED
            and self.publish_at is not None
            and self.publish_at > timezone.now()
        )

    @property
    def display_status(self) -> str:
        """Status as editors speak of it: scheduled is published with a future time."""
        if self.is_scheduled():
            return "Scheduled"
        return self.get_status_display()

    def was_retracted_after_publishing(self) -> bool:
        """Mirror of `ArticleQuerySet.retracted_after_publishing()` for one article."""
        return (
            self.status == ArticleStatus.RETRACTED
            and self.retracted_at is not None
            and self.publish_at is not None
            and self.publish_at <= self.retracted_at
        )

    @property
    def byline(self) -> list[Person]:
        """The authors in byline order (uses the prefetched bylines)."""
        return [entry.person for entry in self.article_authors.all()]

    @property
    def is_translation(self) -> bool:
        return bool(self.original_language)

    @property
    def lead_image_display_caption(self) -> str:
        """This article's caption for its lead image, else the library's."""
        if self.lead_image_caption or self.lead_image is None:
            return self.lead_image_caption
        return self.lead_image.caption

    @property
    def lead_image_credit(self) -> str:
        return self.lead_image.credit if self.lead_image else ""

    @property
    def canonical_url(self) -> str:
        """The original publisher's URL when syndicated, else our own, absolute."""
        from newsdesk.links import canonical_url

        return canonical_url(self)


def published_through(path: str, moment: datetime.datetime | None = None) -> Q:
    """`published()` as a condition on the article at `path` ("article__"), for
    rows read through a join in the article's publish-time order: the
    condition then walks the published articles' index, newest first."""
    return Q(
        **{
            f"{path}status": ArticleStatus.PUBLISHED,
            f"{path}publish_at__lte": moment or timezone.now(),
        }
    )


def published_article(
    article: OuterRef, moment: datetime.datetime | None = None
) -> Exists:
    """Whether the article `article` refers to is published, looked up by primary key.

    Checking a few rows this way never reads the ids of every published article.
    """
    return Exists(Article.objects.published(moment).filter(pk=article))


def retracted_article(article: OuterRef) -> Exists:
    """Whether the article `article` refers to was retracted after readers saw it."""
    return Exists(Article.objects.retracted_after_publishing().filter(pk=article))


# What the article URL's `<slug:slug>` converter takes; any other slug is
# left to `reverse()`, which refuses it as before.
_SLUG_RE = re.compile(r"[-a-zA-Z0-9_]+")
_PATH_STAND_INS = {"year": 987654321, "month": "__month__", "slug": "__slug__"}


@functools.lru_cache(maxsize=32)
def _article_path_pattern(urlconf: str, prefix: str, language: str | None) -> str:
    """The article URL as a format string, reversed once per URL configuration,
    script prefix and language: asked for every row of a list, a feed or a
    search page, `reverse()` was the costliest step of building a link."""
    pattern = reverse(
        "newsdesk:article_detail", urlconf=urlconf, kwargs=_PATH_STAND_INS
    )
    pattern = pattern.replace("{", "{{").replace("}", "}}")
    for name, stand_in in _PATH_STAND_INS.items():
        pattern = pattern.replace(str(stand_in), f"{{{name}}}")
    return pattern


def _article_path(kwargs: dict[str, object]) -> str:
    """What `reverse()` gives for the article URL of `kwargs`, by its pattern."""
    if not _SLUG_RE.fullmatch(str(kwargs["slug"])):
        return reverse("newsdesk:article_detail", kwargs=kwargs)
    return _article_path_pattern(
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
        translation.get_language(),
    ).format(**kwargs)


class ArticlePaths:
    """`get_absolute_url` for the many articles of one list, in one time zone."""

    def __init__(self) -> None:
        self._zone = timezone.get_current_timezone()

    def __call__(self, article: Article) -> str:
        return _article_path(article.url_kwargs(self._zone))


class ArticleAuthor(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="article_authors"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Byline order, from 0."
    )

    class Meta:
        ordering = ("article", "position")
        constraints = (
            models.UniqueConstraint(
                fields=("article", "person"), name="article_author_unique"
            ),
        )

    def __str__(self) -> str:
        return f"{self.person.name} on {self.article_id}"


class ArticleRedirect(models.Model):
    """An old public path of a published article, answered with a 301."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="redirects"
    )
    old_path = models.CharField(max_length=500, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.old_path} → {self.article_id}"


class RelatedLink(models.Model):
    """A "Read also" link: to one of our articles, or an unresolved title and URL."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="related_links"
    )
    target = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="linked_from",
        help_text="Our article this links to. Leave empty for an outside or unresolved link.",
    )
    title = models.CharField(
        max_length=300, blank=True, help_text="Link text as imported."
    )
    url = models.URLField(max_length=1000, blank=True)
    via = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Whose blog or site the link points to, e.g. “from Roberto Colella's blog”.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("article", "position", "id")
        constraints = (
            models.CheckConstraint(
                condition=Q(target__isnull=False) | ~Q(title=""),
                name="related_link_has_target",
            ),
        )

    def __str__(self) -> str:
        return self.title or str(self.target)

    @property
    def is_resolved(self) -> bool:
        return self.target_id is not None


class Quote(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="quotes"
    )
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quotes",
        help_text="Who said it, when known.",
    )
    text = models.TextField(
        help_text="The words quoted, verbatim, without quotation marks."
    )
    attribution = models.CharField(
        max_length=300,
        blank=True,
        help_text="How the article attributes it, e.g. “another security expert”.",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the article, from 0."
    )

    class Meta:
        ordering = ("article", "position", "id")

    def __str__(self) -> str:
        return f"“{self.text[:60]}”"
