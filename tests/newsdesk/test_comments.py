"""Reader comments: pending until approved, email never shown, honeypot, rate limit."""

import pytest

from newsdesk.models import Comment, CommentStatus
from newsdesk.views import COMMENT_RATE_LIMIT
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

VALID = {"name": "Layla", "email": "layla@example.org", "body": "Thank you for this."}


def _post_url(article) -> str:
    return f"{article.get_absolute_url()}comments/"


def test_comment_is_pending_and_shown_only_to_its_author(client):
    article = ArticleFactory(published=True)

    response = client.post(_post_url(article), VALID)

    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING
    assert response.status_code == 302
    receipt_page = client.get(response["Location"]).content.decode()
    assert "awaiting moderation" in receipt_page
    assert "Thank you for this." in receipt_page
    assert "layla@example.org" not in receipt_page
    public_page = client.get(article.get_absolute_url()).content.decode()
    assert "Thank you for this." not in public_page


def test_forged_receipt_shows_nothing(client):
    article = ArticleFactory(published=True)
    comment = CommentFactory(article=article, body="Someone else's words")
    html = client.get(
        f"{article.get_absolute_url()}?comment={comment.pk}:forged"
    ).content.decode()
    assert "Someone else's words" not in html


def test_approved_comments_are_plain_text_without_email(client):
    article = ArticleFactory(published=True)
    CommentFactory(
        article=article,
        approved=True,
        email="secret@example.org",
        body="<a href='https://spam.example'>click</a> https://spam.example",
    )
    CommentFactory(article=article, spam=True, body="Spam body")

    html = client.get(article.get_absolute_url()).content.decode()

    assert "secret@example.org" not in html
    assert "&lt;a href=" in html
    assert '<a href="https://spam.example"' not in html
    assert "Spam body" not in html


def test_honeypot_silently_drops_the_comment(client):
    article = ArticleFactory(published=True)
    response = client.post(_post_url(article), {**VALID, "website": "http://bot"})
    assert response.status_code == 302
    assert not Comment.objects.exists()


def test_invalid_comment_answers_400_with_messages(client):
    article = ArticleFactory(published=True)
    response = client.post(
        _post_url(article), {"name": "", "email": "nope", "body": ""}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Comment.objects.exists()


def test_rate_limit_per_client(client):
    article = ArticleFactory(published=True)
    for _ in range(COMMENT_RATE_LIMIT):
        assert client.post(_post_url(article), VALID).status_code == 302
    response = client.post(_post_url(article), VALID)
    assert response.status_code == 429
    assert Comment.objects.count() == COMMENT_RATE_LIMIT
    other = client.post(_post_url(article), VALID, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


@pytest.mark.parametrize("trait", ["draft", "scheduled", "retracted"])
def test_no_comments_on_unpublished_articles(client, trait):
    article = ArticleFactory(**({} if trait == "draft" else {trait: True}))
    assert client.post(_post_url(article), VALID).status_code == 404
    assert not Comment.objects.exists()


def test_get_is_not_allowed_on_the_comment_endpoint(client):
    article = ArticleFactory(published=True)
    assert client.get(_post_url(article)).status_code == 405


def test_article_page_sets_no_csrf_cookie_and_form_posts_without_token(client):
    article = ArticleFactory(published=True)
    response = client.get(article.get_absolute_url())
    assert "csrftoken" not in response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "Your email address will not be published." in response.content.decode()


def test_rate_limit_behind_proxy_counts_the_forwarded_client(client, settings):
    settings.NEWSDESK_TRUSTED_PROXIES = 1
    article = ArticleFactory(published=True)
    for _ in range(COMMENT_RATE_LIMIT):
        client.post(_post_url(article), VALID, HTTP_X_FORWARDED_FOR="203.0.113.5")
    blocked = client.post(_post_url(article), VALID, HTTP_X_FORWARDED_FOR="203.0.113.5")
    other = client.post(_post_url(article), VALID, HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert blocked.status_code == 429
    assert other.status_code == 302
