"""The media library's writes and renditions: checked uploads, stripped metadata, crops.

Every image enters through `image_create` and changes through `image_update`;
pages ask `image_renditions` for `srcset`s in AVIF (where Pillow has it), WebP
and JPEG, cropped around the editor's focal point.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from PIL import Image as PillowImage
from PIL import ImageOps, features

from newsdesk.models import Image

logger = logging.getLogger(__name__)

User = AbstractBaseUser | AnonymousUser

# Formats sniffed from the file's content (never its name) and the extension kept.
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
AVIF_SUPPORTED = features.check("avif")
if AVIF_SUPPORTED:
    ACCEPTED_FORMATS["AVIF"] = "avif"

# What an editor may set on a library image, in the order forms show them.
EDITABLE_FIELDS = (
    "title",
    "alt_text",
    "decorative",
    "caption",
    "credit",
    "copyright",
    "source_url",
    "focal_x",
    "focal_y",
)


def _limits() -> tuple[int, int]:
    return settings.NEWSDESK_IMAGE_MAX_BYTES, settings.NEWSDESK_IMAGE_MAX_PIXELS


def image_file_check(upload: Any) -> str:
    """Return the Pillow format of `upload`, or raise a `ValidationError` naming the file.

    Reads the header only, so a decompression bomb is refused before it is decoded.
    """
    name = getattr(upload, "name", "") or "The file"
    max_bytes, max_pixels = _limits()
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            f"“{name}” is {filesizeformat(size)}; images may be at most "
            f"{filesizeformat(max_bytes)}.",
            code="file_too_large",
        )
    upload.seek(0)
    try:
        with PillowImage.open(upload) as picture:
            fmt, (width, height) = picture.format, picture.size
            if width * height > max_pixels:
                raise ValidationError(
                    f"“{name}” is {width} × {height} pixels; images may have at most "
                    f"{max_pixels / 1_000_000:g} million pixels.",
                    code="too_many_pixels",
                )
            picture.verify()
    except ValidationError:
        raise
    except PillowImage.DecompressionBombError:
        raise ValidationError(
            f"“{name}” has far too many pixels; images may have at most "
            f"{max_pixels / 1_000_000:g} million pixels.",
            code="too_many_pixels",
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise ValidationError(
            f"“{name}” is not an image we can read. Upload a JPEG, PNG, WebP or GIF.",
            code="not_an_image",
        ) from None
    finally:
        upload.seek(0)
    if fmt not in ACCEPTED_FORMATS:
        raise ValidationError(
            f"“{name}” is a {fmt} file; upload a "
            f"{', '.join(sorted(ACCEPTED_FORMATS))} image instead.",
            code="unsupported_format",
        )
    return fmt


def _stripped(upload: Any, fmt: str) -> tuple[ContentFile, int, int]:
    """Re-encode `upload` without EXIF/XMP (GPS positions, camera serials), upright."""
    upload.seek(0)
    with PillowImage.open(upload) as picture:
        if getattr(picture, "n_frames", 1) > 1:
            # Animations keep their frames; Pillow writes no EXIF for them unless asked.
            buffer = io.BytesIO()
            picture.save(buffer, format=fmt, save_all=True)
            width, height = picture.size
        else:
            upright = ImageOps.exif_transpose(picture)
            if fmt == "JPEG" and upright.mode not in ("RGB", "L", "CMYK"):
                upright = upright.convert("RGB")
            options: dict[str, Any] = {}
            if picture.info.get("icc_profile"):
                options["icc_profile"] = picture.info["icc_profile"]
            if fmt in ("JPEG", "WEBP", "AVIF"):
                options["quality"] = 90
            buffer = io.BytesIO()
            upright.save(buffer, format=fmt, **options)
            width, height = upright.size
    stem = (getattr(upload, "name", "") or "image").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    name = f"{stem or 'image'}.{ACCEPTED_FORMATS[fmt]}"
    return ContentFile(buffer.getvalue(), name=name), width, height


def _require(user: User | None, action: str) -> None:
    if not (user and user.is_active and user.has_perm(f"newsdesk.{action}_image")):
        verb = "add images to" if action == "add" else "change images in"
        raise PermissionDenied(f"You do not have permission to {verb} the library.")


def _refuse_unknown(fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "Not a field of a library image."))


def _attach_file(image: Image, file: Any) -> None:
    fmt = image_file_check(file)
    content, image.width, image.height = _stripped(file, fmt)
    image.file.save(content.name, content, save=False)


@transaction.atomic
def image_create(
    *, file: Any, user: User | None, image: Image | None = None, **fields: Any
) -> Image:
    """Add an image to the library: checked, stripped of metadata, alt text or decorative.

    `image` is an unsaved instance a form has already filled, if any.
    """
    _require(user, "add")
    _refuse_unknown(fields)
    if file is None:
        raise ValidationError({"file": "Choose an image file to upload."})
    image = image or Image()
    for name, value in fields.items():
        setattr(image, name, value)
    if getattr(user, "pk", None):
        image.uploaded_by = user
    # Alt text first: a refused image leaves no file behind.
    image.full_clean(exclude={"file"})
    _attach_file(image, file)
    image.full_clean()
    image.save()
    transaction.on_commit(lambda: image_renditions_warm(image=image))
    return image


@transaction.atomic
def image_update(
    *, image: Image, user: User | None, file: Any = None, **fields: Any
) -> Image:
    """Change a library image's text, focal point or file; every article using it follows."""
    _require(user, "change")
    _refuse_unknown(fields)
    for name, value in fields.items():
        setattr(image, name, value)
    image.full_clean(exclude={"file"})
    if file is not None:
        _attach_file(image, file)
    image.full_clean()
    image.save()
    _articles_follow(image)
    transaction.on_commit(lambda: image_renditions_warm(image=image))
    return image


