"""Checks before publish: what the checks panel shows and what blocks publishing.

Blockers stop `services.article_publish`; warnings only inform. Other apps add
their own checks through `newsdesk.extensions.publish_checks`.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils.html import strip_tags

from newsdesk import extensions
from newsdesk.importing.parser.figures import extract_figures
from newsdesk.importing.parser.text import (
    CandidateFigure,
    split_paragraphs,
    split_sentences,
)
from newsdesk.rendering import Rendering, render

if TYPE_CHECKING:
    from newsdesk.models import Article, Image

HEADLINE_LIMIT = 110  # what search engines show, and schema.org's NewsArticle allows
WORDS_PER_MINUTE = 230

Level = Literal["blocker", "warning", "info"]


@dataclass(frozen=True)
class Check:
    code: str
    level: Level
    message: str
    field: str = ""  # the form field to fix, when there is one


@dataclass
class ArticleDraft:
    """What an editor has written so far: a saved article or the form's contents."""

    headline: str = ""
    standfirst: str = ""
    body: str = ""
    lead_image: Image | None = None
    article_id: int | None = None
    needs_headline: bool = False
    rendering: Rendering = field(init=False)

    def __post_init__(self) -> None:
        self.rendering = render(self.body)

    @classmethod
    def of(cls, article: Article) -> ArticleDraft:
        return cls(
            headline=article.headline,
            standfirst=article.standfirst,
            body=article.body,
            lead_image=article.lead_image,
            article_id=article.pk,
            needs_headline=article.needs_headline,
        )


def word_count(html_text: str) -> int:
    return len(re.findall(r"\w+(?:[’'-]\w+)*", strip_tags(html_text)))


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _article_slugs(links: list[str]) -> dict[str, str]:
    """Slug → link for the links that point at an article page on this site."""
    own_host = urlsplit(settings.NEWSDESK_SITE_URL).hostname
    slugs = {}
    for link in links:
        split = urlsplit(link)
        if split.hostname and split.hostname != own_host:
            continue
        try:
            match = resolve(split.path or "/")
        except Resolver404:
            continue
        if match.view_name == "newsdesk:article_detail":
            slugs[match.kwargs["slug"]] = link
    return slugs


def _core_checks(draft: ArticleDraft) -> list[Check]:
    from newsdesk.models import Article

    found = draft.rendering
    checks: list[Check] = []
    if draft.needs_headline:
        checks.append(
            Check(
                "needs_headline",
                "blocker",
                "The headline is provisional (imported): write the final one.",
                "headline",
            )
        )
    if not draft.body.strip():
        checks.append(Check("empty_body", "blocker", "The body is empty.", "body"))
    image = draft.lead_image
    if image is not None and not image.alt_text.strip() and not image.decorative:
        checks.append(
            Check(
                "lead_image_alt",
                "blocker",
                "The lead image has no alt text: describe it in the library "
                "or mark it decorative.",
                "lead_image",
            )
        )
    untitled = [src for src, alt in found.external_images if not alt.strip()]
    if untitled:
        checks.append(
            Check(
                "body_image_alt",
                "blocker",
                f"{_plural(len(untitled), 'image')} in the body "
                f"{'has' if len(untitled) == 1 else 'have'} no alt text: write it "
                "between the brackets, ![like this](…).",
                "body",
            )
        )
    if found.missing_images:
        ids = ", ".join(str(i) for i in found.missing_images)
        checks.append(
            Check(
                "missing_library_image",
                "blocker",
                f"The body uses library image {ids}, which no longer exists.",
                "body",
            )
        )
    for url in found.blocked_embeds:
        checks.append(
            Check(
                "embed_not_allowed",
                "warning",
                f"Embed not allowed: {url[:80]} (readers see a note with a link).",
                "body",
            )
        )
    headline_length = len(draft.headline)
    if headline_length > HEADLINE_LIMIT:
        checks.append(
            Check(
                "headline_long",
                "warning",
                f"The headline has {headline_length} characters; search engines "
                f"cut it after {HEADLINE_LIMIT}.",
                "headline",
            )
        )
    if not draft.standfirst.strip():
        checks.append(
            Check(
                "no_standfirst",
                "warning",
                "No standfirst: lists, search results and link previews show it.",
                "standfirst",
            )
        )
    slugs = _article_slugs(found.links)
    if slugs:
        unpublished = (
            Article.objects.filter(slug__in=slugs)
            .exclude(pk__in=Article.objects.published().filter(slug__in=slugs))
            .exclude(pk=draft.article_id)
            .values_list("slug", flat=True)
        )
        for slug in sorted(set(unpublished)):
            checks.append(
                Check(
                    "link_unpublished",
                    "warning",
                    f"The body links to an article readers cannot see yet: {slug}.",
                    "body",
                )
            )
        missing = set(slugs) - set(
            Article.objects.filter(slug__in=slugs).values_list("slug", flat=True)
        )
        for slug in sorted(missing):
            checks.append(
                Check(
                    "link_missing",
                    "warning",
                    f"The body links to an article that does not exist: {slug}.",
                    "body",
                )
            )
    words = word_count(found.html)
    minutes = max(1, math.ceil(words / WORDS_PER_MINUTE)) if words else 0
    checks.append(
        Check(
            "length",
            "info",
            f"{_plural(words, 'word')} · {_plural(minutes, 'minute')} to read.",
        )
    )
    return checks


def article_checks(draft: ArticleDraft) -> list[Check]:
    """Every check for `draft`: blockers first, then warnings, then information."""
    checks = _core_checks(draft)
    for extra in extensions.publish_checks:
        checks.extend(extra(draft))
    order = {"blocker": 0, "warning": 1, "info": 2}
    return sorted(checks, key=lambda check: order[check.level])


def publish_blockers(article: Article) -> list[str]:
    """Messages of what stops `article` from being published; empty when nothing does."""
    return [
        check.message
        for check in article_checks(ArticleDraft.of(article))
        if check.level == "blocker"
    ]


def publish_label(checks: list[Check]) -> str:
    """The publish button's label: what is missing, when something is."""
    blockers = [check for check in checks if check.level == "blocker"]
    if not blockers:
        return "Publish or schedule"
    return f"Cannot publish yet: fix {_plural(len(blockers), 'problem')}"


def quoted_figures(draft: ArticleDraft) -> list[CandidateFigure]:
    """Numbers the body states with what they count ("67 inmates were killed")."""
    return list(_figures_in(draft.rendering.html))


@lru_cache(maxsize=64)
def _figures_in(body_html: str) -> tuple[CandidateFigure, ...]:
    # The same body is checked on every opening of its change form and again
    # by the publish button: read once a process while it stays the same.
    text = strip_tags(body_html.replace("</p>", "</p>\n\n"))
    return tuple(
        extract_figures(
            [
                sentence
                for paragraph in split_paragraphs(html.unescape(text))
                for sentence in split_sentences(paragraph)
            ]
        )
    )
