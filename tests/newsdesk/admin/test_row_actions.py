"""The article list's row menu: each role's links, and the steps taken from it."""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from newsdesk.models import ArticleStatus
from newsdesk.revisions import services as revisions
from tests import factories as f

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:newsdesk_article_changelist"


def _menus(client, **params) -> dict[str, dict[str, str]]:
    """Each row's menu as {headline: {label: url}}."""
    page = client.get(reverse(CHANGELIST), params).content.decode()
    menus = {}
    for name, items in re.findall(
        r'<ul class="nd-row-actions" aria-label="Actions for ([^"]*)">(.*?)</ul>', page
    ):
        links = re.findall(r'<li><a href="([^"]*)"[^>]*>([^<]*)</a></li>', items)
        menus[html.unescape(name)] = {
            html.unescape(label): html.unescape(url) for url, label in links
        }
    return menus


def test_editors_menu_offers_what_each_article_can_do_next(editor_client, editor):
    draft = f.ArticleFactory(headline="A draft")
    f.ArticleFactory(headline="Going out tomorrow", scheduled=True)
    live = f.ArticleFactory(headline="Live now", published=True)
    revisions.article_save_pending(
        article=live, snapshot={"headline": "Live now, updated"}, user=editor
    )
    f.ArticleFactory(headline="Withdrawn", retracted=True)
    menus = _menus(editor_client)

    assert list(menus["A draft"]) == [
        "Edit",
        "Quick edit",
        "Preview",
        "Submit",
        "Publish…",
    ]
    assert menus["A draft"]["Edit"] == reverse(
        "admin:newsdesk_article_change", args=[draft.pk]
    )
    assert menus["A draft"]["Preview"] == draft.get_absolute_url()
    assert "Unschedule…" in menus["Going out tomorrow"]
    assert list(menus["Live now"])[:5] == [
        "Edit",
        "Quick edit",
        "View live",
        "Preview changes",
        "Compare with live",
    ]
    assert menus["Live now"]["Compare with live"] == (
        reverse("admin:newsdesk_article_revisions_compare", args=[live.pk])
        + "?from=live&to=pending"
    )
    assert "Unpublish…" in menus["Live now"]
    assert "Publish…" not in menus["Withdrawn"]


def test_reporters_menu_has_no_publishing_steps(reporter_client):
    f.ArticleFactory(headline="A draft")
    f.ArticleFactory(headline="Live now", published=True)
    f.ArticleFactory(headline="Withdrawn", retracted=True)
    menus = _menus(reporter_client)
    assert list(menus["A draft"]) == ["Edit", "Quick edit", "Preview", "Submit"]
    assert list(menus["Live now"]) == ["Edit", "Quick edit", "View live"]
    assert list(menus["Withdrawn"]) == ["View", "View notice"]  # editors' only


def test_an_editor_publishes_from_the_list_and_comes_back_to_it(editor_client):
    article = f.ArticleFactory(headline="Ready", in_review=True, language="ar")
    step = _menus(editor_client, language="ar")["Ready"]["Publish…"]
    assert editor_client.get(step).status_code == 200  # the confirmation page
    response = editor_client.post(step, {"version": article.version})
    assert response.status_code == 302
    assert response["Location"] == reverse(CHANGELIST) + "?language=ar"
    article.refresh_from_db()
    assert article.is_published()


def test_a_reporter_submits_from_the_list_and_cannot_publish(reporter_client):
    article = f.ArticleFactory(headline="Mine")
    step = _menus(reporter_client)["Mine"]["Submit"]
    response = reporter_client.post(step, {"version": article.version})
    assert response.status_code == 302
    assert response["Location"] == reverse(CHANGELIST)
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW

    # The publish step is not offered, and posting it anyway changes nothing.
    publish = reverse("admin:newsdesk_article_workflow", args=[article.pk, "publish"])
    back = urlencode({"next": reverse(CHANGELIST)})
    reporter_client.post(f"{publish}?{back}", {"version": article.version})
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW


def test_a_step_goes_back_only_to_the_article_list(editor_client):
    article = f.ArticleFactory(in_review=True)
    step = reverse("admin:newsdesk_article_workflow", args=[article.pk, "return"])
    for elsewhere in ("https://example.com/admin/newsdesk/article/", "/admin/"):
        response = editor_client.post(
            f"{step}?{urlencode({'next': elsewhere})}", {"version": article.version}
        )
        assert response["Location"] == reverse(
            "admin:newsdesk_article_change", args=[article.pk]
        )
        article.refresh_from_db()
        article.status = ArticleStatus.IN_REVIEW
        article.save()


def test_row_menus_take_no_query_per_row(editor_client, editor):
    def listed() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(reverse(CHANGELIST)).status_code == 200
        return len(queries.captured_queries)

    live = f.ArticleFactory(published=True)
    revisions.article_save_pending(
        article=live, snapshot={"headline": "Changed"}, user=editor
    )
    f.ArticleFactory(in_review=True)
    few = listed()
    for article in f.ArticleFactory.create_batch(6, published=True):
        revisions.article_save_pending(
            article=article, snapshot={"headline": "Changed too"}, user=editor
        )
    f.ArticleFactory.create_batch(4, scheduled=True)
    assert listed() == few


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (
            "/admin/newsdesk/article/?status__exact=draft",
            "/admin/newsdesk/article/?status__exact=draft",
        ),
        ("https://elsewhere.example/admin/newsdesk/article/", None),
        ("//elsewhere.example/admin/newsdesk/article/", None),
        ("/admin/newsdesk/person/", None),
        ("", None),
    ],
)
def test_only_the_article_list_on_this_site_is_returned_to(rf, target, expected):
    from newsdesk.admin.row_actions import list_to_return_to

    request = rf.get("/admin/newsdesk/article/1/quick-edit/", {"next": target})
    assert list_to_return_to(request) == expected
