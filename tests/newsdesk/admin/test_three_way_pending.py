"""A stale save of a live article's pending changes keeps the editor's text and
shows the three-way view; the merged result is saved as the pending changes."""

import pytest
from django.test import Client
from django.urls import reverse

from newsdesk import services
from newsdesk.admin.forms import ArticleAdminForm
from newsdesk.editing.guard import object_version
from newsdesk.editing.merge import MERGE_VERSION
from newsdesk.models import Article, ArticleRevision
from tests import factories as f
from tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db


def _rows(response) -> dict:
    return {row.name: row for row in response.context["merge"]["rows"]}


def _url(article):
    return reverse("admin:newsdesk_article_change", args=[article.pk])


@pytest.fixture
def live():
    return f.ArticleFactory(
        published=True,
        headline="Live headline",
        standfirst="Live standfirst.",
        body="Live body.",
    )


@pytest.fixture
def two_editors(editor_client, reporter, live):
    """The editor opened the live article; the reporter then saved pending changes."""
    opened = admin_form_data(editor_client.get(_url(live)))
    other = Client()
    other.force_login(reporter)
    theirs = admin_form_data(other.get(_url(live)))
    theirs.update(headline="Their headline", body="Their body.")
    assert other.post(_url(live), theirs).status_code == 302
    return editor_client, opened


def _live_row(article):
    return Article.objects.values("headline", "standfirst", "body", "version").get(
        pk=article.pk
    )


def test_a_stale_pending_save_keeps_my_text_and_shows_three_versions(two_editors, live):
    client, opened = two_editors
    before = _live_row(live)
    pending = ArticleRevision.objects.pending().get(article=live)
    mine = {**opened, "standfirst": "My standfirst.", "body": "My body."}
    response = client.post(_url(live), mine)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved, and your changes are still in this form" in html
    rows = _rows(response)
    assert set(rows) == {"headline", "standfirst", "body"}
    assert rows["headline"].state == "theirs"
    assert response.context["adminform"].form["headline"].value() == "Their headline"
    assert rows["standfirst"].state == "mine"
    assert rows["body"].state == "both"
    assert (rows["body"].base, rows["body"].theirs, rows["body"].mine) == (
        "Live body.",
        "Their body.",
        "My body.",
    )
    assert response.context["adminform"].form["body"].value() == "My body."
    assert "You started from the live version" in html
    assert "Pending now" in html
    assert f'name="{MERGE_VERSION}" value="{live.version}:{pending.pk}"' in html
    # Nothing written: their pending changes stand, the live row is untouched.
    assert ArticleRevision.objects.pending().get(article=live).pk == pending.pk
    assert _live_row(live) == before


def test_the_merged_result_lands_in_the_pending_changes(two_editors, live):
    client, opened = two_editors
    before = _live_row(live)
    response = client.post(_url(live), {**opened, "body": "My body."})
    merged = admin_form_data(response)
    assert merged["headline"] == "Their headline"  # kept without retyping
    pending = ArticleRevision.objects.pending().get(article=live)
    merged[MERGE_VERSION] = f"{live.version}:{pending.pk}"
    saved = client.post(_url(live), merged)
    assert saved.status_code == 302 and saved.url == _url(live)
    now = ArticleRevision.objects.pending().get(article=live)
    assert now.pk != pending.pk
    assert (now.snapshot["headline"], now.snapshot["body"]) == (
        "Their headline",
        "My body.",
    )
    assert _live_row(live) == before


def test_a_plain_or_outdated_merge_save_is_refused_again(two_editors, live, reporter):
    client, opened = two_editors
    response = client.post(_url(live), {**opened, "body": "My body."})
    merged = admin_form_data(response)
    pending = ArticleRevision.objects.pending().get(article=live)
    # Saved again without the merge button: still refused, their text stands.
    again = client.post(_url(live), merged)
    assert again.status_code == 200 and again.context["merge"]["rows"]
    # The reporter saves once more: a merge against the replaced revision is refused.
    other = Client()
    other.force_login(reporter)
    third = admin_form_data(other.get(_url(live)))
    third["standfirst"] = "A third save."
    assert other.post(_url(live), third).status_code == 302
    for bad in (f"{live.version}:{pending.pk}", "abc", f"{live.version}:", "1:x"):
        refused = client.post(_url(live), {**merged, MERGE_VERSION: bad})
        assert refused.status_code == 200
        assert refused.context["merge"]["rows"]
    assert _rows(refused)["standfirst"].theirs == "A third save."
    now = ArticleRevision.objects.pending().get(article=live)
    assert now.snapshot["body"] == "Their body."


