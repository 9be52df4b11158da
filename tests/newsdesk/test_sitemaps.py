"""sitemap.xml, the Google News sitemap and JSON-LD/Open Graph on article pages."""

import datetime
import xml.etree.ElementTree as ET

import extruct
import pytest
from django.utils import timezone

from tests.factories import (
    ArticleFactory,
    CorrectionFactory,
    IncidentFactory,
    PersonFactory,
    SourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db
NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "n": "http://www.google.com/schemas/sitemap-news/0.9",
}


def _locs(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [el.text for el in root.iter(f"{{{NS['s']}}}loc")]


def test_sitemap_index_and_sections_list_only_public_things(client):
    topic, person = TopicFactory(), PersonFactory()
    shown = ArticleFactory(published=True, topics=[topic], authors=[person])
    hidden = ArticleFactory(topics=[TopicFactory()], authors=[PersonFactory()])
    incident = IncidentFactory()
    draft_incident = IncidentFactory(draft=True)

    sections = _locs(client, "/sitemap.xml")
    assert any(s.endswith("sitemap-articles.xml") for s in sections)

    articles = _locs(client, "/sitemap-articles.xml")
    assert any(u.endswith(shown.get_absolute_url()) for u in articles)
    assert not any(hidden.slug in u for u in articles)
    incidents = _locs(client, "/sitemap-incidents.xml")
    assert any(u.endswith(incident.get_absolute_url()) for u in incidents)
    assert not any(draft_incident.slug in u for u in incidents)
    assert _locs(client, "/sitemap-topics.xml") == [
        f"http://testserver{topic.get_absolute_url()}"
    ]
    assert _locs(client, "/sitemap-people.xml") == [
        f"http://testserver{person.get_absolute_url()}"
    ]
    body = client.get("/sitemap-articles.xml").content.decode()
    assert "<lastmod>" in body


def test_news_sitemap_has_last_two_days_only(client):
    recent = ArticleFactory(published=True, headline="Fresh")
    old = ArticleFactory(published=True, headline="Old")
    old.publish_at = timezone.now() - datetime.timedelta(days=3)
    old.save()
    ArticleFactory(headline="Draft")

    response = client.get("/sitemap-news.xml")
    root = ET.fromstring(response.content)
    titles = [el.text for el in root.iter(f"{{{NS['n']}}}title")]

    assert titles == ["Fresh"]
    assert response["Content-Type"].startswith("application/xml")
    assert recent.get_absolute_url() in response.content.decode()


def test_article_jsonld_and_open_graph(client):
    source = SourceFactory(name="Hawar News")
    article = ArticleFactory(
        published=True,
        headline="Attack </script><script>alert(1)</script>",
        source=source,
        original_url="https://hawar.example/story",
        authors=[PersonFactory(name="Rita Reporter")],
    )
    CorrectionFactory(article=article, note="The date was wrong.")
    response = client.get(article.get_absolute_url())
    html = response.content.decode()

    assert "<script>alert(1)</script>" not in html
    data = extruct.extract(
        html, base_url="http://testserver/", syntaxes=["json-ld", "opengraph"]
    )
    (news,) = data["json-ld"]
    assert news["@type"] == "NewsArticle"
    assert news["headline"] == article.headline
    assert news["author"][0]["name"] == "Rita Reporter"
    assert news["publisher"]["name"]
    assert news["datePublished"] and news["dateModified"]
    assert news["isBasedOn"]["url"] == "https://hawar.example/story"
    assert news["correction"][0]["text"] == "The date was wrong."
    og = dict(data["opengraph"][0]["properties"])
    assert og["og:type"] == "article"
    assert og["og:title"] == article.headline
    assert "article:published_time" in og


def test_sitemaps_are_cached_until_content_changes(client, django_assert_num_queries):
    first = ArticleFactory(published=True)
    assert any(first.slug in u for u in _locs(client, "/sitemap-articles.xml"))

    with django_assert_num_queries(0):
        cached = client.get("/sitemap-articles.xml")
    assert cached.status_code == 200
    assert cached["Content-Type"].startswith("application/xml")

    second = ArticleFactory(published=True)
    assert any(second.slug in u for u in _locs(client, "/sitemap-articles.xml"))


def test_listing_sections_list_entities_with_published_articles_only(client):
    source = SourceFactory()
    ArticleFactory(published=True, source=source)
    unused = SourceFactory()
    ArticleFactory(source=unused)

    sources = _locs(client, "/sitemap-sources.xml")

    assert sources == [f"http://testserver{source.get_absolute_url()}"]
