"""A draft's change form opened before a colleague changed its rows (byline,
quotes) is a stale save like any other: the editor gets the three-way view,
never a form error on rows that vanished, and the merged result saves."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from newsdesk import services
from newsdesk.editing.merge import MERGE_VERSION
from newsdesk.models import Article, ArticleAuthor, Quote
from newsdesk.revisions.recording import revision_record
from tests import factories as f
from tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db

INVALID_CHOICE = "Select a valid choice"


def _url(article):
    return reverse("admin:newsdesk_article_change", args=[article.pk])


def _prefix(page, model):
    return next(
        inline.formset.prefix
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is model
    )


def _row_index(data, prefix, field, value) -> int:
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    return next(i for i in range(total) if data[f"{prefix}-{i}-{field}"] == str(value))


def _byline(article) -> list[str]:
    return list(
        ArticleAuthor.objects.filter(article=article)
        .order_by("position")
        .values_list("person__name", flat=True)
    )


def _parts(response) -> dict:
    return {part.key: part for part in response.context["merge"]["row_parts"]}


def _merged(response, article, **choices) -> dict:
    data = admin_form_data(response)
    data[MERGE_VERSION] = str(Article.objects.get(pk=article.pk).version)
    data.update({f"_merge_rows_{key}": side for key, side in choices.items()})
    return data


def _assert_three_way_without_row_errors(response) -> None:
    assert response.status_code == 200
    assert "merge" in response.context, "expected the three-way view"
    html = response.content.decode()
    assert INVALID_CHOICE not in html
    for inline in response.context["inline_admin_formsets"]:
        for form in inline.formset.forms:
            assert not form.errors, form.errors


@pytest.fixture
def people():
    return {
        name: f.PersonFactory(name=name)
        for name in ("Amira Haddad", "Emmanuel Karagiannis", "Rami Khoury")
    }


@pytest.fixture
def draft(people):
    article = f.ArticleFactory(headline="Original headline")
    for position, name in enumerate(("Amira Haddad", "Emmanuel Karagiannis")):
        f.ArticleAuthorFactory(article=article, person=people[name], position=position)
    f.QuoteFactory(article=article, text="We were not ready.", position=0)
    f.QuoteFactory(article=article, text="Nobody came.", position=1)
    revision_record(article=article, user=None)
    return article


@pytest.fixture
def colleague(editor):
    other = Client()
    other.force_login(editor)
    return other


@pytest.fixture
def stale(client, superuser, draft):
    """Root opens the draft's form and keeps it open."""
    client.force_login(superuser)
    return admin_form_data(client.get(_url(draft)))


