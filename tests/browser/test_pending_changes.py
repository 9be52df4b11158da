"""Editing a live article in Chromium: the change is staged, previewed, and readers
(page, API, feed) keep the live text until the editor publishes the changes.

Set NEWSDESK_SCREENSHOTS to a directory to save the change form with its banner.
"""

import os
from pathlib import Path

import pytest

from tests.factories import ArticleFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
SHOTS = os.environ.get("NEWSDESK_SCREENSHOTS")


@pytest.fixture
def live_story():
    from newsdesk.roles import roles_sync

    roles_sync()  # transactional tests start from an emptied database
    editor = UserFactory(username="eddie", role="editor", is_staff=True)
    editor.set_password(PASSWORD)
    editor.save()
    return ArticleFactory(
        published=True,
        headline="Attack on Ghwayran prison enters its third day",
        body="Fighting continued around the prison walls on Saturday.",
        authors=[PersonFactory(name="Amira Haddad")],
    )


def _log_in(page, username):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


def _shot(page, name):
    if SHOTS:
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_timeout(300)
            page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"))


def test_edit_live_preview_publish(page, browser, live_server, live_story):
    reader = browser.new_context(base_url=live_server.url).new_page()
    public = live_story.get_absolute_url()
    # Readers' pages are stored before the edit: a stale store would show below.
    assert "third day" in reader.goto(public).text()

    _log_in(page, "eddie")
    change = f"/admin/newsdesk/article/{live_story.pk}/change/"
    page.goto(change)
    assert page.get_by_text("This article is live").is_visible()
    page.locator("#id_headline").fill("Ghwayran prison retaken after six days")
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_load_state()
    banner = page.locator(".nd-pending")
    assert "Editing pending changes to a live article" in banner.inner_text()
    assert "by eddie" in banner.inner_text()
    assert page.locator("#id_headline").input_value() == (
        "Ghwayran prison retaken after six days"
    )
    _shot(page, "article-pending-changes")

    preview = page.context.new_page()
    preview.goto(f"{public}?pending=1")
    assert "retaken after six days" in preview.locator("main").inner_text()
    assert "Preview of pending changes" in preview.inner_text("body")
    preview.close()

    def reader_sees(text):
        # Asked afresh each time (a browser may keep a page for its max-age).
        answers = [
            reader.request.get(f"{live_server.url}{url}").text()
            for url in (
                public,
                f"/api/v1/articles/{live_story.pk}/",
                "/feeds/latest/rss/",
            )
        ]
        return [text in answer for answer in answers]

    assert reader_sees("retaken") == [False, False, False]
    assert reader_sees("third day") == [True, True, True]

    page.get_by_role("link", name="Publish changes").click()
    page.get_by_role("button", name="Publish changes").click()
    page.wait_for_url(f"**{change}")
    assert page.get_by_text("Changes published").is_visible()
    assert page.get_by_text("This article is live").is_visible()
    assert reader_sees("retaken") == [True, True, True]
