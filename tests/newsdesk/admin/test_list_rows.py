"""The article list's rows: the admin's own cells, worked out once per page."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import results
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.models import User
from django.core.cache import cache
from django.urls import reverse
from django.urls.resolvers import URLResolver

from newsdesk.admin.list_rows import list_rows
from newsdesk.models import Article
from newsdesk.revisions import services as revisions
from tests import factories as f

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:newsdesk_article_changelist"


def _archive(editor) -> None:
    """Articles in every state, with and without source, byline and image, and
    a headline that needs escaping."""
    source = f.SourceFactory(name="Rudaw & partners")
    people = [f.PersonFactory(name="Hawar <staff>"), f.PersonFactory(name="Ana")]
    f.ArticleFactory(
        headline='Guards "&" <b>inmates</b>', source=source, authors=people
    )
    f.ArticleFactory(in_review=True, lead_image=f.ImageFactory(), body="   ")
    f.ArticleFactory(scheduled=True, language="ar")
    live = f.ArticleFactory(published=True, updated_by=editor)
    revisions.article_save_pending(
        article=live, snapshot={"headline": "Live, revised"}, user=editor
    )
    f.ArticleFactory(retracted=True)


def _changelist(rf, user, **params) -> ChangeList:
    request = rf.get(reverse(CHANGELIST), params)
    request.user = user
    model_admin = admin.site._registry[Article]
    changelist = model_admin.get_changelist_instance(request)
    changelist.formset = None
    return changelist


@pytest.mark.parametrize("role", ["editor", "reporter"])
def test_rows_are_the_cells_django_writes(rf, request, role, editor):
    _archive(editor)
    changelist = _changelist(rf, request.getfixturevalue(role))
    stock = ["".join(row) for row in results(changelist)]
    ours = ["".join(row) for row in list_rows(changelist)]
    assert len(ours) == 5
    assert ours == stock
    assert any("&lt;b&gt;inmates&lt;/b&gt;" in row for row in ours)


def _counting(monkeypatch, cls, name: str) -> list[int]:
    calls = [0]
    original = getattr(cls, name)

    def counted(*args, **kwargs):
        calls[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(cls, name, counted)
    return calls


def test_permissions_and_urls_are_worked_out_once_per_page(
    editor_client, editor, monkeypatch
):
    permission_checks = _counting(monkeypatch, User, "has_perm")
    reversals = _counting(monkeypatch, URLResolver, "_reverse_with_prefix")

    def listed() -> tuple[int, int]:
        cache.clear()
        permission_checks[0] = reversals[0] = 0
        page = editor_client.get(reverse(CHANGELIST))
        assert page.status_code == 200
        return permission_checks[0], reversals[0]

    _archive(editor)
    few = listed()
    for article in f.ArticleFactory.create_batch(5, published=True):
        revisions.article_save_pending(
            article=article, snapshot={"headline": "Changed"}, user=editor
        )
    f.ArticleFactory.create_batch(5, retracted=True)
    f.ArticleFactory.create_batch(5)
    assert listed() == few


def test_a_reporter_may_still_not_edit_a_retracted_article_from_the_list(
    reporter_client,
):
    withdrawn = f.ArticleFactory(retracted=True, headline="Withdrawn")
    f.ArticleFactory(headline="Drafted")
    page = reporter_client.get(reverse(CHANGELIST)).content.decode()
    menus = dict(
        re.findall(r'aria-label="Actions for ([^"]*)"><li><a href="[^"]*">(\w+)<', page)
    )
    assert menus == {"Withdrawn": "View", "Drafted": "Edit"}
    quick = reverse("admin:newsdesk_article_quick_edit", args=[withdrawn.pk])
    assert quick not in page


def test_the_list_does_not_build_the_app_menu_it_does_not_show(
    editor_client, monkeypatch
):
    built = _counting(monkeypatch, type(admin.site._wrapped), "_build_app_dict")
    f.ArticleFactory()
    assert editor_client.get(reverse(CHANGELIST)).status_code == 200
    assert built[0] == 0
    # The index still lists the apps and their models.
    index = editor_client.get(reverse("admin:index"))
    assert built[0] == 1
    assert reverse(CHANGELIST) in index.content.decode()


def test_topic_filter_lists_every_topic_by_name(editor_client):
    f.TopicFactory(name="Repatriation")
    f.TopicFactory(name="Camps")
    f.ArticleFactory()
    page = editor_client.get(reverse(CHANGELIST)).content.decode()
    names = re.findall(r'<a href="\?topics__id__exact=\d+">([^<]*)</a>', page)
    assert names == ["Camps", "Repatriation"]
    assert "No topic" in page
