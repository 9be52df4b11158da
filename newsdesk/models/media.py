"""The media library: images reused across articles, with alt text and credit."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

ALT_TEXT_MISSING = (
    "Describe the image for readers who cannot see it, or mark it decorative."
)


class ImageQuerySet(models.QuerySet):
    def search(self, query: str) -> ImageQuerySet:
        """Images whose alt text, caption, credit or title contains every word."""
        for word in query.split():
            self = self.filter(
                Q(title__icontains=word)
                | Q(alt_text__icontains=word)
                | Q(caption__icontains=word)
                | Q(credit__icontains=word)
            )
        return self

    def missing_alt_text(self) -> ImageQuerySet:
        return self.filter(alt_text="", decorative=False)


def _percent_validators() -> list:
    return [MinValueValidator(0), MaxValueValidator(100)]


class Image(models.Model):
    file = models.ImageField(
        upload_to="images/%Y/%m/",
        help_text="JPEG, PNG, WebP, GIF or AVIF. Location and camera data are removed.",
    )
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text="A name to find the image by in the library; readers never see it.",
    )
    alt_text = models.CharField(
        max_length=300,
        blank=True,
        help_text="What the image shows, for readers who cannot see it. "
        "Required unless decorative.",
    )
    decorative = models.BooleanField(
        default=False,
        help_text="Tick only when the image adds nothing to the text: "
        "screen readers then skip it.",
    )
    caption = models.CharField(
        max_length=500,
        blank=True,
        help_text="Shown under the image; an article can give its own.",
    )
    credit = models.CharField(
        max_length=200,
        blank=True,
        help_text="Photographer or agency, e.g. “Hawar News / AP”.",
    )
    copyright = models.CharField(
        max_length=200,
        blank=True,
        help_text="Licence or rights holder, e.g. “CC BY 4.0” or “© Reuters”.",
    )
    source_url = models.URLField(
        max_length=1000,
        blank=True,
        help_text="Where the image was obtained, for the record.",
    )
    focal_x = models.PositiveSmallIntegerField(
        default=50,
        validators=_percent_validators(),
        help_text="Horizontal position of what matters, 0 (left) to 100 (right); "
        "crops keep it in frame.",
    )
    focal_y = models.PositiveSmallIntegerField(
        default=50,
        validators=_percent_validators(),
        help_text="Vertical position of what matters, 0 (top) to 100 (bottom).",
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ("-uploaded_at", "-id")
        constraints = (
            models.CheckConstraint(
                condition=~Q(alt_text="") | Q(decorative=True),
                name="image_has_alt_or_is_decorative",
            ),
            models.CheckConstraint(
                condition=Q(focal_x__lte=100) & Q(focal_y__lte=100),
                name="image_focal_point_in_frame",
            ),
        )

    def __str__(self) -> str:
        label = self.title or self.alt_text or self.caption
        if label:
            return label[:80]
        return self.file.name.rsplit("/", 1)[-1] if self.file else f"Image {self.pk}"

    def clean(self) -> None:
        if not self.alt_text.strip() and not self.decorative:
            raise ValidationError({"alt_text": ALT_TEXT_MISSING})

    @property
    def crop(self) -> str:
        """The focal point as sorl-thumbnail's crop offset."""
        return f"{self.focal_x}% {self.focal_y}%"

    @property
    def reader_alt(self) -> str:
        """The alt attribute readers get: empty for decorative images."""
        return "" if self.decorative else self.alt_text
