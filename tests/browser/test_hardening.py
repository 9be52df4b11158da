"""In Chromium, under the site's CSP: payloads never run, and nothing is blocked."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.hardening.browser import log_in, watched_page
from tests.hardening.test_xss import build_payload_newsroom
from tests.hardening.xss import MARK, PAYLOADS

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def watched(browser, live_server):
    with watched_page(browser, live_server) as watched:
        yield watched


# Redoc's bundle always tries to show the vendor's logo from its CDN (no option
# turns it off, and it hides itself when the load fails); the policy blocking
# that one outside image is the policy working, not a broken page.
REDOC_VENDOR_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def _csp_console_errors(watched) -> list[str]:
    return [
        e
        for e in watched.console_errors
        if "Content Security Policy" in e and REDOC_VENDOR_LOGO not in e
    ]


@pytest.mark.parametrize("round_no", [3])
def test_payloads_do_not_run_in_chromium(
    watched, live_server, transactional_db, superuser, round_no
):
    room = build_payload_newsroom(round_no)
    article = room["articles"][1]
    pages = [
        "/",
        article.get_absolute_url(),
        room["articles"][0].get_absolute_url(),
        room["incident"].get_absolute_url(),
        reverse("incidents:recommendation_tracker"),
        room["person"].get_absolute_url(),
        "/search/?" + urlencode({"q": PAYLOADS[round_no]}),
        "/search/?" + urlencode({"q": MARK}),
    ]
    seen = []
    for url in pages:
        result = watched.visit(url)
        assert result["status"] == 200, url
        assert result["xss"] is None, url
        seen.append(watched.page.content())
    assert any(MARK in html for html in seen)

    log_in(watched, superuser, live_server)
    for url in (
        reverse("admin:newsdesk_article_change", args=[article.pk]),
        reverse("admin:newsdesk_comment_changelist"),
        reverse("admin:incidents_incident_change", args=[room["incident"].pk]),
        reverse("admin:incidents_recommendation_changelist"),
    ):
        result = watched.visit(url)
        assert result["status"] == 200, url
        assert result["xss"] is None, url
    assert watched.dialogs == []


def test_site_admin_and_api_docs_work_under_the_csp(
    watched, live_server, transactional_db, superuser
):
    room = build_payload_newsroom(1)
    urls = [
        "/",
        room["articles"][1].get_absolute_url(),
        room["incident"].get_absolute_url(),
        reverse("incidents:incident_list"),
        "/api/docs/",
        "/api/redoc/",
    ]
    for url in urls:
        result = watched.visit(url, poke=False)
        assert result["status"] == 200, url
        # Whether Redoc's logo request has been refused yet when the page
        # settles depends on timing; it is the only outside load allowed to fail.
        violations = [
            v for v in result["violations"] if v != f"img-src {REDOC_VENDOR_LOGO}"
        ]
        assert violations == [], (url, result["violations"])
    # The map script ran: Leaflet built its container.
    watched.visit(room["incident"].get_absolute_url(), poke=False)
    assert watched.page.locator(".leaflet-container").count() >= 1
    # Swagger UI rendered the operations from the schema.
    watched.visit("/api/docs/", poke=False)
    watched.page.wait_for_selector(".opblock", timeout=15_000)

    log_in(watched, superuser, live_server)
    for url in (
        reverse("admin:index"),
        reverse("admin:newsdesk_article_change", args=[room["articles"][1].pk]),
        reverse("admin:newsdesk_article_add"),
        reverse("admin:incidents_incident_change", args=[room["incident"].pk]),
    ):
        result = watched.visit(url, poke=False)
        assert result["status"] == 200, url
        assert result["violations"] == [], (url, result["violations"])
    assert _csp_console_errors(watched) == []
    assert watched.page_errors == []


def test_an_untouched_payload_form_leaves_quietly_and_saves_its_topic(
    watched, live_server, transactional_db, superuser
):
    """Once the autocomplete boxes are built the form is still what the server
    sent: leaving asks nothing, Save keeps the topic. Removing the topic is an
    edit, and leaving then asks."""
    from newsdesk.models import Article

    room = build_payload_newsroom(3)
    article = room["articles"][2]  # the draft: a save writes the article itself
    topics = set(article.topics.values_list("pk", flat=True))
    change = reverse("admin:newsdesk_article_change", args=[article.pk])
    elsewhere = reverse("admin:newsdesk_comment_changelist")
    log_in(watched, superuser, live_server)
    page = watched.page

    def open_form():
        page.goto(change, wait_until="load")
        page.locator(".field-topics .select2-selection__choice").wait_for()
        page.wait_for_timeout(300)

    open_form()
    watched.visit(elsewhere, poke=False)
    assert watched.leave_prompts == []

    open_form()
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_url(re.compile(r"/change/$"))
    page.locator(".messagelist .success").wait_for()
    assert (
        set(Article.objects.get(pk=article.pk).topics.values_list("pk", flat=True))
        == topics
    )
    watched.visit(elsewhere, poke=False)
    assert watched.leave_prompts == []

    open_form()
    page.locator(".field-topics .select2-selection__choice__remove").click()
    page.keyboard.press("Escape")
    watched.visit(elsewhere, poke=False)
    assert watched.leave_prompts == [live_server.url + change]
    assert watched.dialogs == []
