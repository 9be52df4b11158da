"""How articles show in lists, forms and the dashboard: one badge, one byline."""

from __future__ import annotations

import datetime
import html

from django.utils import timezone
from django.utils.safestring import mark_safe

from newsdesk.media import image_thumbnail_url
from newsdesk.models import Article, ArticleStatus


class ListTimes:
    """The local time zone and year a list's times are shown in, read once for
    its page instead of once per cell."""

    def __init__(self) -> None:
        self.zone = timezone.get_current_timezone()
        self.year = timezone.now().astimezone(self.zone).year

    def compact(self, moment: datetime.datetime | None) -> str:
        """ "2 Dec 13:10" this year, "31 Jan 2022 12:00" before; local time."""
        if moment is None:
            return "—"
        moment = moment.astimezone(self.zone)
        year = "" if moment.year == self.year else f" {moment.year}"
        return f"{moment.day} {moment:%b}{year} {moment:%H:%M}"


def compact_time(moment: datetime.datetime | None) -> str:
    """ "2 Dec 13:10" this year, "31 Jan 2022 12:00" before; local time."""
    return ListTimes().compact(moment)


# The badges' words, looked up once instead of by the model's display method.
_STATUS_LABELS = dict(ArticleStatus.choices)


def status_badge(article: Article, times: ListTimes | None = None) -> str:
    """The article's status as a coloured badge, with the time when scheduled."""
    # html.escape is what format_html's escaping does, without its lazy-text
    # wrapper: a list shows one badge per row.
    if article.is_scheduled():
        when = (times or ListTimes()).compact(article.publish_at)
        return mark_safe(
            '<span class="nd-status nd-status--scheduled">Scheduled for '
            f"{html.escape(when)}</span>"
        )
    label = _STATUS_LABELS.get(article.status, article.status)
    return mark_safe(
        f'<span class="nd-status nd-status--{html.escape(str(article.status))}">'
        f"{html.escape(str(label))}</span>"
    )


def lead_thumbnail(article: Article) -> str:
    """The lead image as a small square beside the headline, or an empty frame.

    Reads `article.lead_image` as selected with the row: no query of its own.
    """
    image = article.lead_image if article.lead_image_id else None
    url = image_thumbnail_url(image) if image is not None else None
    if url is None:
        title = "No lead image" if image is None else "The image file is missing"
        return mark_safe(
            f'<span class="nd-list-thumb nd-list-thumb--none" title="{title}"></span>'
        )
    # The headline beside it names the article, so the picture is not announced.
    return mark_safe(
        f'<img src="{html.escape(url)}" width="48" height="48" alt=""'
        ' class="nd-list-thumb" loading="lazy" decoding="async">'
    )


def byline(article: Article) -> str:
    """Authors' names in byline order, from prefetched `article_authors` rows."""
    return ", ".join(row.person.name for row in article.article_authors.all())


def word_count(article: Article) -> int:
    """Words in the body, as an editor would count them."""
    return len(article.body.split())