def _colleague_saves(colleague, article, change) -> None:
    """The colleague opens the form, changes it with `change(data, page)` and saves."""
    page = colleague.get(_url(article))
    data = admin_form_data(page)
    change(data, page)
    response = colleague.post(_url(article), data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def _reorder_and_add(data, page, people):
    prefix = _prefix(page, ArticleAuthor)
    first = _row_index(data, prefix, "person", people["Amira Haddad"].pk)
    second = _row_index(data, prefix, "person", people["Emmanuel Karagiannis"].pk)
    data[f"{prefix}-{first}-position"] = "1"
    data[f"{prefix}-{second}-position"] = "0"
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    data[f"{prefix}-{index}-person"] = str(people["Rami Khoury"].pk)
    data[f"{prefix}-{index}-position"] = "2"


def test_a_byline_change_keeps_the_rows_that_stay(people, draft):
    before = dict(
        ArticleAuthor.objects.filter(article=draft).values_list("person_id", "id")
    )
    services.article_set_authors(
        article=draft,
        authors=[
            people["Rami Khoury"],
            people["Emmanuel Karagiannis"],
            people["Amira Haddad"],
        ],
    )
    after = dict(
        ArticleAuthor.objects.filter(article=draft).values_list("person_id", "id")
    )
    for name in ("Amira Haddad", "Emmanuel Karagiannis"):
        assert after[people[name].pk] == before[people[name].pk]
    assert _byline(draft) == ["Rami Khoury", "Emmanuel Karagiannis", "Amira Haddad"]
    services.article_set_authors(article=draft, authors=[people["Amira Haddad"]])
    assert list(
        ArticleAuthor.objects.filter(article=draft).values_list("id", "position")
    ) == [(before[people["Amira Haddad"].pk], 0)]


def test_a_stale_form_after_a_byline_change_merges_and_saves(
    client, colleague, people, draft, stale
):
    _colleague_saves(
        colleague, draft, lambda data, page: _reorder_and_add(data, page, people)
    )
    response = client.post(_url(draft), {**stale, "headline": "My headline"})
    _assert_three_way_without_row_errors(response)
    authors = _parts(response)["authors"]
    assert (authors.state, authors.kept) == ("theirs", "theirs")
    assert authors.theirs == ["Emmanuel Karagiannis", "Amira Haddad", "Rami Khoury"]

    saved = client.post(_url(draft), _merged(response, draft, authors="theirs"))
    assert saved.status_code == 302
    assert Article.objects.get(pk=draft.pk).headline == "My headline"
    assert _byline(draft) == ["Emmanuel Karagiannis", "Amira Haddad", "Rami Khoury"]


def test_a_stale_form_after_an_author_was_removed_merges_and_saves(
    client, colleague, people, draft, stale
):
    def remove_karagiannis(data, page):
        prefix = _prefix(page, ArticleAuthor)
        row = _row_index(data, prefix, "person", people["Emmanuel Karagiannis"].pk)
        data[f"{prefix}-{row}-DELETE"] = "on"

    _colleague_saves(colleague, draft, remove_karagiannis)
    response = client.post(_url(draft), {**stale, "headline": "My headline"})
    _assert_three_way_without_row_errors(response)
    authors = _parts(response)["authors"]
    assert (authors.state, authors.kept) == ("theirs", "theirs")
    assert authors.mine == ["Amira Haddad", "Emmanuel Karagiannis"]

    saved = client.post(_url(draft), _merged(response, draft, authors="theirs"))
    assert saved.status_code == 302
    assert Article.objects.get(pk=draft.pk).headline == "My headline"
    assert _byline(draft) == ["Amira Haddad"]


def test_a_merged_result_can_keep_my_byline_over_a_removed_row(
    client, colleague, people, draft, stale
):
    """Both changed the byline: the colleague removed an author, the editor put
    a third one in; keeping the editor's rows restores the removed author."""

    def remove_karagiannis(data, page):
        prefix = _prefix(page, ArticleAuthor)
        row = _row_index(data, prefix, "person", people["Emmanuel Karagiannis"].pk)
        data[f"{prefix}-{row}-DELETE"] = "on"

    _colleague_saves(colleague, draft, remove_karagiannis)
    prefix = "article_authors"
    mine = {
        **stale,
        f"{prefix}-TOTAL_FORMS": "3",
        f"{prefix}-2-person": str(people["Rami Khoury"].pk),
        f"{prefix}-2-position": "2",
    }
    response = client.post(_url(draft), mine)
    _assert_three_way_without_row_errors(response)
    authors = _parts(response)["authors"]
    assert authors.state == "both"
    assert authors.mine == ["Amira Haddad", "Emmanuel Karagiannis", "Rami Khoury"]

    saved = client.post(_url(draft), _merged(response, draft, authors="mine"))
    assert saved.status_code == 302
    assert _byline(draft) == ["Amira Haddad", "Emmanuel Karagiannis", "Rami Khoury"]


def test_a_quote_removed_meanwhile_is_a_stale_save_not_a_row_error(
    client, editor, draft, stale
):
    """A row write keeps the article's version; the vanished row alone tells the
    form it is stale, and the merged result does not bring the quote back."""
    services.quote_delete(
        quote=Quote.objects.get(article=draft, text="Nobody came."), user=editor
    )
    response = client.post(_url(draft), {**stale, "headline": "My headline"})
    _assert_three_way_without_row_errors(response)
    quotes = _parts(response)["quotes"]
    assert (quotes.state, quotes.kept) == ("theirs", "theirs")
    assert Article.objects.get(pk=draft.pk).headline == "Original headline"

    saved = client.post(_url(draft), _merged(response, draft, quotes="theirs"))
    assert saved.status_code == 302
    assert Article.objects.get(pk=draft.pk).headline == "My headline"
    assert list(Quote.objects.filter(article=draft).values_list("text", flat=True)) == [
        "We were not ready."
    ]


def test_a_quote_removed_meanwhile_comes_back_when_i_keep_mine(
    client, editor, draft, stale
):
    services.quote_delete(
        quote=Quote.objects.get(article=draft, text="Nobody came."), user=editor
    )
    response = client.post(_url(draft), {**stale, "headline": "My headline"})
    _assert_three_way_without_row_errors(response)
    saved = client.post(_url(draft), _merged(response, draft, quotes="mine"))
    assert saved.status_code == 302
    assert sorted(
        Quote.objects.filter(article=draft).values_list("text", flat=True)
    ) == ["Nobody came.", "We were not ready."]
