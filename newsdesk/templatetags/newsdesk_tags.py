"""Template helpers for public pages: JSON-LD, absolute URLs, bylines."""

from __future__ import annotations

import json

from django import template
from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from newsdesk.links import absolute_url, canonical_url
from newsdesk.media import image_renditions, image_social_url
from newsdesk.models import Article

register = template.Library()

# The escapes Django's json_script uses: "</script>" and HTML comments cannot
# end the element early.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def jsonld(data: dict) -> SafeString:
    """A JSON-LD data block, escaped so its contents cannot close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(
        _JSON_ESCAPES
    )
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(text)
    )


@register.simple_tag(takes_context=True)
def absolute(context, path: str) -> str:
    """`path` as an absolute URL on this site."""
    return absolute_url(path, request=context.get("request"))


@register.simple_tag(takes_context=True)
def canonical(context, article: Article) -> str:
    """The article's canonical URL (the original publisher's when syndicated)."""
    return canonical_url(article, request=context.get("request"))


@register.simple_tag(takes_context=True)
def article_jsonld(context, article: Article) -> SafeString:
    """schema.org NewsArticle for `article`, including corrections and syndication."""
    request = context.get("request")
    url = absolute_url(article.get_absolute_url(), request=request)
    data: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline[:110],
        "url": url,
        "mainEntityOfPage": canonical_url(article, request=request),
        "inLanguage": article.language,
        "datePublished": article.publish_at.isoformat() if article.publish_at else None,
        "dateModified": (
            article.substantive_update_at or article.updated_at or article.publish_at
        ).isoformat(),
        "author": [
            {
                "@type": "Person",
                "name": byline.person.name,
                "url": absolute_url(byline.person.get_absolute_url(), request=request),
            }
            for byline in article.article_authors.all()
        ],
        "publisher": {
            "@type": "Organization",
            "name": settings.NEWSDESK_SITE_NAME,
            "url": absolute_url("/", request=request),
        },
    }
    if article.standfirst:
        data["description"] = article.standfirst
    if article.lead_image:
        images = [image_social_url(article.lead_image)]
        lead = image_renditions(article.lead_image, "lead")
        if lead is not None:
            images.append(lead.src)
        data["image"] = [absolute_url(url, request=request) for url in images if url]
    topics = [topic.name for topic in article.topics.all()]
    if topics:
        data["keywords"] = topics
    if article.original_url or article.source_id:
        based_on: dict = {"@type": "NewsArticle"}
        if article.original_url:
            based_on["url"] = article.original_url
        if article.source_id:
            based_on["publisher"] = {
                "@type": "Organization",
                "name": article.source.name,
            }
        data["isBasedOn"] = based_on
    corrections = list(article.corrections.all())
    if corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.note,
                "datePublished": correction.published_at.isoformat(),
            }
            for correction in corrections
        ]
    return jsonld({k: v for k, v in data.items() if v is not None})


@register.simple_tag(takes_context=True)
def retraction_jsonld(context, article: Article) -> SafeString:
    """schema.org NewsArticle marked retracted: what was withdrawn, when and why."""
    request = context.get("request")
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline[:110],
        "url": absolute_url(article.get_absolute_url(), request=request),
        "inLanguage": article.language,
        "datePublished": article.publish_at.isoformat(),
        "creativeWorkStatus": "Retracted",
        "dateModified": article.retracted_at.isoformat(),
        "correction": {
            "@type": "CorrectionComment",
            "name": "Retraction",
            "text": article.retraction_note,
            "datePublished": article.retracted_at.isoformat(),
        },
        "publisher": {
            "@type": "Organization",
            "name": settings.NEWSDESK_SITE_NAME,
            "url": absolute_url("/", request=request),
        },
    }
    return jsonld(data)


@register.simple_tag
def byline(article: Article) -> SafeString:
    """Linked author names: “A, B and C”."""
    people = [b.person for b in article.article_authors.all()]
    links = [
        format_html('<a href="{}">{}</a>', p.get_absolute_url(), p.name) for p in people
    ]
    if len(links) <= 1:
        return mark_safe("".join(links))
    return format_html(
        "{} and {}",
        format_html_join(", ", "{}", ((link,) for link in links[:-1])),
        links[-1],
    )


@register.filter
def isotime(value) -> str:
    """An ISO 8601 timestamp without fractions of a second, as HTML <time> wants."""
    if not value:
        return ""
    return value.replace(microsecond=0).isoformat()


@register.filter
def language_label(code: str) -> str:
    """The English name of a language tag such as `it` or `pt-BR`, else the tag."""
    from django.utils.translation import get_language_info

    for candidate in (code, (code or "").split("-")[0]):
        try:
            return get_language_info(candidate.lower())["name"]
        except KeyError:
            continue
    return code
