"""Editors' write access: who may create, update and publish, and lost-update guards."""

import pytest
from rest_framework.authtoken.models import Token

from newsdesk.models import Article, ArticleStatus
from tests.factories import ArticleFactory, PersonFactory, TopicFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"


def detail(article):
    return f"{LIST}{article.pk}/"


@pytest.fixture
def as_user(api_client):
    def login(user):
        if user is not None:
            api_client.force_authenticate(user)
        return api_client

    return login


def test_anonymous_cannot_write(api_client):
    article = ArticleFactory()
    assert api_client.post(LIST, {"headline": "New"}, format="json").status_code == 401
    response = api_client.patch(
        detail(article), {"headline": "x"}, format="json", HTTP_IF_MATCH="1"
    )
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert api_client.post(f"{detail(article)}publish/").status_code == 401
    assert Article.objects.get(pk=article.pk).headline == article.headline


def test_token_authentication_creates_a_draft(api_client, reporter):
    token = Token.objects.create(user=reporter)
    person, topic = PersonFactory(), TopicFactory()
    response = api_client.post(
        LIST,
        {
            "headline": "Prison attack in Hasaka",
            "body": "Text.",
            "authors": [person.pk],
            "topics": [topic.pk],
        },
        format="json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 201, response.content
    article = Article.objects.get(pk=response.json()["id"])
    assert article.status == ArticleStatus.DRAFT
    assert article.created_by == reporter
    assert list(article.authors.all()) == [person]
    assert response["Location"].endswith(detail(article))
    assert response["ETag"] == f'W/"a{article.pk}-v{article.version}"'
    # Still invisible to readers.
    api_client.credentials()
    assert api_client.get(detail(article)).status_code == 404


def test_invalid_token_is_401(api_client):
    response = api_client.get(LIST, HTTP_AUTHORIZATION="Token nope")
    assert response.status_code == 401


def test_moderator_cannot_create_articles(as_user, moderator):
    response = as_user(moderator).post(LIST, {"headline": "x"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_create_validation_errors_are_400_with_fields(as_user, reporter):
    response = as_user(reporter).post(
        LIST, {"headline": "", "language": "not a tag!"}, format="json"
    )
    assert response.status_code == 400
    assert {"headline", "language"} <= set(response.json()["errors"])


def test_service_validation_error_is_400(as_user, reporter):
    response = as_user(reporter).post(
        LIST,
        {"headline": "Translated", "language": "en", "original_language": "en"},
        format="json",
    )
    assert response.status_code == 400
    assert "original_language" in response.json()["errors"]


def test_update_requires_if_match(as_user, reporter):
    article = ArticleFactory()
    response = as_user(reporter).patch(
        detail(article), {"headline": "New"}, format="json"
    )
    assert response.status_code == 428
    assert response.json()["code"] == "precondition_required"
    assert Article.objects.get(pk=article.pk).headline == article.headline


def test_update_with_current_etag_succeeds(as_user, reporter):
    article = ArticleFactory()
    client = as_user(reporter)
    etag = client.get(detail(article))["ETag"]
    response = client.patch(
        detail(article),
        {"headline": "Better headline"},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200, response.content
    assert response.json()["headline"] == "Better headline"
    assert response.json()["version"] == article.version + 1


def test_update_with_version_number_succeeds(as_user, editor):
    article = ArticleFactory()
    response = as_user(editor).patch(
        detail(article),
        {"standfirst": "Shorter."},
        format="json",
        HTTP_IF_MATCH=f'"{article.version}"',
    )
    assert response.status_code == 200
    assert Article.objects.get(pk=article.pk).standfirst == "Shorter."


def test_stale_if_match_is_412_and_writes_nothing(as_user, reporter, editor):
    article = ArticleFactory()
    client = as_user(reporter)
    stale = client.get(detail(article))["ETag"]
    as_user(editor).patch(
        detail(article), {"headline": "Editor's"}, format="json", HTTP_IF_MATCH=stale
    )
    client.force_authenticate(reporter)
    response = client.patch(
        detail(article), {"headline": "Reporter's"}, format="json", HTTP_IF_MATCH=stale
    )
    assert response.status_code == 412
    assert response.json()["code"] == "precondition_failed"
    assert "Nothing was saved" in response.json()["detail"]
    assert Article.objects.get(pk=article.pk).headline == "Editor's"


def test_garbage_if_match_is_412(as_user, reporter):
    article = ArticleFactory()
    response = as_user(reporter).patch(
        detail(article), {"headline": "x"}, format="json", HTTP_IF_MATCH='"banana"'
    )
    assert response.status_code == 412


def test_workflow_fields_cannot_be_patched(as_user, reporter):
    article = ArticleFactory()
    as_user(reporter).patch(
        detail(article),
        {"status": "published", "headline": "x"},
        format="json",
        HTTP_IF_MATCH=str(article.version),
    )
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.DRAFT


def test_reporter_cannot_publish(as_user, reporter):
    article = ArticleFactory(in_review=True)
    response = as_user(reporter).post(f"{detail(article)}publish/", {}, format="json")
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.IN_REVIEW


def test_editor_publishes_and_readers_see_it(as_user, editor, api_client):
    article = ArticleFactory(in_review=True)
    response = as_user(editor).post(f"{detail(article)}publish/", {}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "Published"
    api_client.force_authenticate(None)
    assert api_client.get(detail(article)).status_code == 200


def test_publish_with_stale_if_match_is_412(as_user, editor):
    article = ArticleFactory(in_review=True)
    response = as_user(editor).post(
        f"{detail(article)}publish/", {}, format="json", HTTP_IF_MATCH="999"
    )
    assert response.status_code == 412
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.IN_REVIEW


def test_publishing_an_empty_article_is_400(as_user, editor):
    article = ArticleFactory(body="")
    response = as_user(editor).post(f"{detail(article)}publish/", {}, format="json")
    assert response.status_code == 400
    assert "body" in response.json()["detail"]


def test_put_and_delete_are_not_allowed(as_user, editor):
    article = ArticleFactory()
    client = as_user(editor)
    assert client.put(detail(article), {}, format="json").status_code == 405
    assert client.delete(detail(article)).status_code == 405
    assert Article.objects.filter(pk=article.pk).exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"authors": [2**70]}, "authors"),
        ({"authors": ["abc"]}, "authors"),
        ({"source": 999999}, "source"),
        ({"topics": [True]}, "topics"),
    ],
)
def test_bad_related_ids_are_400(as_user, reporter, payload, field):
    response = as_user(reporter).post(
        LIST, {"headline": "Ids", **payload}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Article.objects.filter(headline="Ids").exists()


def test_duplicate_authors_are_400(as_user, reporter):
    person = PersonFactory()
    response = as_user(reporter).post(
        LIST, {"headline": "Twice", "authors": [person.pk, person.pk]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["authors"] == ["Name each author once."]
