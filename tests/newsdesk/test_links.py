"""Absolute URLs: one helper for pages, JSON-LD, the API and the admin's share links."""

import pytest

from newsdesk.links import absolute_url, canonical_url
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_absolute_url_uses_the_request_origin_else_the_site_url(rf, settings):
    settings.NEWSDESK_SITE_URL = "https://news.example/"
    request = rf.get("/", HTTP_HOST="localhost:8000", secure=True)
    assert absolute_url("/a/", request=request) == "https://localhost:8000/a/"
    assert absolute_url("/a/") == "https://news.example/a/"
    assert absolute_url("https://cdn.example/x.webp", request=request) == (
        "https://cdn.example/x.webp"
    )


def test_canonical_url_is_absolute_and_prefers_the_original(rf, settings):
    settings.NEWSDESK_SITE_URL = "https://news.example"
    own = ArticleFactory(published=True)
    syndicated = ArticleFactory(published=True, original_url="https://bbc.co.uk/a")
    assert own.canonical_url == "https://news.example" + own.get_absolute_url()
    assert syndicated.canonical_url == "https://bbc.co.uk/a"
    request = rf.get("/")
    assert canonical_url(own, request=request) == (
        "http://testserver" + own.get_absolute_url()
    )


def test_article_page_and_its_json_ld_give_the_same_absolute_canonical(client):
    article = ArticleFactory(published=True)
    html = client.get(article.get_absolute_url()).content.decode()
    url = "http://testserver" + article.get_absolute_url()
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'"mainEntityOfPage":"{url}"' in html
