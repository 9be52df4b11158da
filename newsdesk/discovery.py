"""Documents that let browsers discover the site: web app manifest, OpenSearch."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import escape

from newsdesk.http.conditional import public_page

THEME_COLOR = "#0b4f8a"


@public_page(max_age=86400, cache_params=())
def web_manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: name, start page, colours and icons."""
    manifest = {
        "name": settings.NEWSDESK_SITE_NAME,
        "short_name": settings.NEWSDESK_SITE_NAME[:12],
        "description": f"{settings.NEWSDESK_SITE_NAME}: reporting on conflict and security.",
        "lang": settings.LANGUAGE_CODE,
        "start_url": reverse("newsdesk:home"),
        "scope": "/",
        "display": "minimal-ui",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": [
            {
                "src": static("img/icon.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
                "purpose": "any",
            }
        ],
    }
    return HttpResponse(
        json.dumps(manifest, ensure_ascii=False, indent=1),
        content_type="application/manifest+json",
    )


@public_page(max_age=86400, cache_params=())
def opensearch_description(request: HttpRequest) -> HttpResponse:
    """The OpenSearch description, so browsers offer the site's search."""
    search_url = request.build_absolute_uri(reverse("newsdesk:search"))
    icon_url = request.build_absolute_uri(static("img/icon.svg"))
    name = escape(settings.NEWSDESK_SITE_NAME)
    body = f"""<?xml version="1.0" encoding="UTF-8"?>
<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">
  <ShortName>{name}</ShortName>
  <Description>Search {name}: articles, incidents, people, recommendations and sources.</Description>
  <InputEncoding>UTF-8</InputEncoding>
  <Language>{escape(settings.LANGUAGE_CODE)}</Language>
  <Image type="image/svg+xml">{escape(icon_url)}</Image>
  <Url type="text/html" method="get" template="{escape(search_url)}?q={{searchTerms}}"/>
  <Url type="application/json" method="get" template="{escape(request.build_absolute_uri(reverse("api:search")))}?q={{searchTerms}}"/>
</OpenSearchDescription>
"""
    return HttpResponse(
        body, content_type="application/opensearchdescription+xml; charset=utf-8"
    )
