"""How articles show in lists, forms and the dashboard: one badge, one byline."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.html import format_html

from newsdesk.media import image_thumbnail_url
from newsdesk.models import Article


def compact_time(moment: datetime.datetime | None) -> str:
    """ "2 Dec 13:10" this year, "31 Jan 2022 12:00" before; local time."""
    if moment is None:
        return "—"
    moment = timezone.localtime(moment)
    year = "" if moment.year == timezone.localtime().year else f" {moment.year}"
    return f"{moment.day} {moment:%b}{year} {moment:%H:%M}"


def status_badge(article: Article) -> str:
    """The article's status as a coloured badge, with the time when scheduled."""
    if article.is_scheduled():
        when = compact_time(article.publish_at)
        return format_html(
            '<span class="nd-status nd-status--scheduled">Scheduled for {}</span>',
            when,
        )
    return format_html(
        '<span class="nd-status nd-status--{}">{}</span>',
        article.status,
        article.display_status,
    )


def lead_thumbnail(article: Article) -> str:
    """The lead image as a small square beside the headline, or an empty frame.

    Reads `article.lead_image` as selected with the row: no query of its own.
    """
    image = article.lead_image if article.lead_image_id else None
    url = image_thumbnail_url(image) if image is not None else None
    if url is None:
        return format_html(
            '<span class="nd-list-thumb nd-list-thumb--none" title="{}"></span>',
            "No lead image" if image is None else "The image file is missing",
        )
    # The headline beside it names the article, so the picture is not announced.
    return format_html(
        '<img src="{}" width="48" height="48" alt="" class="nd-list-thumb"'
        ' loading="lazy" decoding="async">',
        url,
    )


def byline(article: Article) -> str:
    """Authors' names in byline order, from prefetched `article_authors` rows."""
    return ", ".join(row.person.name for row in article.article_authors.all())


def word_count(article: Article) -> int:
    """Words in the body, as an editor would count them."""
    return len(article.body.split())
