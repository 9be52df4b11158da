"""Previews open only what they were made for, expire, and are never cached."""

from __future__ import annotations

import datetime
import time

import pytest
from django.conf import settings
from django.utils.cache import get_max_age

from newsdesk.previews import PREVIEW_PARAM, preview_token, preview_url
from tests import factories as f

pytestmark = pytest.mark.django_db

NEVER_CACHED = {"no-cache", "no-store", "must-revalidate", "private"}


def cache_directives(response) -> set[str]:
    return {
        d.strip().split("=")[0] for d in response.get("Cache-Control", "").split(",")
    }


def assert_never_cached(response) -> None:
    assert cache_directives(response) >= NEVER_CACHED, response.get("Cache-Control")
    assert "public" not in cache_directives(response)
    assert get_max_age(response) in (None, 0)


@pytest.mark.parametrize("state", ["draft", "in_review", "scheduled"])
def test_share_link_opens_its_article_uncached_and_unindexed(client, state):
    traits = {state: True} if state != "draft" else {}
    article = f.ArticleFactory(headline="Embargoed story", **traits)
    response = client.get(preview_url(article))
    assert response.status_code == 200
    assert "Embargoed story" in response.content.decode()
    assert_never_cached(response)
    assert "noindex" in response["X-Robots-Tag"]
    assert "application/ld+json" not in response.content.decode()
    # A conditional request gets the page again, never a 304 from a validator.
    again = client.get(preview_url(article), HTTP_IF_NONE_MATCH="*")
    assert again.status_code == 200


def test_share_link_opens_only_the_article_it_was_made_for(client):
    article = f.ArticleFactory(headline="First draft")
    other = f.ArticleFactory(headline="Second draft")
    token = preview_token(article)
    response = client.get(f"{other.get_absolute_url()}?{PREVIEW_PARAM}={token}")
    assert response.status_code == 404
    assert "Second draft" not in response.content.decode()
    # Same slug, token for another id: a link cannot be replayed on a new article.
    article.delete()
    assert (
        client.get(f"{other.get_absolute_url()}?{PREVIEW_PARAM}={token}").status_code
        == 404
    )


def test_share_link_expires(client, monkeypatch):
    article = f.ArticleFactory(headline="Expiring draft")
    url = preview_url(article)
    start = time.time()
    monkeypatch.setattr(
        time, "time", lambda: start + settings.NEWSDESK_PREVIEW_MAX_AGE - 60
    )
    assert client.get(url).status_code == 200
    monkeypatch.setattr(
        time, "time", lambda: start + settings.NEWSDESK_PREVIEW_MAX_AGE + 60
    )
    response = client.get(url)
    assert response.status_code == 404
    assert "Expiring draft" not in response.content.decode()


@pytest.mark.parametrize(
    "token",
    ["", "x", "1:abc:def", "../../etc/passwd", "%00", "a" * 5000, "1" * 40],
)
def test_forged_tokens_are_refused(client, token):
    article = f.ArticleFactory(headline="Secret draft")
    response = client.get(article.get_absolute_url(), {PREVIEW_PARAM: token})
    assert response.status_code == 404
    assert "Secret draft" not in response.content.decode()


def test_share_link_of_a_retracted_article_shows_only_the_retraction(client):
    article = f.ArticleFactory(retracted=True, body="Withdrawn body text")
    response = client.get(preview_url(article))
    assert response.status_code == 410
    assert "Withdrawn body text" not in response.content.decode()


def test_staff_preview_at_the_public_address_is_never_cached(client, reporter):
    article = f.ArticleFactory(in_review=True, headline="Staff only")
    client.force_login(reporter)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert_never_cached(response)
    # The same address for a reader: nothing, and nothing a cache could mix up.
    client.logout()
    anonymous = client.get(article.get_absolute_url())
    assert anonymous.status_code == 404
    assert "Staff only" not in anonymous.content.decode()
    assert "public" not in cache_directives(anonymous)


def test_moderators_can_preview_but_not_without_staff_status(client, moderator):
    article = f.ArticleFactory(headline="Moderated draft")
    moderator.is_staff = False
    moderator.save()
    client.force_login(moderator)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_published_article_with_an_old_share_link_is_the_public_page(client):
    article = f.ArticleFactory(published=True)
    response = client.get(preview_url(article))
    assert response.status_code == 200
    assert "not visible to readers" not in response.content.decode()


def test_preview_links_are_refused_after_the_secret_key_rotates(client, settings):
    article = f.ArticleFactory(headline="Old key draft")
    url = preview_url(article)
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    settings.SECRET_KEY_FALLBACKS = []
    assert client.get(url).status_code == 404


def test_preview_max_age_is_days_not_forever():
    assert (
        0
        < settings.NEWSDESK_PREVIEW_MAX_AGE
        <= datetime.timedelta(days=30).total_seconds()
    )