def _articles_follow(image: Image) -> None:
    """Re-render the bodies that show `image`, and purge their pages' cache tags.

    Pages loading the image itself (lead images, cards) name it in their tags.
    """
    from newsdesk.http import tags
    from newsdesk.http.purge import invalidate
    from newsdesk.models import Article
    from newsdesk.rendering import render_markdown

    in_body = Article.objects.filter(body__contains=f"(image:{image.pk}")
    shown = []
    for article_id, body in in_body.values_list("pk", "body"):
        # The HTML is derived from the body: no new version, no history entry.
        Article.objects.filter(pk=article_id).update(body_html=render_markdown(body))
        shown.append(tags.entity("article", article_id))
    if shown:
        invalidate(shown)


# --- Renditions --------------------------------------------------------------


@dataclass(frozen=True)
class RenditionSpec:
    widths: tuple[int, ...]
    ratio: tuple[int, int] | None = None


RENDITIONS = {
    "lead": RenditionSpec(widths=(480, 960, 1440)),
    "card": RenditionSpec(widths=(320, 640), ratio=(16, 9)),
    "thumb": RenditionSpec(widths=(160,), ratio=(1, 1)),
}
SOCIAL_SIZE = (1200, 630)
MIME = {"AVIF": "image/avif", "WEBP": "image/webp", "JPEG": "image/jpeg"}


def _offset(focal: int, length: int, window: float) -> int:
    """Where a window along one side starts, as sorl-thumbnail's (and CSS's) percent.

    The window is centred on the focal point as far as the picture allows; the
    percent is of the slack (the part of the side the window leaves out), as in
    CSS's `object-position`.
    """
    slack = length - window
    if slack <= 0:
        return 50
    start = min(max(focal / 100 * length - window / 2, 0), slack)
    return round(start / slack * 100)


