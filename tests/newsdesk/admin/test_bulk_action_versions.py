"""Bulk actions go through the services: each raises the article's version, so an
API client holding the version from before the action is refused."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from newsdesk.models import Article, ArticleStatus
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_bulk_submit_raises_the_version_so_a_stale_api_patch_is_refused(
    editor_client, editor
):
    article = f.ArticleFactory(headline="Before the action")
    api = APIClient()
    api.force_authenticate(editor)
    stale = api.get(f"/api/v1/articles/{article.pk}/")["ETag"]
    response = editor_client.post(
        reverse("admin:newsdesk_article_changelist"),
        {"action": "submit_selected", "_selected_action": [article.pk]},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW
    patch = api.patch(
        f"/api/v1/articles/{article.pk}/",
        {"headline": "Overwritten"},
        format="json",
        HTTP_IF_MATCH=stale,
    )
    assert patch.status_code == 412
    assert Article.objects.get(pk=article.pk).headline == "Before the action"


def test_a_bulk_publish_refuses_what_the_services_refuse_and_writes_nothing(
    editor_client,
):
    ready = f.ArticleFactory(in_review=True)
    empty = f.ArticleFactory(in_review=True, body="")
    versions = {a.pk: a.version for a in (ready, empty)}
    response = editor_client.post(
        reverse("admin:newsdesk_article_changelist"),
        {"action": "publish_selected", "_selected_action": [ready.pk, empty.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "Published 1 article(s)." in html
    assert "needs a body" in html
    ready.refresh_from_db()
    empty.refresh_from_db()
    assert ready.status == ArticleStatus.PUBLISHED
    assert ready.version == versions[ready.pk] + 1
    assert empty.status == ArticleStatus.IN_REVIEW
    assert empty.version == versions[empty.pk]
