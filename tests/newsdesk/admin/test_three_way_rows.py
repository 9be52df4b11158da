"""The three-way view shows inline rows (authors, quotes, links) side by side, and
the merged result keeps the side chosen for each inline's rows."""

import pytest
from django.test import Client
from django.urls import reverse

from newsdesk import services
from newsdesk.editing.merge import MERGE_VERSION
from newsdesk.models import Article, ArticleRevision, Quote
from newsdesk.revisions import services as revisions
from newsdesk.revisions.recording import revision_record
from tests import factories as f
from tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db


def _url(article):
    return reverse("admin:newsdesk_article_change", args=[article.pk])


def _parts(response) -> dict:
    return {part.key: part for part in response.context["merge"]["row_parts"]}


def _quote_text(data: dict, text: str) -> dict:
    return {**data, "quotes-0-text": text}


@pytest.fixture
def amira():
    return f.PersonFactory(name="Amira Haddad")


@pytest.fixture
def karagiannis():
    return f.PersonFactory(name="Emmanuel Karagiannis")


# -- a draft -----------------------------------------------------------------------


@pytest.fixture
def draft_conflict(client, editor, superuser, amira, karagiannis):
    """Root opened the draft; the editor then added a quote and a headline."""
    article = f.ArticleFactory(headline="Original headline", authors=[amira])
    f.QuoteFactory(article=article, person=amira, text="We were not ready.", position=0)
    revision_record(article=article, user=None)
    client.force_login(superuser)
    opened = admin_form_data(client.get(_url(article)))
    services.quote_save(
        quote=Quote(
            article=article, person=karagiannis, text="A second attack.", position=1
        ),
        user=editor,
    )
    services.article_update(
        article=Article.objects.get(pk=article.pk),
        user=editor,
        data={"headline": "Their headline"},
        expected_version=article.version,
    )
    return article, opened


def test_a_drafts_rows_are_shown_on_the_three_sides(client, draft_conflict):
    article, opened = draft_conflict
    response = client.post(_url(article), _quote_text(opened, "We were never ready."))
    assert response.status_code == 200
    quotes = _parts(response)["quotes"]
    assert quotes.state == "both"
    assert quotes.base == ["“We were not ready.” — Amira Haddad"]
    assert quotes.theirs == [
        "“We were not ready.” — Amira Haddad",
        "“A second attack.” — Emmanuel Karagiannis",
    ]
    assert quotes.mine == ["“We were never ready.” — Amira Haddad"]
    html = response.content.decode()
    assert "Quotes" in html and "A second attack." in html
    assert 'name="_merge_rows_quotes" value="mine" checked' in html
    assert "authors" not in _parts(response)  # unchanged rows are not listed


def test_a_drafts_merged_result_saves_the_rows_of_the_form(client, draft_conflict):
    article, opened = draft_conflict
    response = client.post(_url(article), _quote_text(opened, "We were never ready."))
    merged = admin_form_data(response)
    merged[MERGE_VERSION] = str(Article.objects.get(pk=article.pk).version)
    assert client.post(_url(article), merged).status_code == 302
    article.refresh_from_db()
    assert article.headline == "Their headline"
    assert sorted(
        Quote.objects.filter(article=article).values_list("text", flat=True)
    ) == [
        "A second attack.",
        "We were never ready.",
    ]


def test_a_drafts_rows_only_they_changed_are_kept_by_the_merge(
    client, editor, superuser, amira
):
    """Only the other editor reworded a quote: the stale row in the form would
    overwrite it, so the merged result keeps theirs, as the view preselects."""
    article = f.ArticleFactory(headline="Original headline", authors=[amira])
    quote = f.QuoteFactory(
        article=article, person=amira, text="We were not ready.", position=0
    )
    revision_record(article=article, user=None)
    client.force_login(superuser)
    opened = admin_form_data(client.get(_url(article)))
    quote.text = "We were not ready at all."
    services.quote_save(quote=quote, user=editor)
    services.article_update(
        article=Article.objects.get(pk=article.pk),
        user=editor,
        data={"standfirst": "Their standfirst."},
        expected_version=article.version,
    )
    response = client.post(_url(article), {**opened, "headline": "My headline"})
    part = _parts(response)["quotes"]
    assert (part.state, part.kept) == ("theirs", "theirs")
    assert 'name="_merge_rows_quotes" value="theirs" checked' in (
        response.content.decode()
    )
    merged = {
        **admin_form_data(response),
        MERGE_VERSION: str(Article.objects.get(pk=article.pk).version),
        "_merge_rows_quotes": "theirs",
    }
    assert client.post(_url(article), merged).status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.standfirst) == (
        "My headline",
        "Their standfirst.",
    )
    assert Quote.objects.get(article=article).text == "We were not ready at all."


# -- pending changes of a live article ---------------------------------------------


@pytest.fixture
def pending_conflict(editor_client, reporter, amira, karagiannis):
    """The editor opened the live article; the reporter then staged an author."""
    article = f.ArticleFactory(published=True, headline="Live", authors=[amira])
    f.QuoteFactory(article=article, text="We were not ready.", position=0)
    opened = admin_form_data(editor_client.get(_url(article)))
    other = Client()
    other.force_login(reporter)
    revisions.article_save_pending(
        article=article,
        snapshot={
            "authors": [
                {"id": amira.pk, "label": amira.name},
                {"id": karagiannis.pk, "label": karagiannis.name},
            ]
        },
        user=reporter,
    )
    return editor_client, article, opened


def test_pending_rows_are_shown_and_the_choice_is_staged(pending_conflict):
    client, article, opened = pending_conflict
    response = client.post(_url(article), _quote_text(opened, "We were never ready."))
    assert response.status_code == 200
    parts = _parts(response)
    authors = parts["authors"]
    assert (authors.state, authors.kept) == ("theirs", "theirs")
    assert authors.theirs == ["Amira Haddad", "Emmanuel Karagiannis"]
    assert authors.base == ["Amira Haddad"]
    assert parts["quotes"].state == "mine"
    assert "Pending now" in response.content.decode()

    merged = admin_form_data(response)
    merged["_merge_rows_authors"] = "mine"
    html = response.content.decode()
    token = html.split(f'name="{MERGE_VERSION}" value="', 1)[1].split('"', 1)[0]
    merged[MERGE_VERSION] = token
    assert client.post(_url(article), merged).status_code == 302
    staged = ArticleRevision.objects.pending().get(article=article).snapshot
    assert [a["label"] for a in staged["authors"]] == ["Amira Haddad"]
    assert staged["quotes"][0]["text"] == "We were never ready."
    assert [p.name for p in Article.objects.get(pk=article.pk).byline] == [
        "Amira Haddad"
    ]
