"""Server-rendered dates on public pages in the reader's language."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

MARCH = datetime.datetime(2026, 3, 5, 12, 0, tzinfo=datetime.UTC)


def _article():
    return ArticleFactory(published=True, headline="Aid convoy", publish_at=MARCH)


def test_dates_follow_the_readers_language(client):
    article = _article()
    url = article.get_absolute_url()
    english = client.get(url)
    french = client.get(url, headers={"accept-language": "fr-CH, fr;q=0.9, en;q=0.8"})
    arabic = client.get(url, headers={"accept-language": "ar"})

    assert "5 March 2026" in english.content.decode()
    # The English rendering was stored first; the French reader gets French.
    assert "5 mars 2026" in french.content.decode()
    assert "March" not in french.content.decode().split("<main", 1)[-1]
    assert "مارس" in arabic.content.decode()
    assert french["Content-Language"] == "fr"
    for response in (english, french, arabic):
        assert "Accept-Language" in response["Vary"]


def test_a_language_the_site_does_not_support_gets_english(client):
    article = _article()
    response = client.get(
        article.get_absolute_url(), headers={"accept-language": "xx, zz;q=0.5"}
    )
    assert "5 March 2026" in response.content.decode()
    assert response["Content-Language"] == "en"


def test_the_home_page_list_dates_follow_the_reader(client):
    _article()
    french = client.get("/", headers={"accept-language": "fr"}).content.decode()
    english = client.get("/", headers={"accept-language": "en"}).content.decode()
    assert "5 mars 2026" in french
    assert "5 March 2026" in english


def test_the_admin_and_the_api_keep_the_sites_language(client):
    _article()
    login = client.get("/admin/login/", headers={"accept-language": "fr"})
    assert login.status_code == 200
    # Django's own admin strings stay English (French: "Connexion").
    assert "Log in" in login.content.decode()
    assert "Connexion" not in login.content.decode()
    api = client.get("/api/v1/articles/", headers={"accept-language": "fr"})
    assert api.status_code == 200
    assert "Accept-Language" not in api.get("Vary", "")
    assert timezone.localtime(MARCH).date().isoformat() in api.content.decode()
