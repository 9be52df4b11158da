"""Every public URL of the site, discovered from the URLconf.

A new named route that takes parameters this module does not know how to
fill makes `public_urls()` report it, so the attack suites cannot silently
miss a surface.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from incidents import models as im
from newsdesk import models as nm

# Routes that only answer POST, or are the login-protected back office.
SKIPPED_NAMESPACES = {"admin"}
POST_ONLY = {"newsdesk:comment_post"}
# Pages built from code, not content: the API schema and its viewers.
CONTENT_FREE = {"api:schema", "api:docs", "api:redoc"}

# Router basenames to the model whose ids fill `pk`.
API_MODELS: dict[str, type[models.Model]] = {
    "article": nm.Article,
    "source": nm.Source,
    "person": nm.Person,
    "topic": nm.Topic,
    "incident": im.Incident,
    "actor": im.Actor,
    "place": im.Place,
    "figure": im.Figure,
    "recommendation": im.Recommendation,
}

# Page routes taking a slug, to the model whose slugs fill it.
SLUG_MODELS: dict[str, type[models.Model]] = {
    "newsdesk:source_detail": nm.Source,
    "newsdesk:person_detail": nm.Person,
    "newsdesk:topic_detail": nm.Topic,
    "newsdesk:feed_topic": nm.Topic,
    "newsdesk:feed_topic_atom": nm.Topic,
    "newsdesk:feed_incident": im.Incident,
    "newsdesk:feed_incident_atom": im.Incident,
    "incidents:incident_detail": im.Incident,
}

# Alternative renderings an API list or detail may offer.
API_FORMATS = ("json", "csv", "geojson")


@dataclass
class Route:
    name: str
    params: tuple[str, ...]


@dataclass
class Surfaces:
    urls: list[str] = field(default_factory=list)
    unhandled: list[str] = field(default_factory=list)


def _params(pattern) -> tuple[str, ...]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters:
        return tuple(converters)
    regex = getattr(pattern.pattern, "regex", None)
    if regex is not None:
        return tuple(regex.groupindex)
    return ()


def named_routes(resolver=None, namespace: str = "", inherited=()) -> Iterator[Route]:
    """Yield every named route with the URL parameters it needs."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            space = namespace
            if entry.namespace:
                space = f"{namespace}{entry.namespace}:"
            yield from named_routes(entry, space, (*inherited, *_params(entry)))
        elif isinstance(entry, URLPattern) and entry.name:
            yield Route(f"{namespace}{entry.name}", (*inherited, *_params(entry)))


def _sitemap_sections() -> list[str]:
    from newsdesk.sitemaps import SITEMAPS

    return list(SITEMAPS)


def public_urls(extra_queries: tuple[str, ...] = ()) -> Surfaces:
    """Every public GET URL for the objects now in the database.

    Includes the URLs of unpublished objects too: they must answer 404 (or
    410 for a retracted article) and show nothing.
    """
    found = Surfaces()
    seen: set[str] = set()

    def add(url: str) -> None:
        if url not in seen:
            seen.add(url)
            found.urls.append(url)

    for route in named_routes():
        space = route.name.split(":")[0] if ":" in route.name else ""
        if space in SKIPPED_NAMESPACES or route.name in POST_ONLY | CONTENT_FREE:
            continue
        params = set(route.params)
        if not params:
            add(reverse(route.name))
            continue
        if params == {"format"}:
            # DRF's format-suffix twin of a list route; covered by ?format= below.
            continue
        if route.name.startswith("api:") and route.name.endswith("-detail"):
            basename = route.name[4:-7]
            model = API_MODELS.get(basename)
            if model is None:
                found.unhandled.append(route.name)
                continue
            if "format" in params:
                continue
            for pk in model.objects.values_list("pk", flat=True):
                add(reverse(route.name, kwargs={"pk": pk}))
            continue
        if route.name.startswith("api:") and params <= {"pk", "format"}:
            # Detail actions (publish, status) only take POST: the write tests.
            continue
        if route.name == "newsdesk:article_detail":
            for article in nm.Article.objects.all():
                add(article.get_absolute_url())
            continue
        if route.name in SLUG_MODELS and params == {"slug"}:
            for slug in SLUG_MODELS[route.name].objects.values_list("slug", flat=True):
                add(reverse(route.name, kwargs={"slug": slug}))
            continue
        if params == {"app_label", "model_name", "object_id"}:
            # The editors' autosave and presence endpoints, one per article.
            for pk in nm.Article.objects.values_list("pk", flat=True):
                add(
                    reverse(
                        route.name,
                        kwargs={
                            "app_label": "newsdesk",
                            "model_name": "article",
                            "object_id": pk,
                        },
                    )
                )
            continue
        if params == {"section"}:
            for section in _sitemap_sections():
                add(reverse(route.name, kwargs={"section": section}))
            continue
        found.unhandled.append(f"{route.name} {sorted(params)}")

    api_lists = [
        u for u in list(found.urls) if u.startswith("/api/v1/") and u.count("/") == 4
    ]
    for url in api_lists:
        add(f"{url}?page_size=100")
        for fmt in API_FORMATS:
            add(f"{url}?page_size=100&format={fmt}")
    for query in extra_queries:
        add(f"/search/?q={query}")
        add(f"/api/v1/articles/?q={query}&page_size=100")
        add(f"/api/v1/search/?q={query}")
        # Each kind of the site search, and a misspelling that it corrects.
        for kind in ("article", "incident", "person", "recommendation", "source"):
            add(f"/api/v1/search/?q={query}&type={kind}")
        add(f"/search/?q={query[:-1]}")
    return found
