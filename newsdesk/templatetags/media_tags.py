"""Template helpers for library images: responsive <picture> and social crops."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from newsdesk.media import image_renditions, image_social_url
from newsdesk.models import Image

register = template.Library()


@register.simple_tag
def picture(
    image: Image | None,
    spec: str,
    sizes: str = "100vw",
    loading: str = "lazy",
    alt: str | None = None,
) -> SafeString | str:
    """`<picture>` with AVIF/WebP/JPEG `srcset`s of `image`, or nothing without one.

    `alt=""` where a link beside the picture already says what it shows.
    """
    if image is None:
        return ""
    renditions = image_renditions(image, spec)
    if renditions is None:
        return ""
    sources = format_html_join(
        "",
        '<source type="{}" srcset="{}" sizes="{}">',
        ((mime, srcset, sizes) for mime, srcset in renditions.sources[:-1]),
    )
    fallback_srcset = renditions.sources[-1][1]
    priority = ' fetchpriority="high"' if loading == "eager" else ""
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" '
        'alt="{}" loading="{}" decoding="async"{}></picture>',
        sources,
        renditions.src,
        fallback_srcset,
        sizes,
        renditions.width,
        renditions.height,
        image.reader_alt if alt is None else alt,
        loading,
        mark_safe(priority),
    )


@register.simple_tag
def social_image_url(image: Image | None) -> str:
    """Path of the 1200 × 630 crop for link previews, or empty."""
    if image is None:
        return ""
    return image_social_url(image) or ""
