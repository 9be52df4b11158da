"""Cache tags: every public answer names what it shows; a write purges exactly that.

Pages that show what changed are rendered again; every other stored page
keeps being served from the cache.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from newsdesk import services
from newsdesk.http import tags as cache_tags
from newsdesk.models import Article
from tests.factories import (
    ArticleFactory,
    FigureFactory,
    IncidentFactory,
    PersonFactory,
    SourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def _tags(response) -> set[str]:
    return set(response["Surrogate-Key"].split())


def _cached(client, url) -> bool:
    return client.get(url)["X-Cache"] == "HIT"


@pytest.fixture
def desk():
    syria = TopicFactory(slug="syria", name="Syria")
    iraq = TopicFactory(slug="iraq", name="Iraq")
    author = PersonFactory()
    source = SourceFactory()
    lead = ArticleFactory(
        published=True, topics=[syria], authors=[author], source=source
    )
    other = ArticleFactory(published=True, topics=[syria])
    elsewhere = ArticleFactory(published=True, topics=[iraq])
    return {
        "syria": syria,
        "iraq": iraq,
        "author": author,
        "source": source,
        "lead": lead,
        "other": other,
        "elsewhere": elsewhere,
    }


def test_an_article_page_names_what_it_shows(client, desk):
    lead = desk["lead"]
    response = client.get(lead.get_absolute_url())
    tags = _tags(response)
    assert {
        f"article:{lead.pk}",
        "topic:syria",
        f"person:{desk['author'].pk}",
        f"source:{desk['source'].pk}",
        "all",
    } <= tags
    assert set(response["Cache-Tag"].split(",")) == tags
    # What the page does not show is not named.
    assert f"article:{desk['elsewhere'].pk}" not in tags
    assert "list:articles" not in tags


def test_lists_name_their_collection_and_their_rows(client, desk):
    home = _tags(client.get("/"))
    assert "list:articles" in home
    assert {f"article:{a.pk}" for a in (desk["lead"], desk["other"])} <= home
    topic = _tags(client.get("/topics/syria/"))
    assert {"list:topic:syria", "topic:syria", f"article:{desk['lead'].pk}"} <= topic
    feed = _tags(client.get("/feeds/topics/syria/rss/"))
    assert "list:topic:syria" in feed
    assert "feed:corrections" in _tags(client.get("/feeds/corrections/rss/"))
    # The API's first page names the head of the list (see test_list_windows).
    api = _tags(client.get("/api/v1/articles/"))
    assert {"list:articles:head", f"article:{desk['lead'].pk}"} <= api
    incident = IncidentFactory(status="published")
    csv = _tags(client.get("/api/v1/incidents/?format=csv"))
    assert {"list:incidents", f"incident:{incident.pk}"} <= csv


def test_publishing_purges_its_lists_and_keeps_other_pages(client, editor, desk):
    draft = ArticleFactory(topics=[desk["syria"]], headline="Fresh report")
    pages = [
        "/",
        "/topics/syria/",
        "/feeds/latest/rss/",
        "/feeds/topics/syria/rss/",
        "/api/v1/articles/",
        "/sitemap-articles.xml",
    ]
    untouched = [
        desk["other"].get_absolute_url(),
        desk["elsewhere"].get_absolute_url(),
        "/topics/iraq/",
        "/feeds/topics/iraq/rss/",
    ]
    for url in pages + untouched:
        client.get(url)
        assert _cached(client, url), url

    services.article_publish(article=draft, user=editor)

    for url in pages:
        response = client.get(url)
        assert response["X-Cache"] == "MISS", url
        assert b"Fresh report" in response.content or url.startswith("/sitemap")
    for url in untouched:
        assert _cached(client, url), url


def test_editing_an_article_purges_the_pages_showing_it(client, editor, desk):
    # `other` shares a topic, so it shows `lead` under "You may also like".
    lead, other = desk["lead"], desk["elsewhere"]
    urls = [lead.get_absolute_url(), other.get_absolute_url(), "/", "/topics/iraq/"]
    for url in urls:
        client.get(url)
    lead = Article.objects.get(pk=lead.pk)
    lead.headline = "Corrected headline"
    lead.save()
    assert b"Corrected headline" in client.get(lead.get_absolute_url()).content
    assert b"Corrected headline" in client.get("/").content
    assert _cached(client, other.get_absolute_url())
    assert _cached(client, "/topics/iraq/")


def test_a_correction_purges_the_article_and_the_corrections_feed(client, editor, desk):
    lead, other = desk["lead"], desk["elsewhere"]
    for url in (
        lead.get_absolute_url(),
        "/feeds/corrections/rss/",
        other.get_absolute_url(),
    ):
        client.get(url)
    services.correction_add(article=lead, user=editor, note="Hasakah, not Raqqa.")
    assert b"not Raqqa" in client.get(lead.get_absolute_url()).content
    assert b"not Raqqa" in client.get("/feeds/corrections/rss/").content
    assert _cached(client, other.get_absolute_url())


def test_renaming_a_topic_purges_the_pages_naming_it(client, desk):
    lead, elsewhere = desk["lead"], desk["elsewhere"]
    for url in (lead.get_absolute_url(), elsewhere.get_absolute_url()):
        client.get(url)
    desk["syria"].name = "Syria and its borders"
    desk["syria"].save()
    assert b"Syria and its borders" in client.get(lead.get_absolute_url()).content
    assert _cached(client, elsewhere.get_absolute_url())


def test_a_figure_purges_its_incident_and_the_articles_covering_it(client, desk):
    incident = IncidentFactory(status="published")
    incident.articles.add(desk["lead"])
    urls = [
        desk["lead"].get_absolute_url(),
        incident.get_absolute_url(),
        desk["other"].get_absolute_url(),
    ]
    for url in urls:
        client.get(url)
    assert f"incident:{incident.pk}" in _tags(client.get(urls[0]))
    FigureFactory(incident=incident, low=41, high=41)
    assert client.get(urls[0])["X-Cache"] == "MISS"
    assert client.get(urls[1])["X-Cache"] == "MISS"
    assert _cached(client, urls[2])


def test_saving_a_draft_purges_nothing(desk):
    tracked = ["list:articles", "list:topic:syria", "topic:syria"]
    cache_tags.ensure_versions(tracked)
    before = cache_tags.tag_versions(tracked)
    draft = ArticleFactory(topics=[desk["syria"]])
    draft.headline = "Still a draft"
    draft.save()
    assert cache_tags.tag_versions(tracked) == before


def test_crowded_kinds_fold_into_their_collection(client):
    ArticleFactory.create_batch(cache_tags.MAX_TAGS_PER_KIND + 1, published=True)
    tags = _tags(client.get("/sitemap-articles.xml"))
    assert "list:articles" in tags
    assert not any(tag.startswith("article:") for tag in tags)
    assert len(client.get("/sitemap-articles.xml")["Surrogate-Key"]) < 1000


def test_anonymous_answers_are_shared_and_staff_answers_stored_nowhere(
    client, editor, desk
):
    url = desk["lead"].get_absolute_url()
    public = client.get(url)["Cache-Control"]
    for directive in (
        "public",
        "max-age=60",
        "s-maxage=3600",
        "stale-while-revalidate=60",
        "stale-if-error=86400",
    ):
        assert directive in public
    staff = Client()
    staff.force_login(editor)
    answer = staff.get(url)
    assert "private" in answer["Cache-Control"]
    assert "no-store" in answer["Cache-Control"]
    assert not answer.has_header("Surrogate-Key")
    assert not answer.has_header("ETag")


def test_a_stored_api_detail_is_validated_without_queries(api_client, desk):
    url = f"/api/v1/articles/{desk['lead'].pk}/"
    first = api_client.get(url)
    assert first["ETag"].startswith(f'W/"a{desk["lead"].pk}-v')
    with CaptureQueriesContext(connection) as queries:
        again = api_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        hit = api_client.get(url)
    assert again.status_code == 304 and hit["X-Cache"] == "HIT"
    assert len(queries) == 0


def test_the_bypass_parameter_is_off_unless_configured(client, settings, desk):
    url = desk["lead"].get_absolute_url()
    client.get(url)
    assert client.get(f"{url}?fresh=1").status_code == 301
    settings.NEWSDESK_CACHE_BYPASS_PARAM = "fresh"
    for _ in range(2):
        fresh = client.get(f"{url}?fresh=1")
        assert fresh.status_code == 200 and not fresh.has_header("X-Cache")
        assert "no-store" in fresh["Cache-Control"]
    api = client.get("/api/v1/articles/?fresh=1")
    assert not api.has_header("X-Cache")


def test_a_page_built_from_the_stored_article_page_keeps_its_tags(client, desk):
    """The article page's read model remembers the tags of what it shows."""
    url = desk["lead"].get_absolute_url()
    built = _tags(client.get(url))
    assert {"topic:syria", f"person:{desk['author'].pk}"} <= built
    # Only the app's rendered answer is retired; the read model stays.
    cache_tags.bump([f"article:{desk['lead'].pk}"])
    again = client.get(url)
    assert again["X-Cache"] == "MISS"
    assert _tags(again) == built


