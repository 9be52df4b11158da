"""HEAD answers like GET, with the same headers and no body, on every GET route."""

import pytest
from django.urls import URLResolver, get_resolver, reverse

from tests.factories import (
    ActorFactory,
    ArticleFactory,
    FigureFactory,
    IncidentFactory,
    PersonFactory,
    PlaceFactory,
    RecommendationFactory,
    SourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

# Routes that only take writes.
WRITE_ONLY = {
    "newsdesk:comment_post",
    "api:article-publish",
    "api:recommendation-set-status",
}
# Namespaces behind a staff login under /admin/ (the admin, the body editor's
# endpoints): their HEAD answers are checked with their own tests.
STAFF_ONLY = {"admin", "editing"}
# Headers that may differ between two answers to the same request.
PER_ANSWER = {"x-cache", "date", "content-security-policy", "set-cookie"}


def _route_names(patterns, namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in STAFF_ONLY:
                continue
            inner = namespace
            if pattern.namespace:
                inner = (
                    f"{namespace}:{pattern.namespace}"
                    if namespace
                    else pattern.namespace
                )
            yield from _route_names(pattern.url_patterns, inner)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


@pytest.fixture
def samples():
    topic = TopicFactory()
    person = PersonFactory()
    source = SourceFactory()
    article = ArticleFactory(
        published=True, topics=[topic], authors=[person], source=source
    )
    incident = IncidentFactory(status="published", place=PlaceFactory())
    incident.articles.add(article)
    figure = FigureFactory(incident=incident)
    actor = ActorFactory()
    recommendation = RecommendationFactory()
    by_pk = {
        "article": article,
        "source": source,
        "person": person,
        "topic": topic,
        "incident": incident,
        "actor": actor,
        "place": incident.place,
        "figure": figure,
        "recommendation": recommendation,
    }
    urls = {
        "newsdesk:home": reverse("newsdesk:home"),
        "newsdesk:article_detail": article.get_absolute_url(),
        "newsdesk:source_detail": reverse("newsdesk:source_detail", args=[source.slug]),
        "newsdesk:person_detail": reverse("newsdesk:person_detail", args=[person.slug]),
        "newsdesk:topic_detail": reverse("newsdesk:topic_detail", args=[topic.slug]),
        "newsdesk:search": reverse("newsdesk:search") + "?q=prison",
        "newsdesk:robots_txt": reverse("newsdesk:robots_txt"),
        "newsdesk:favicon": reverse("newsdesk:favicon"),
        "newsdesk:web_manifest": reverse("newsdesk:web_manifest"),
        "newsdesk:opensearch": reverse("newsdesk:opensearch"),
        "api:search": reverse("api:search") + "?q=prison",
        "newsdesk:feed_latest": reverse("newsdesk:feed_latest"),
        "newsdesk:feed_latest_atom": reverse("newsdesk:feed_latest_atom"),
        "newsdesk:feed_topic": reverse("newsdesk:feed_topic", args=[topic.slug]),
        "newsdesk:feed_topic_atom": reverse(
            "newsdesk:feed_topic_atom", args=[topic.slug]
        ),
        "newsdesk:feed_incident": reverse(
            "newsdesk:feed_incident", args=[incident.slug]
        ),
        "newsdesk:feed_incident_atom": reverse(
            "newsdesk:feed_incident_atom", args=[incident.slug]
        ),
        "newsdesk:feed_corrections": reverse("newsdesk:feed_corrections"),
        "newsdesk:feed_corrections_atom": reverse("newsdesk:feed_corrections_atom"),
        "newsdesk:sitemap": reverse("newsdesk:sitemap"),
        "newsdesk:news_sitemap": reverse("newsdesk:news_sitemap"),
        "newsdesk:sitemap_section": reverse(
            "newsdesk:sitemap_section", kwargs={"section": "articles"}
        ),
        "incidents:incident_list": reverse("incidents:incident_list"),
        "incidents:incident_detail": incident.get_absolute_url(),
        "incidents:recommendation_tracker": reverse("incidents:recommendation_tracker"),
        "api:api-root": reverse("api:api-root"),
        "api:schema": reverse("api:schema"),
        "api:docs": reverse("api:docs"),
        "api:redoc": reverse("api:redoc"),
    }
    for basename, row in by_pk.items():
        urls[f"api:{basename}-list"] = reverse(f"api:{basename}-list")
        urls[f"api:{basename}-detail"] = reverse(
            f"api:{basename}-detail", args=[row.pk]
        )
    return urls


def test_every_get_route_is_sampled(samples):
    names = set(_route_names(get_resolver().url_patterns)) - WRITE_ONLY
    assert names <= set(samples), (
        f"add a sample URL for: {sorted(names - set(samples))}"
    )


def test_head_answers_like_get_on_every_get_route(client, samples):
    for name, url in samples.items():
        head = client.head(url)
        get = client.get(url)
        assert get.status_code == 200, (name, url, get.status_code)
        assert head.status_code == get.status_code, (name, url, head.status_code)
        assert head.content == b"", name
        head_headers = {
            k.lower(): v for k, v in head.items() if k.lower() not in PER_ANSWER
        }
        get_headers = {
            k.lower(): v for k, v in get.items() if k.lower() not in PER_ANSWER
        }
        assert head_headers == get_headers, name


def test_unknown_methods_are_refused_with_the_allowed_ones(client, samples):
    response = client.put(samples["newsdesk:article_detail"])
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
