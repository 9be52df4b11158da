"""Documents that let browsers discover the site: web app manifest, OpenSearch."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

from newsdesk.http.conditional import public_page

THEME_COLOR = "#0b4f8a"


@require_GET
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