def test_the_search_api_is_stored_per_query_and_tagged(api_client, desk):
    ArticleFactory(published=True, headline="Camp returns resume")
    camp = api_client.get("/api/v1/search/?q=camp")
    assert "list:articles" in _tags(camp) and "list:incidents" in _tags(camp)
    other = api_client.get("/api/v1/search/?q=prison")
    assert other["X-Cache"] == "MISS" and other.content != camp.content
    again = api_client.get("/api/v1/search/?q=camp&utm_source=x")
    assert again["X-Cache"] == "HIT" and again.content == camp.content


def test_an_api_request_cut_short_leaves_no_tags_to_the_next_answer():
    """A database error inside an API read skips DRF's finalize_response; the
    tags it had started collecting must not end up in later answers' headers."""
    from tests.hardening.test_database_outage import database_down

    hidden = IncidentFactory(status="draft", slug="quiet-draft-incident")
    shown = IncidentFactory(slug="shown-incident")
    article = ArticleFactory(published=True)
    shown.articles.add(article)
    client = Client(raise_request_exception=False)

    with database_down():
        assert client.get("/api/v1/articles/").status_code == 503
    # A request naming the hidden incident's feed (a 404) while a stale
    # collection would be shared, then a public feed.
    assert client.get(f"/feeds/incidents/{hidden.slug}/rss/").status_code == 404
    response = client.get(f"/feeds/incidents/{shown.slug}/rss/")
    assert response.status_code == 200
    assert f"list:incident:{shown.slug}" in _tags(response)
    assert not any(hidden.slug in tag for tag in _tags(response))
    assert cache_tags.collected() == set()
