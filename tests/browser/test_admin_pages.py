"""Every admin screen in Chromium: no console error, no failed request of our own,
no serious accessibility violation, nothing wider than the window."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from tests import factories as f
from tests.admin_rows import admin_row
from tests.hardening.browser import log_in, watched_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 1280
# Only the rules about what people can perceive and operate: the page
# structure rules of the stock admin (landmarks, headings) are out of our hands.
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]},
}


def _admin_pages(superuser) -> list[str]:
    request = RequestFactory().get("/admin/")
    request.user = superuser
    pages = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        app_label, model_name = label.split(".")
        row = admin_row(label)
        pages.append(reverse(f"admin:{app_label}_{model_name}_changelist"))
        if model_admin.has_add_permission(request):  # some rows are never added by hand
            pages.append(reverse(f"admin:{app_label}_{model_name}_add"))
        pages.append(reverse(f"admin:{app_label}_{model_name}_change", args=[row.pk]))
    workflow = {
        "submit": f.ArticleFactory(),
        "return": f.ArticleFactory(in_review=True),
        "publish": f.ArticleFactory(in_review=True),
        "unschedule": f.ArticleFactory(scheduled=True),
        "correct": f.ArticleFactory(published=True),
        "retract": f.ArticleFactory(published=True),
    }
    for action, article in workflow.items():
        pages.append(
            reverse("admin:newsdesk_article_workflow", args=[article.pk, action])
        )
    for article in (f.ArticleFactory(), f.ArticleFactory(published=True)):
        pages.append(reverse("admin:newsdesk_article_quick_edit", args=[article.pk]))
    return pages


def test_every_admin_page_is_clean_in_chromium(browser, live_server):
    from newsdesk.roles import roles_sync

    roles_sync()  # transactional tests start from an emptied database
    superuser = f.UserFactory(username="root-admin", is_superuser=True)
    pages = _admin_pages(superuser)
    origin = urlparse(live_server.url).netloc
    problems: list[str] = []
    axe = Axe()
    with watched_page(browser, live_server) as watched:
        log_in(watched, superuser, live_server)
        page = watched.page
        page.set_viewport_size({"width": WIDTH, "height": 900})
        failed: list[str] = []
        page.on(
            "requestfailed",
            lambda r: (
                urlparse(r.url).netloc == origin
                and failed.append(f"{r.url} {r.failure}")
            ),
        )
        page.on(
            "response",
            lambda r: (
                urlparse(r.url).netloc == origin
                and r.status >= 400
                and failed.append(f"{r.url} {r.status}")
            ),
        )
        for url in pages:
            failed.clear()
            watched.console_errors.clear()
            watched.page_errors.clear()
            response = page.goto(url, wait_until="load")
            if response is None or response.status != 200:
                problems.append(f"{url}: status {response and response.status}")
                continue
            width = page.evaluate("() => document.documentElement.scrollWidth")
            if width > WIDTH:
                problems.append(f"{url}: {width} px wide at {WIDTH} px")
            for error in watched.console_errors + watched.page_errors:
                problems.append(f"{url}: console: {error}")
            for request in failed:
                problems.append(f"{url}: request failed: {request}")
            results = axe.run(page, options=AXE_OPTIONS)
            for violation in results.response["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    targets = [n["target"] for n in violation["nodes"][:3]]
                    problems.append(f"{url}: axe {violation['id']}: {targets}")
    assert len(pages) > 60
    assert not problems, "\n".join(problems)
