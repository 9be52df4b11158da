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


def test_review_round_trip_of_pending_changes(page, browser, live_server, people):
    """A reporter proposes changes to a live story; the editor requests changes with
    a comment; the reporter sees it, edits and resubmits; the editor compares with
    the version reviewed and approves; readers see the changes only then."""
    reporter, editor = people["reporter"], people["editor"]
    article = f.ArticleFactory(
        published=True,
        headline="Attack on Ghwayran prison enters its third day",
        standfirst="Fighting continued around the prison walls.",
        body=BODY,
    )
    change = reverse("admin:newsdesk_article_change", args=[article.pk])
    public = article.get_absolute_url()
    reader = browser.new_context(base_url=live_server.url).new_page()

    def reader_sees(text):
        return text in reader.request.get(f"{live_server.url}{public}").text()

    _log_in(page, reporter.username)
    page.goto(change)
    page.locator("#id_headline").fill("Ghwayran prison retaken")
    page.get_by_role("button", name="Save and continue editing").click()
    page.get_by_role("link", name="Submit changes for review").click()
    page.get_by_role("button", name="Submit changes for review").click()
    expect(page.locator(".messagelist")).to_contain_text("Changes submitted")

    _log_in(page, editor.username)
    page.goto("/admin/")
    queue = page.locator(".nd-queue", has_text="Waiting for your review")
    expect(queue).to_contain_text("changes to the live article from rita")
    _shot(page, "admin-dashboard-pending-review", 1280)
    _shot(page, "admin-dashboard-pending-review", 390)
    page.set_viewport_size({"width": 1280, "height": 900})
    queue.get_by_role("link", name=article.headline).click()
    page.wait_for_url(f"**{change}")
    expect(page.locator(".nd-pending")).to_contain_text("Submitted for review by rita")
    _shot(page, "admin-pending-in-review", 1280)
    _shot(page, "admin-pending-in-review", 390)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator(".nd-pending").get_by_role("link", name="Request changes").click()
    expect(page.locator("#content-main")).to_contain_text("Headline changed")
    page.get_by_label("Comment").fill("Say who retook it, and when.")
    _shot(page, "admin-request-pending-changes", 1280)
    _shot(page, "admin-request-pending-changes", 390)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Request changes").click()
    page.wait_for_url(f"**{change}")
    expect(page.locator(".messagelist")).to_contain_text("back with their author")
    assert not reader_sees("retaken")

    _log_in(page, reporter.username)
    page.goto("/admin/")
    queue = page.locator(".nd-queue", has_text="Changes requested of you")
    expect(queue).to_contain_text("Say who retook it, and when.")
    queue.get_by_role("link", name=article.headline).click()
    page.wait_for_url(f"**{change}")
    expect(page.locator(".nd-review-request")).to_contain_text("Say who retook it")
    page.locator("#id_headline").fill("SDF retakes Ghwayran prison after six days")
    page.get_by_role("button", name="Save and continue editing").click()
    page.get_by_role("link", name="Submit changes for review").click()
    page.get_by_role("button", name="Submit changes for review").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Changed since changes were requested: Headline changed"
    )

    _log_in(page, editor.username)
    page.goto(change)
    answered = page.locator(".nd-review-request", has_text="Resubmitted after review")
    expect(answered).to_contain_text("Headline changed")
    _shot(page, "admin-pending-resubmitted", 1280)
    _shot(page, "admin-pending-resubmitted", 390)
    page.set_viewport_size({"width": 1280, "height": 900})
    answered.get_by_role("link", name="Compare with the version you reviewed").click()
    expect(page.locator(".nd-compare__side--new ins").first).to_contain_text("SDF")
    page.goto(change)
    page.get_by_role("link", name="Approve and publish").click()
    page.get_by_label("Comment").fill("Thanks, good to go.")
    page.get_by_role("button", name="Publish changes").click()
    page.wait_for_url(f"**{change}")
    expect(page.locator(".messagelist")).to_contain_text("Approved. Changes published")
    assert reader_sees("SDF retakes Ghwayran prison")

    page.goto(reverse("admin:newsdesk_article_history", args=[article.pk]))
    notes = page.locator(".nd-review-notes")
    for text in ("Approved", "Resubmitted", "Changes requested", "Thanks, good to go."):
        expect(notes).to_contain_text(text)
    _shot(page, "admin-history-pending-review", 1280)
    _shot(page, "admin-history-pending-review", 390)
    assert ReviewNote.objects.filter(verdict="approved").count() == 1
