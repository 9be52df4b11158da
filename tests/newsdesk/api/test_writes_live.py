"""A live article through the API: a PATCH stages pending changes (202), readers
keep the live text, If-Match names the pending changes, and publish puts them live."""

import pytest

from newsdesk.models import Article, ArticleRevision
from newsdesk.revisions import services as revisions
from tests.factories import ArticleFactory, PersonFactory, TopicFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"


def detail(article):
    return f"{LIST}{article.pk}/"


@pytest.fixture
def live():
    return ArticleFactory(
        published=True, headline="Prison attack enters third day", body="Live body."
    )


@pytest.fixture
def staff(api_client):
    def login(user):
        api_client.force_authenticate(user)
        return api_client

    return login


def _etag(client, article):
    return client.get(detail(article))["ETag"]


def _patch(client, article, etag, **data):
    return client.patch(detail(article), data, format="json", HTTP_IF_MATCH=etag)


def test_patch_of_a_live_article_stages_pending_changes(staff, editor, live):
    client = staff(editor)
    author, topic = PersonFactory(name="Amira Haddad"), TopicFactory(name="Syria")
    response = _patch(
        client,
        live,
        _etag(client, live),
        headline="Prison retaken",
        authors=[author.pk],
        topics=[topic.pk],
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["headline"] == "Prison attack enters third day"  # the live text
    pending = body["pending_changes"]
    assert pending["proposed"]["headline"] == "Prison retaken"
    assert pending["proposed"]["authors"] == [author.pk]
    assert pending["proposed"]["topics"] == [topic.pk]
    assert set(pending["changed"]) == {"headline", "authors", "topics"}
    assert pending["saved_by"] == editor.username
    assert response["ETag"] == f'W/"a{live.pk}-v{live.version}-p{pending["revision"]}"'

    row = Article.objects.get(pk=live.pk)
    assert (row.headline, row.version) == (live.headline, live.version)
    assert not row.topics.exists()
    # The staff detail names the pending changes in its ETag and body.
    again = client.get(detail(live))
    assert f"-p{pending['revision']}-" in again["ETag"]
    assert again.json()["pending_changes"]["revision"] == pending["revision"]


def test_readers_keep_the_live_version(staff, editor, live, client):
    api = staff(editor)
    _patch(api, live, _etag(api, live), headline="Prison retaken")
    api.force_authenticate(None)
    public = api.get(detail(live)).json()
    assert public["headline"] == "Prison attack enters third day"
    assert "pending_changes" not in public
    listed = api.get(LIST).json()["results"][0]
    assert listed["headline"] == "Prison attack enters third day"
    assert "Prison retaken" not in client.get(live.get_absolute_url()).text


def test_a_write_that_does_not_name_the_pending_changes_is_412(
    staff, editor, reporter, live
):
    client = staff(editor)
    before = _etag(client, live)  # no pending changes yet
    revisions.article_save_pending(
        article=live, snapshot={"headline": "Reporter's"}, user=reporter
    )
    for if_match in (before, f'"{live.version}"'):
        response = _patch(client, live, if_match, headline="Editor's")
        assert response.status_code == 412, response.content
        assert "pending changes saved by rita-reporter" in response.json()["detail"]
    assert ArticleRevision.objects.pending().get().snapshot["headline"] == "Reporter's"
    # Named, the write replaces them.
    response = _patch(client, live, _etag(client, live), standfirst="Editor's.")
    assert response.status_code == 202
    proposed = response.json()["pending_changes"]["proposed"]
    assert (proposed["headline"], proposed["standfirst"]) == ("Reporter's", "Editor's.")


def test_a_stale_live_version_is_412(staff, editor, live):
    client = staff(editor)
    etag = _etag(client, live)
    Article.objects.filter(pk=live.pk).update(version=live.version + 1)
    response = _patch(client, live, etag, headline="Late")
    assert response.status_code == 412
    assert not ArticleRevision.objects.pending().exists()


def test_a_bare_version_number_stages_when_nothing_is_pending(staff, editor, live):
    response = _patch(staff(editor), live, str(live.version), headline="Retaken")
    assert response.status_code == 202
    assert ArticleRevision.objects.pending().get().snapshot["headline"] == "Retaken"


def test_if_match_is_still_required(staff, editor, live):
    response = staff(editor).patch(detail(live), {"headline": "x"}, format="json")
    assert response.status_code == 428
    assert not ArticleRevision.objects.pending().exists()


def test_bad_input_is_400_and_stages_nothing(staff, editor, live):
    client = staff(editor)
    etag = _etag(client, live)
    response = _patch(client, live, etag, substantive_update_at="2026-01-01T00:00Z")
    assert response.status_code == 400
    assert "substantive_update_at" in response.json()["errors"]
    response = _patch(client, live, etag, original_url="not a url")
    assert response.status_code == 400
    assert "original_url" in response.json()["errors"]
    assert not ArticleRevision.objects.pending().exists()


def test_a_patch_equal_to_live_stages_nothing(staff, editor, live):
    response = _patch(staff(editor), live, str(live.version), headline=live.headline)
    assert response.status_code == 200
    assert response.json()["pending_changes"] is None
    assert not ArticleRevision.objects.pending().exists()


def test_reporter_proposes_but_only_an_editor_publishes(
    staff, reporter, editor, live, api_client
):
    client = staff(reporter)
    response = _patch(client, live, _etag(client, live), headline="Proposed")
    assert response.status_code == 202
    refused = client.post(f"{detail(live)}publish/", {}, format="json")
    assert refused.status_code == 403
    assert Article.objects.get(pk=live.pk).headline == live.headline

    client = staff(editor)
    etag = _etag(client, live)
    published = client.post(
        f"{detail(live)}publish/", {}, format="json", HTTP_IF_MATCH=etag
    )
    assert published.status_code == 200, published.content
    assert published.json()["headline"] == "Proposed"
    assert published.json()["pending_changes"] is None
    api_client.force_authenticate(None)
    assert api_client.get(detail(live)).json()["headline"] == "Proposed"


def test_publishing_changes_someone_replaced_is_412(staff, editor, reporter, live):
    client = staff(editor)
    _patch(client, live, _etag(client, live), headline="Editor's")
    seen = _etag(client, live)
    revisions.article_save_pending(
        article=live, snapshot={"headline": "Reporter's"}, user=reporter
    )
    response = client.post(
        f"{detail(live)}publish/", {}, format="json", HTTP_IF_MATCH=seen
    )
    assert response.status_code == 412
    assert Article.objects.get(pk=live.pk).headline == live.headline
