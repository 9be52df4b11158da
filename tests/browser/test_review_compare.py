"""Review and compare in Chromium: an editor compares two versions, requests changes
with a comment, and the reporter finds it on the dashboard and resubmits.

Set NEWSDESK_SCREENSHOTS to a directory to save the screens.
"""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from newsdesk import services
from newsdesk.models import Article, ArticleStatus, ReviewNote
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
SHOTS = os.environ.get("NEWSDESK_SCREENSHOTS")

BODY = (
    "Fighters attacked the prison at night, freeing dozens of detainees.\n\n"
    "The SDF said it regained control after six days of fighting."
)


def _shot(page, name, width):
    if SHOTS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(200)
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)


def _log_in(page, username):
    page.context.clear_cookies()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.fixture
def people():
    from newsdesk.roles import roles_sync

    roles_sync()
    users = {}
    for name, role in (("eddie", "editor"), ("rita", "reporter")):
        users[role] = f.UserFactory(username=name, role=role, is_staff=True)
        users[role].set_password(PASSWORD)
        users[role].save()
    return users


def test_compare_request_changes_and_resubmit(page, people):
    reporter, editor = people["reporter"], people["editor"]
    article = services.article_create(
        user=reporter,
        headline="Shelling resumes near Ghwayran prison",
        standfirst="Residents of Hasaka report heavy fire overnight.",
        body=BODY,
        authors=[f.PersonFactory(name="Amira Haddad")],
    )
    article.standfirst = "Residents of Hasaka report heavy artillery fire at dawn."
    article.body = BODY.replace("dozens of", "more than a hundred")
    services.article_save(
        article=article, user=reporter, expected_version=article.version, is_new=False
    )
    services.article_submit(article=article, user=reporter)

    _log_in(page, editor.username)
    page.goto(reverse("admin:newsdesk_article_history", args=[article.pk]))
    page.locator('input[name="from"]').last.check()  # the first version
    page.get_by_role("button", name="Compare the chosen versions").click()
    page.wait_for_url("**/history/compare/**")
    assert page.locator(".nd-compare__side--new ins", has_text="artillery").is_visible()
    assert page.locator(".nd-compare__side--old del", has_text="dozens").is_visible()
    _shot(page, "admin-compare", 1280)
    _shot(page, "admin-compare", 390)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(reverse("admin:newsdesk_article_history", args=[article.pk]))
    _shot(page, "admin-history", 1280)
    _shot(page, "admin-history", 390)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(reverse("admin:newsdesk_article_change", args=[article.pk]))
    page.get_by_role("link", name="Request changes").click()
    page.get_by_label("Comment").fill("Say who counted the freed detainees.")
    page.get_by_role("button", name="Request changes").click()
    page.wait_for_url(f"**/{article.pk}/change/")
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.DRAFT

    _log_in(page, reporter.username)
    page.goto("/admin/")
    queue = page.locator(".nd-queue", has_text="Changes requested of you")
    assert queue.get_by_text("Say who counted the freed detainees.").is_visible()
    _shot(page, "admin-dashboard-review", 1280)
    _shot(page, "admin-dashboard-review", 390)
    queue.get_by_role("link", name=article.headline).click()
    page.wait_for_url(f"**/{article.pk}/change/")
    notice = page.locator("section[role=status]", has_text="Changes requested")
    expect(notice).to_contain_text("Say who counted the freed detainees.")
    page.set_viewport_size({"width": 1280, "height": 900})
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / "admin-review-request-1280.png"))
        page.set_viewport_size({"width": 390, "height": 900})
        page.screenshot(path=str(Path(SHOTS) / "admin-review-request-390.png"))
        page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Standfirst").fill(
        "Residents of Hasaka report heavy artillery fire at dawn, the SDF says."
    )
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.get_by_role("link", name="Submit for review").click()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Changed since changes were requested: Standfirst changed"
    )
    assert ReviewNote.objects.filter(verdict="resubmitted").count() == 1


def test_compare_with_live_and_restore_into_pending(page, people):
    from newsdesk.revisions import services as revisions

    editor = people["editor"]
    article = f.ArticleFactory(
        published=True,
        headline="Shelling resumes near Ghwayran prison",
        standfirst="Residents of Hasaka report heavy fire overnight.",
        body=BODY,
    )
    topic = f.TopicFactory(name="Syria")
    revisions.article_save_pending(
        article=article,
        snapshot={
            "headline": "Shelling stops near Ghwayran prison",
            "body": BODY.replace("dozens of", "more than a hundred"),
            "topics": [{"id": topic.pk, "label": topic.name}],
        },
        user=editor,
    )
    revisions.article_publish_changes(article=article, user=editor)
    revisions.article_save_pending(
        article=article,
        snapshot={"standfirst": "Residents of Hasaka report calm at dawn."},
        user=editor,
    )

    _log_in(page, editor.username)
    page.goto(reverse("admin:newsdesk_article_change", args=[article.pk]))
    page.get_by_role("link", name="Compare with live").click()
    expect(page.locator(".nd-compare__side--new ins").first).to_contain_text("calm")
    _shot(page, "admin-compare-live", 1280)
    _shot(page, "admin-compare-live", 390)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(reverse("admin:newsdesk_article_revisions", args=[article.pk]))
    _shot(page, "admin-revisions", 1280)
    _shot(page, "admin-revisions", 390)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="with live").last.click()
    expect(page.locator(".nd-compare__summary")).to_contain_text("Topic Syria removed")
    page.get_by_role("button", name="Restore this revision").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Restored into the pending changes"
    )
    assert Article.objects.published().get(pk=article.pk).headline == (
        "Shelling stops near Ghwayran prison"
    )
