"""How articles show in lists, forms and the dashboard: one badge, one byline."""

from __future__ import annotations

from django.utils import timezone
from django.utils.html import format_html

from newsdesk.models import Article


def status_badge(article: Article) -> str:
    """The article's status as a coloured badge, with the time when scheduled."""
    if article.is_scheduled():
        when = timezone.localtime(article.publish_at).strftime("%Y-%m-%d %H:%M")
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
