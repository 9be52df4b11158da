"""A live article's change form saves pending changes; readers keep the live text."""

import pytest
from django.test import Client
from django.urls import reverse

from newsdesk.models import Article, ArticleRevision
from newsdesk.previews import preview_url
from tests import factories as f
from tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def live():
    return f.ArticleFactory(
        published=True, headline="Live headline", body="The live body text."
    )


def _url(article):
    return reverse("admin:newsdesk_article_change", args=[article.pk])


def _save(client, article, **changes):
    page = client.get(_url(article))
    assert page.status_code == 200
    data = admin_form_data(page)
    data.update(changes)
    response = client.post(_url(article), data)
    assert response.status_code == 302, (
        response.context and (response.context["errors"])
    )
    return response


def _workflow(client, article, action, **data):
    url = reverse("admin:newsdesk_article_workflow", args=[article.pk, action])
    return client.post(url, {"version": article.version, **data})


def test_editor_saves_pending_changes_and_the_form_shows_them(editor_client, live):
    _save(editor_client, live, headline="Pending headline")
    live.refresh_from_db()
    assert live.headline == "Live headline"
    page = editor_client.get(_url(live))
    html = page.content.decode()
    assert "Editing pending changes to a live article" in html
    assert "by eddie-editor" in html
    assert page.context["adminform"].form["headline"].value() == "Pending headline"
    assert "Publish changes" in html and "Discard pending changes" in html


def test_saving_the_form_unchanged_stages_nothing(editor_client, live):
    _save(editor_client, live)
    assert not ArticleRevision.objects.pending().exists()
    assert "This article is live" in editor_client.get(_url(live)).content.decode()


def test_a_second_save_builds_on_the_pending_changes(editor_client, live):
    _save(editor_client, live, headline="First")
    _save(editor_client, live, standfirst="Second")
    pending = ArticleRevision.objects.pending().get()
    assert (pending.snapshot["headline"], pending.snapshot["standfirst"]) == (
        "First",
        "Second",
    )


def test_topics_go_into_the_pending_changes_not_the_live_article(editor_client, live):
    topic = f.TopicFactory(name="Syria")
    _save(editor_client, live, topics=[str(topic.pk)])
    assert not live.topics.exists()
    pending = ArticleRevision.objects.pending().get()
    assert pending.snapshot["topics"] == [{"id": topic.pk, "label": "Syria"}]


def test_reporter_proposes_submits_and_an_editor_publishes(
    reporter_client, editor, live
):
    client = Client()
    _save(reporter_client, live, headline="Reporter's headline")
    page = reporter_client.get(_url(live)).content.decode()
    assert "Submit changes for review" in page
    assert "Publish changes" not in page
    assert _workflow(reporter_client, live, "submit_changes").status_code == 302
    # A reporter cannot publish, even by posting the page.
    _workflow(reporter_client, live, "publish_changes")
    live.refresh_from_db()
    assert live.headline == "Live headline"
    client.force_login(editor)
    assert _workflow(client, live, "publish_changes").status_code == 302
    live.refresh_from_db()
    assert live.headline == "Reporter's headline"
    assert not ArticleRevision.objects.pending().exists()


def test_editor_schedules_changes_from_the_workflow_page(editor_client, live):
    _save(editor_client, live, headline="Later")
    response = _workflow(
        editor_client,
        live,
        "publish_changes",
        publish_at_0="2099-01-01",
        publish_at_1="09:00",
    )
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.headline == "Live headline"
    assert ArticleRevision.objects.pending().get().publish_at.year == 2099
    assert "Scheduled to go live" in editor_client.get(_url(live)).content.decode()


def test_discard_returns_the_form_to_the_live_version(editor_client, live):
    _save(editor_client, live, headline="Throwaway")
    assert _workflow(editor_client, live, "discard_changes").status_code == 302
    page = editor_client.get(_url(live))
    assert page.context["adminform"].form["headline"].value() == "Live headline"


def test_a_stale_pending_save_is_refused_and_nothing_is_overwritten(
    editor_client, reporter, live
):
    client = Client()
    page = editor_client.get(_url(live))
    stale = admin_form_data(page)
    client.force_login(reporter)
    _save(client, live, headline="Reporter first")
    stale["headline"] = "Editor second"
    editor_client.post(_url(live), stale)
    pending = ArticleRevision.objects.pending().get()
    assert pending.snapshot["headline"] == "Reporter first"


def test_preview_and_share_link_show_pending_changes_the_public_url_never(
    editor_client, live
):
    client = Client()  # a reader, signed out
    _save(editor_client, live, headline="Pending headline", body="Pending body.")
    url = live.get_absolute_url()
    staff = editor_client.get(f"{url}?pending=1").content.decode()
    assert "Pending headline" in staff and "Preview of pending changes" in staff
    # Staff at the plain address see what readers see.
    assert "Pending headline" not in editor_client.get(url).content.decode()
    shared = client.get(preview_url(Article.objects.get(pk=live.pk)))
    assert shared.status_code == 200
    assert "Pending body." in shared.content.decode()
    assert "noindex" in shared["X-Robots-Tag"]
    public = client.get(url).content.decode()
    assert "Live headline" in public and "Pending" not in public
    # A reader adding the staff parameter is sent back to the public page.
    assert client.get(f"{url}?pending=1").status_code == 301
    assert "Pending" not in client.get(f"{url}?preview=forged").content.decode()


@pytest.mark.parametrize("button", ["_save", "_continue", "_addanother"])
def test_saving_pending_changes_says_so_in_one_message(editor_client, live, button):
    response = _save(editor_client, live, headline="Pending headline", **{button: "1"})
    shown = [
        str(m) for m in editor_client.get(response["Location"]).context["messages"]
    ]
    assert shown == [
        "Saved as pending changes. Readers see the live version until you publish them."
    ]


def test_a_draft_keeps_the_admins_own_message(editor_client):
    draft = f.ArticleFactory(headline="A draft")
    response = _save(editor_client, draft, standfirst="Changed.", _continue="1")
    shown = [
        str(m) for m in editor_client.get(response["Location"]).context["messages"]
    ]
    assert len(shown) == 1 and "was changed successfully" in shown[0]