def test_pending_changes_published_meanwhile_compare_with_the_live_version(
    two_editors, live, superuser
):
    client, opened = two_editors
    from newsdesk.revisions import services as revisions

    revisions.article_publish_changes(article=live, user=superuser)
    response = client.post(_url(live), {**opened, "body": "My body."})
    assert response.status_code == 200
    assert "Live now (nothing pending)" in response.content.decode()
    assert _rows(response)["body"].theirs == "Their body."
    assert not ArticleRevision.objects.pending().filter(article=live).exists()


def test_losing_the_race_under_the_lock_shows_the_three_way_view(
    client, superuser, editor, monkeypatch
):
    """The form's check passed, then another save won the row lock: the service
    refuses, the admin's transaction rolls back, and the form checked again
    shows the three-way view instead of sending the editor away."""
    article = f.ArticleFactory(body="Original body.")
    client.force_login(superuser)
    opened = admin_form_data(client.get(_url(article)))
    real_save, real_clean = services.article_save, ArticleAdminForm.clean
    cleans = []

    def lost_race(**kwargs):
        monkeypatch.setattr(services, "article_save", real_save)
        raise services.ArticleConflict("Lost the race.", code="version_conflict")

    def clean(form):
        cleans.append(form)
        if len(cleans) == 2:  # the rival's save, committed meanwhile
            services.article_update(
                article=Article.objects.get(pk=article.pk),
                user=editor,
                data={"body": "Their body."},
                expected_version=article.version,
            )
        return real_clean(form)

    monkeypatch.setattr(services, "article_save", lost_race)
    monkeypatch.setattr(ArticleAdminForm, "clean", clean)
    response = client.post(_url(article), {**opened, "body": "My body."})
    assert response.status_code == 200
    row = _rows(response)["body"]
    assert (row.theirs, row.mine) == ("Their body.", "My body.")
    assert response.context["adminform"].form["body"].value() == "My body."
    assert Article.objects.get(pk=article.pk).body == "Their body."


def test_a_pending_save_changes_the_presence_version(reporter, live):
    before = object_version(Article.objects.get(pk=live.pk))
    other = Client()
    other.force_login(reporter)
    data = admin_form_data(other.get(_url(live)))
    data["body"] = "Their body."
    assert other.post(_url(live), data).status_code == 302
    after = object_version(Article.objects.get(pk=live.pk))
    assert after != before and after.startswith(f"{live.version}.")


def test_presence_names_who_saved_pending_changes(editor_client, reporter, live):
    url = reverse("editing:presence", args=("newsdesk", "article", live.pk))
    before = editor_client.post(url).json()
    other = Client()
    other.force_login(reporter)
    data = admin_form_data(other.get(_url(live)))
    data["body"] = "Their body."
    assert other.post(_url(live), data).status_code == 302
    after = editor_client.post(url).json()
    assert after["version"] != before["version"]
    assert after["saved_by"] == "rita-reporter"


def test_a_merged_result_keeps_the_rows_only_they_changed(
    editor_client, reporter, live
):
    f.QuoteFactory(article=live, text="The first quote.")
    opened = admin_form_data(editor_client.get(_url(live)))
    quote_text = next(k for k, v in opened.items() if v == "The first quote.")
    other = Client()
    other.force_login(reporter)
    theirs = admin_form_data(other.get(_url(live)))
    theirs[quote_text] = "Their quote."
    assert other.post(_url(live), theirs).status_code == 302
    response = editor_client.post(_url(live), {**opened, "body": "My body."})
    assert response.status_code == 200 and response.context["merge"]["rows"]
    merged = admin_form_data(response)
    pending = ArticleRevision.objects.pending().get(article=live)
    merged[MERGE_VERSION] = f"{live.version}:{pending.pk}"
    assert editor_client.post(_url(live), merged).status_code == 302
    now = ArticleRevision.objects.pending().get(article=live)
    assert now.snapshot["body"] == "My body."
    assert [q["text"] for q in now.snapshot["quotes"]] == ["Their quote."]
