"""Quick edit from the article list: saved or staged by role and status, stale edits
refused, bad input shown at its field, nothing written half-way."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from newsdesk.models import Article, ArticleAuthor, ArticleRevision, RevisionKind
from newsdesk.revisions import services as revisions
from newsdesk.revisions.selectors import pending_revision
from tests import factories as f

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:newsdesk_article_changelist"
SCRIPT = {"HTTP_X_QUICK_EDIT": "1"}


def _url(article: Article, **params: str) -> str:
    url = reverse("admin:newsdesk_article_quick_edit", args=[article.pk])
    return f"{url}?{urlencode(params)}" if params else url


def _data(article: Article, **changes) -> dict:
    """The quick-edit form as it opens for `article`, with `changes`."""
    pending = pending_revision(article)
    data = {
        "headline": article.headline,
        "standfirst": article.standfirst,
        "slug": article.slug,
        "language": article.language,
        "byline": ", ".join(
            ArticleAuthor.objects.filter(article=article)
            .order_by("position")
            .values_list("person__name", flat=True)
        ),
        "topics": [t.pk for t in article.topics.all()],
        "version_seen": article.version,
        "pending_seen": pending.pk if pending else 0,
    }
    data.update(changes)
    return data


@pytest.fixture
def people():
    return f.PersonFactory(name="Amira Haddad"), f.PersonFactory(name="Lina Saleh")


def test_editor_quick_edits_a_draft_directly_with_byline_and_topics(
    editor_client, people
):
    amira, lina = people
    syria, camps = f.TopicFactory(name="Syria"), f.TopicFactory(name="Camps")
    draft = f.ArticleFactory(headline="Old headline", authors=[amira])
    back = reverse(CHANGELIST) + "?state=draft"
    response = editor_client.post(
        _url(draft, next=back),
        _data(
            draft,
            headline="New headline",
            standfirst="What happened, in a line.",
            slug="new-headline",
            language="fr",
            byline="lina saleh, Amira Haddad",
            topics=[camps.pk, syria.pk],
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == back
    draft.refresh_from_db()
    assert (draft.headline, draft.slug, draft.language) == (
        "New headline",
        "new-headline",
        "fr",
    )
    assert draft.standfirst == "What happened, in a line."
    assert list(
        ArticleAuthor.objects.filter(article=draft)
        .order_by("position")
        .values_list("person", flat=True)
    ) == [lina.pk, amira.pk]
    assert set(draft.topics.all()) == {syria, camps}
    # One revision records the whole edit, rows included.
    latest = ArticleRevision.objects.filter(article=draft).order_by("-id").first()
    assert latest.snapshot["headline"] == "New headline"
    assert [a["label"] for a in latest.snapshot["authors"]] == [
        "Lina Saleh",
        "Amira Haddad",
    ]
    assert {t["label"] for t in latest.snapshot["topics"]} == {"Syria", "Camps"}


def test_script_gets_the_form_alone_and_json_back(editor_client):
    draft = f.ArticleFactory(headline="Old headline")
    page = editor_client.get(_url(draft), **SCRIPT)
    assert page.status_code == 200
    body = page.content.decode()
    assert body.lstrip().startswith("<form") and "<html" not in body
    assert 'name="headline"' in body and 'name="byline"' in body
    response = editor_client.post(
        _url(draft), _data(draft, headline="Quick headline"), **SCRIPT
    )
    assert response.status_code == 200
    assert response.json() == {"saved": True, "message": "Saved."}
    draft.refresh_from_db()
    assert draft.headline == "Quick headline"


def test_live_article_edit_is_staged_as_pending_changes(client, editor, reporter):
    live = f.ArticleFactory(headline="Live headline", published=True)
    version = live.version
    client.force_login(reporter)
    response = client.post(
        _url(live), _data(live, headline="Proposed headline"), **SCRIPT
    )
    assert response.status_code == 200
    assert "submit them for review" in response.json()["message"]
    live.refresh_from_db()
    assert live.headline == "Live headline"  # readers keep the live version
    assert live.version == version
    pending = pending_revision(live)
    assert pending.snapshot["headline"] == "Proposed headline"
    assert pending.created_by.username == "rita-reporter"

    # The form opens from the pending changes, and the editor's edit replaces them.
    client.force_login(editor)
    form = client.get(_url(live), **SCRIPT).content.decode()
    assert 'value="Proposed headline"' in form
    assert f'name="pending_seen" value="{pending.pk}"' in form
    response = client.post(
        _url(live), _data(live, headline="Edited headline"), **SCRIPT
    )
    assert response.status_code == 200
    assert pending_revision(live).snapshot["headline"] == "Edited headline"
    assert (
        ArticleRevision.objects.get(pk=pending.pk).kind == RevisionKind.PROPOSED
    )  # kept in the history, as from the change form
    live.refresh_from_db()
    assert live.headline == "Live headline"


def test_stale_quick_edit_is_refused_with_who_changed_it(editor_client, editor):
    draft = f.ArticleFactory(headline="First")
    stale = _data(draft, headline="Mine")
    other = f.UserFactory(username="colleague", role="editor")
    draft.headline = "Theirs"
    revisions.article_edit(
        article=draft, user=other, fields={"headline": "Theirs"}, expected_version=None
    )
    response = editor_client.post(_url(draft), stale, **SCRIPT)
    assert response.status_code == 409
    form = response.json()["form"]
    assert "changed by colleague" in form and "Nothing was saved" in form
    draft.refresh_from_db()
    assert draft.headline == "Theirs"

    # Without the script: the page again, with the same message.
    response = editor_client.post(_url(draft), stale)
    assert response.status_code == 409
    assert "changed by colleague" in response.content.decode()


def test_stale_pending_changes_are_refused(editor_client, editor, reporter):
    live = f.ArticleFactory(headline="Live", published=True)
    stale = _data(live, headline="Mine")  # opened with nothing pending
    revisions.article_save_pending(
        article=live, snapshot={"headline": "Rita's"}, user=reporter
    )
    response = editor_client.post(_url(live), stale, **SCRIPT)
    assert response.status_code == 409
    assert "rita-reporter saved pending changes" in response.json()["form"]
    assert pending_revision(live).snapshot["headline"] == "Rita's"


def test_invalid_input_is_shown_at_its_field_and_nothing_is_written(
    editor_client, people
):
    taken = f.ArticleFactory(slug="taken")
    draft = f.ArticleFactory(headline="Keep me", authors=[people[0]])
    before = ArticleRevision.objects.filter(article=draft).count()
    for changes, field, text in (
        ({"headline": ""}, "headline", "This field is required."),
        ({"slug": taken.slug}, "slug", "already exists"),
        ({"slug": "not a slug!"}, "slug", "Enter a valid"),
        ({"language": "not a language tag!"}, "language", ""),
        ({"byline": "Amira Haddad, Nobody Known"}, "byline", "Nobody Known"),
        ({"topics": ["999999"]}, "topics", "Select a valid choice"),
        ({"version_seen": "x"}, "version_seen", ""),
    ):
        response = editor_client.post(
            _url(draft), _data(draft, **{"headline": "Changed", **changes}), **SCRIPT
        )
        assert response.status_code == 400, changes
        html = response.json()["form"]
        if field != "version_seen":
            assert f'id="id_{field}_errors"' in html or field == "topics", changes
        assert text in html, changes
    draft.refresh_from_db()
    assert draft.headline == "Keep me"
    assert ArticleRevision.objects.filter(article=draft).count() == before
    response = editor_client.post(_url(draft), _data(draft, headline=""))
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_a_refused_row_leaves_the_fields_unwritten(editor_client, monkeypatch, people):
    """Fields and byline are one write: a failure in the byline undoes the fields."""
    draft = f.ArticleFactory(headline="Keep me")

    def refuse(**kwargs):
        from django.core.exceptions import ValidationError

        raise ValidationError("The byline could not be saved.")

    monkeypatch.setattr("newsdesk.services.article_set_authors", refuse)
    response = editor_client.post(
        _url(draft), _data(draft, headline="Changed", byline="Lina Saleh"), **SCRIPT
    )
    assert response.status_code == 400
    assert "The byline could not be saved." in response.json()["form"]
    draft.refresh_from_db()
    assert draft.headline == "Keep me"


def test_refused_where_the_role_may_not_edit(reporter_client, client, moderator):
    retracted = f.ArticleFactory(headline="Withdrawn", retracted=True)
    assert reporter_client.get(_url(retracted)).status_code == 403
    response = reporter_client.post(
        _url(retracted), _data(retracted, headline="Changed"), **SCRIPT
    )
    assert response.status_code == 403
    retracted.refresh_from_db()
    assert retracted.headline == "Withdrawn"

    draft = f.ArticleFactory(headline="A draft")
    client.force_login(moderator)  # moderators see no articles
    response = client.post(_url(draft), _data(draft, headline="Changed"))
    assert response.status_code in (302, 403)
    draft.refresh_from_db()
    assert draft.headline == "A draft"


def test_editor_may_quick_edit_a_retracted_article(editor_client):
    retracted = f.ArticleFactory(headline="Withdrawn", retracted=True)
    response = editor_client.post(
        _url(retracted), _data(retracted, headline="Withdrawn (note fixed)"), **SCRIPT
    )
    assert response.status_code == 200
    retracted.refresh_from_db()
    assert retracted.headline == "Withdrawn (note fixed)"


def test_row_menu_offers_quick_edit_only_where_the_user_may_edit(
    client, editor, reporter
):
    f.ArticleFactory(headline="Withdrawn", retracted=True)
    draft = f.ArticleFactory(headline="A draft")
    client.force_login(editor)
    page = client.get(reverse(CHANGELIST)).content.decode()
    assert page.count('class="nd-row-quick"') == 2
    assert _url(draft) + "?next=" in page
    assert "newsdesk/admin/quick-edit.js" in page
    client.force_login(reporter)
    page = client.get(reverse(CHANGELIST)).content.decode()
    assert page.count('class="nd-row-quick"') == 1


def test_list_queries_do_not_grow_with_quick_edit_links(editor_client):
    def listed() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = editor_client.get(reverse(CHANGELIST))
        assert response.status_code == 200
        return len(queries.captured_queries)

    f.ArticleFactory()
    f.ArticleFactory(published=True)
    f.ArticleFactory(retracted=True)
    few = listed()
    f.ArticleFactory.create_batch(10)
    f.ArticleFactory.create_batch(5, published=True)
    f.ArticleFactory.create_batch(3, retracted=True)
    assert listed() == few


def test_quick_edit_page_has_no_inline_script(editor_client):
    draft = f.ArticleFactory(headline="A draft")
    page = editor_client.get(_url(draft)).content.decode()
    assert "onclick" not in page and "onsubmit" not in page
    assert json.dumps("Quick edit")[1:-1] in page
