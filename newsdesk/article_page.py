"""The article page's read model: its rendered head and body, kept per article.

Building a page takes a dozen queries and most of the rendering; the result is
kept in the cache under the article's id, stamped with its version, last
change and the site's origin. A stored page is used only while the rows it
shows are exactly the visible ones among those it refers to (one query,
through `published()` and each section's own gate), so nothing unpublished
is ever shown from it; otherwise it is rebuilt. Writes to what a page shows
forget the stored page (`article_page_forget`), and entries expire after
`ARTICLE_PAGE_SECONDS` in any case.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from newsdesk.extensions import article_sections
from newsdesk.models import Article, RelatedLink
from newsdesk.selectors import (
    article_for_preview,
    article_for_public,
    article_related,
    visible_article_ids,
)

ARTICLE_PAGE_SECONDS = 600
# Raised whenever the stored shape or the page templates change.
ARTICLE_PAGE_FORMAT = 1
_KEY = "newsdesk:article-page:{format}:{pk}"

Refs = dict[str, set[int]]


@dataclass
class ArticlePage:
    """What the article page template prints: head tags and the article itself."""

    head: SafeString
    content: SafeString
    stamp: tuple = ()
    references: Refs = field(default_factory=dict)
    shown: Refs = field(default_factory=dict)


def _key(pk: int) -> str:
    return _KEY.format(format=ARTICLE_PAGE_FORMAT, pk=pk)


def _stamp(article: Article, request: HttpRequest) -> tuple:
    return (
        article.version,
        article.updated_at.isoformat(),
        request.scheme,
        request.get_host(),
    )


def _merge(into: Refs, more: Refs) -> None:
    for kind, ids in more.items():
        into.setdefault(kind, set()).update(ids)


def _visible(references: Refs) -> Refs:
    """The visible rows among `references`, by kind, from one query."""
    parts = []
    if references.get("article"):
        parts.append(visible_article_ids(references["article"]))
    parts.extend(
        rows
        for section in article_sections
        if (rows := section.visible(references)) is not None
    )
    visible: Refs = {}
    if parts:
        rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        for kind, pk in rows:
            visible.setdefault(kind, set()).add(pk)
    return visible


def _same(a: Refs, b: Refs) -> bool:
    kinds = set(a) | set(b)
    return all(a.get(kind, set()) == b.get(kind, set()) for kind in kinds)


def _build(article: Article, request: HttpRequest, *, is_preview: bool) -> ArticlePage:
    related = article_related(article=article)
    references: Refs = {
        "article": set(
            RelatedLink.objects.filter(article=article, target__isnull=False)
            .order_by()
            .values_list("target_id", flat=True)
        )
        | {a.pk for a in related}
    }
    shown: Refs = {
        "article": {link.target_id for link in article.public_related_links}
        | {a.pk for a in related}
    }
    shown["article"].discard(None)
    for section in article_sections:
        _merge(references, section.references(article))
        _merge(shown, section.shown(article))
    context = {"article": article, "is_preview": is_preview}
    sections = [
        render_to_string(section.template_name, context, request)
        for section in article_sections
        if section.template_name
    ]
    return ArticlePage(
        head=mark_safe(
            render_to_string("newsdesk/article/head.html", context, request)
        ),
        content=mark_safe(
            render_to_string(
                "newsdesk/article/content.html",
                {
                    **context,
                    "sections": [mark_safe(html) for html in sections],
                    "related_articles": related,
                },
                request,
            )
        ),
        stamp=_stamp(article, request),
        references=references,
        shown=shown,
    )


def article_page(*, article: Article, request: HttpRequest) -> ArticlePage:
    """The page of the published `article` (any loaded row of it), stored or built."""
    stamp = _stamp(article, request)
    page = cache.get(_key(article.pk))
    if (
        page is not None
        and page.stamp == stamp
        and _same(_visible(page.references), page.shown)
    ):
        return page
    full = article_for_public(slug=article.slug)
    if full is None:  # unpublished in the meantime
        raise Article.DoesNotExist
    page = _build(full, request, is_preview=False)
    if page.stamp == stamp:
        cache.set(_key(article.pk), page, ARTICLE_PAGE_SECONDS)
    return page


def article_preview_page(*, article: Article, request: HttpRequest) -> ArticlePage:
    """The page of any article as staff preview it; built every time, never stored."""
    return _build(article_for_preview(pk=article.pk), request, is_preview=True)


def article_page_forget(*, article_ids) -> None:
    """Drop the stored pages of these articles, after a write to what they show."""
    cache.delete_many([_key(pk) for pk in article_ids])


def _forget_article_of(sender, instance, **kwargs) -> None:
    article_page_forget(article_ids=[instance.article_id])


def _forget_pages_linking_to(sender, instance, **kwargs) -> None:
    # The article's own page follows its version; pages linking to it show its
    # headline.
    article_page_forget(
        article_ids=RelatedLink.objects.filter(target=instance).values_list(
            "article_id", flat=True
        )
    )


def _forget_topics_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action.startswith("post_"):
        article_page_forget(article_ids=pk_set or () if reverse else [instance.pk])


def connect_receivers() -> None:
    """Forget stored pages when rows they show change (called from `ready`)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from newsdesk.models import ArticleAuthor, Correction, Quote

    for model in (Quote, Correction, RelatedLink, ArticleAuthor):
        for signal in (post_save, post_delete):
            signal.connect(
                _forget_article_of,
                sender=model,
                dispatch_uid=f"article_page_forget_{model._meta.model_name}",
            )
    post_save.connect(
        _forget_pages_linking_to, sender=Article, dispatch_uid="article_page_links"
    )
    m2m_changed.connect(
        _forget_topics_changed,
        sender=Article.topics.through,
        dispatch_uid="article_page_topics",
    )
