"""After a refused stale save the form keeps the editor's text and shows the
three-way view; fields are merged per field and saved over the current version."""

import pytest
from django.urls import reverse

from newsdesk import services
from newsdesk.editing.merge import MERGE_VERSION
from newsdesk.models import Article
from tests import factories as f
from tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db


def _rows(response) -> dict:
    return {row.name: row for row in response.context["merge"]["rows"]}


@pytest.fixture
def conflict(client, editor, superuser):
    """Root opened the article at its first version; the editor saved since."""
    article = f.ArticleFactory(
        headline="Original headline",
        standfirst="Original standfirst.",
        body="Original body.",
    )
    url = reverse("admin:newsdesk_article_change", args=[article.pk])
    client.force_login(superuser)
    opened = admin_form_data(client.get(url))
    base_version = article.version
    services.article_update(
        article=Article.objects.get(pk=article.pk),
        user=editor,
        data={"headline": "Their headline", "body": "Their body."},
        expected_version=base_version,
    )
    return article, url, opened, base_version


def test_a_stale_save_keeps_my_text_and_shows_three_versions(client, conflict):
    article, url, opened, base_version = conflict
    mine = {**opened, "standfirst": "My standfirst.", "body": "My body."}
    response = client.post(url, mine)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved, and your changes are still in this form" in html
    rows = _rows(response)
    assert set(rows) == {"headline", "standfirst", "body"}
    # Only they changed the headline: the form now holds theirs.
    assert rows["headline"].state == "theirs"
    assert rows["headline"].base == "Original headline"
    assert response.context["adminform"].form["headline"].value() == "Their headline"
    # Only I changed the standfirst; we both changed the body: the form keeps mine.
    assert rows["standfirst"].state == "mine"
    assert rows["body"].state == "both"
    assert (rows["body"].base, rows["body"].theirs, rows["body"].mine) == (
        "Original body.",
        "Their body.",
        "My body.",
    )
    assert response.context["adminform"].form["body"].value() == "My body."
    assert 'id="nd-merge-inputs"' in html and "js/merge.js" in html
    assert f'name="{MERGE_VERSION}" value="{base_version + 1}"' in html
    article.refresh_from_db()
    assert article.body == "Their body."


def test_plain_save_again_is_refused_again_nothing_overwritten(client, conflict):
    article, url, opened, _ = conflict
    client.post(url, {**opened, "body": "My body."})
    again = client.post(url, {**opened, "body": "My body."})
    assert again.status_code == 200 and again.context["merge"]["rows"]
    article.refresh_from_db()
    assert article.body == "Their body."


def test_the_merged_result_saves_over_the_current_version(client, conflict):
    article, url, opened, base_version = conflict
    response = client.post(url, {**opened, "body": "My body."})
    merged = admin_form_data(response)
    assert merged["headline"] == "Their headline"  # kept without retyping
    merged[MERGE_VERSION] = str(base_version + 1)
    saved = client.post(url, merged)
    assert saved.status_code == 302
    assert saved.url == url  # back to the form to see the result
    article.refresh_from_db()
    assert (article.headline, article.body) == ("Their headline", "My body.")
    assert article.version == base_version + 2


def test_a_merge_made_against_a_version_since_replaced_is_refused(
    client, conflict, editor
):
    article, url, opened, base_version = conflict
    response = client.post(url, {**opened, "body": "My body."})
    merged = {**admin_form_data(response), MERGE_VERSION: str(base_version + 1)}
    services.article_update(
        article=Article.objects.get(pk=article.pk),
        user=editor,
        data={"standfirst": "A third save."},
        expected_version=base_version + 1,
    )
    refused = client.post(url, merged)
    assert refused.status_code == 200
    assert _rows(refused)["standfirst"].theirs == "A third save."
    article.refresh_from_db()
    assert article.body == "Their body."


def test_bad_merge_version_is_just_a_refusal(client, conflict):
    article, url, opened, _ = conflict
    for bad in ("", "abc", "-1", "99999"):
        response = client.post(url, {**opened, "body": "Mine", MERGE_VERSION: bad})
        assert response.status_code == 200
        assert response.context["merge"]["rows"]
    article.refresh_from_db()
    assert article.body == "Their body."


def test_the_base_is_the_last_entry_recorded_up_to_the_version_started_from(
    client, superuser, editor
):
    article = f.ArticleFactory(body="Recorded body.")
    # A save that changed nothing raises the version but records no entry.
    Article.objects.filter(pk=article.pk).update(version=article.version + 1)
    started = article.version + 1
    url = reverse("admin:newsdesk_article_change", args=[article.pk])
    client.force_login(superuser)
    opened = admin_form_data(client.get(url))
    assert opened["version_seen"] == str(started)
    services.article_update(
        article=Article.objects.get(pk=article.pk),
        user=editor,
        data={"body": "Their body."},
        expected_version=started,
    )
    response = client.post(url, {**opened, "body": "My body."})
    row = _rows(response)["body"]
    assert (row.base, row.theirs, row.mine, row.state) == (
        "Recorded body.",
        "Their body.",
        "My body.",
        "both",
    )