def focal_crop(image: Image, ratio: tuple[int, int]) -> str:
    """The crop offset that centres `image`'s focal point in a `ratio` window."""
    width, height = image.width, image.height
    if not (width and height):
        return image.crop  # unknown size: the focal point is at least kept in frame
    wide, high = ratio
    if width * high > height * wide:  # wider than the window: crop the sides
        return f"{_offset(image.focal_x, width, height * wide / high)}% 50%"
    return f"50% {_offset(image.focal_y, height, width * high / wide)}%"


def _formats() -> tuple[str, ...]:
    return ("AVIF", "WEBP", "JPEG") if AVIF_SUPPORTED else ("WEBP", "JPEG")


def _thumbnail(image: Image, geometry: str, **options: Any):
    from sorl.thumbnail import get_thumbnail

    options.setdefault("upscale", False)
    return get_thumbnail(image.file, geometry, quality=80, **options)


@dataclass(frozen=True)
class Renditions:
    sources: tuple[tuple[str, str], ...]  # (MIME type, srcset), best format first
    src: str
    width: int
    height: int


def image_renditions(image: Image, spec_name: str) -> Renditions | None:
    """The `srcset`s of `image` for one spec; None (and a log line) if the file is gone."""
    spec = RENDITIONS[spec_name]
    source_width = image.width or max(spec.widths)
    widths = [w for w in spec.widths if w <= source_width] or [min(spec.widths)]
    try:
        by_format: dict[str, list] = {}
        for fmt in _formats():
            for width in widths:
                if spec.ratio:
                    height = round(width * spec.ratio[1] / spec.ratio[0])
                    thumb = _thumbnail(
                        image,
                        f"{width}x{height}",
                        crop=focal_crop(image, spec.ratio),
                        format=fmt,
                    )
                else:
                    thumb = _thumbnail(image, f"{width}", format=fmt)
                if not thumb.size:  # sorl's stand-in when the source is gone
                    raise FileNotFoundError(image.file.name)
                by_format.setdefault(fmt, []).append(thumb)
    except Exception:  # a missing or unreadable file must not break the page
        logger.exception("No renditions for image %s (%s)", image.pk, image.file.name)
        return None
    largest = by_format["JPEG"][-1]
    return Renditions(
        sources=tuple(
            (MIME[fmt], ", ".join(f"{t.url} {t.width}w" for t in thumbs))
            for fmt, thumbs in by_format.items()
        ),
        src=largest.url,
        width=largest.width,
        height=largest.height,
    )


def image_thumbnail_url(image: Image) -> str | None:
    """The square JPEG of the "thumb" rendition, for lists; None if the file is gone.

    One lookup in the thumbnail store (cached), so a list can show one per row.
    """
    spec = RENDITIONS["thumb"]
    (width,) = spec.widths
    try:
        crop = focal_crop(image, spec.ratio)
        thumb = _thumbnail(image, f"{width}x{width}", crop=crop, format="JPEG")
        if not thumb.size:  # sorl's stand-in when the source is gone
            raise FileNotFoundError(image.file.name)
        return thumb.url
    except Exception:  # a missing or unreadable file must not break the list
        logger.exception("No thumbnail for image %s", image.pk)
        return None


def image_social_url(image: Image) -> str | None:
    """A 1200 × 630 JPEG around the focal point, the shape link previews expect."""
    width, height = SOCIAL_SIZE
    try:
        thumb = _thumbnail(
            image,
            f"{width}x{height}",
            crop=focal_crop(image, SOCIAL_SIZE),
            format="JPEG",
            upscale=True,
        )
        if not thumb.size:  # sorl's stand-in when the source is gone
            raise FileNotFoundError(image.file.name)
        return thumb.url
    except Exception:  # a missing or unreadable file must not break the page
        logger.exception("No social image for image %s", image.pk)
        return None


def image_renditions_warm(*, image: Image) -> None:
    """Make every rendition now, so the first reader does not wait for them."""
    for spec_name in RENDITIONS:
        image_renditions(image, spec_name)
    image_social_url(image)
