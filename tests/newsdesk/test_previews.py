"""Draft previews: staff see a banner; a signed, expiring link works without an account."""

import pytest
from django.core import signing

from newsdesk.previews import preview_url
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_preview_link_shows_a_draft_with_a_banner_and_never_cache(client):
    article = ArticleFactory(headline="Draft headline")
    response = client.get(preview_url(article))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Draft headline" in html
    assert "Preview." in html and "not visible to readers" in html
    assert (
        "no-cache" in response["Cache-Control"]
        or "max-age=0" in response["Cache-Control"]
    )
    assert 'name="robots" content="noindex' in html


def test_preview_link_of_another_article_does_not_open_this_one(client):
    article, other = ArticleFactory(), ArticleFactory()
    token = preview_url(other).split("preview=", 1)[1]
    assert (
        client.get(f"{article.get_absolute_url()}?preview={token}").status_code == 404
    )


def test_tampered_preview_token_is_refused(client):
    article = ArticleFactory()
    assert client.get(preview_url(article) + "x").status_code == 404


def test_expired_preview_link_is_refused(client, settings):
    article = ArticleFactory()
    url = preview_url(article)
    settings.NEWSDESK_PREVIEW_MAX_AGE = -1
    assert client.get(url).status_code == 404


def test_preview_token_is_salted_per_article():
    article = ArticleFactory()
    token = preview_url(article).split("preview=", 1)[1]
    with pytest.raises(signing.BadSignature):
        signing.TimestampSigner().unsign(token)


def test_staff_with_view_permission_previews_drafts(client, editor):
    editor.is_staff = True
    editor.save()
    client.force_login(editor)
    article = ArticleFactory(in_review=True, headline="Review me")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "not visible to readers" in response.content.decode()


def test_signed_in_non_staff_cannot_preview(client):
    client.force_login(UserFactory())
    article = ArticleFactory()
    assert client.get(article.get_absolute_url()).status_code == 404
