"""How articles show in lists, forms and the dashboard: one badge, one byline."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.html import format_html

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


def byline(article: Article) -> str:
    """Authors' names in byline order, from prefetched `article_authors` rows."""
    return ", ".join(row.person.name for row in article.article_authors.all())


def word_count(article: Article) -> int:
    """Words in the body, as an editor would count them."""
    return len(article.body.split())
