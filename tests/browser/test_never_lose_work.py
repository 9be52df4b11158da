"""Never lose work, in Chromium: a second save merges through the three-way view
without retyping; a closed tab's edit is restored; presence shows who else edits.

Set NEWSDESK_SCREENSHOTS to a directory to save the screens (docs/img/ keeps them).
"""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from newsdesk.models import Article, FormDraft
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
SHOTS = os.environ.get("NEWSDESK_SCREENSHOTS")
KEPT = re.compile(r"^Unsaved changes kept at \d\d:\d\d\.$")


@pytest.fixture
def desk(settings):
    from django.core.cache import caches

    from newsdesk.roles import roles_sync

    settings.NEWSDESK_AUTOSAVE_SECONDS = 0.5
    settings.NEWSDESK_PRESENCE_SECONDS = 1
    caches["presence"].clear()
    roles_sync()  # transactional tests start from an emptied database
    for name, first in (("amira", "Amira"), ("eddie", "Eddie")):
        user = UserFactory(username=name, first_name=first, role="editor")
        user.set_password(PASSWORD)
        user.save()
    article = ArticleFactory(
        headline="Ghwayran prison attack: what we know",
        standfirst="Three years on, families are still waiting.",
        body="The attack began at night.\n\nThe SDF regained control after six days.",
    )
    yield article
    caches["presence"].clear()


@pytest.fixture
def open_as(browser, live_server):
    contexts = []

    def open_(username):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}
        )
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on(
            "console",
            lambda message: (
                message.type == "error" and page.errors.append(message.text)
            ),
        )
        page.goto("/admin/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/admin/")
        return page

    yield open_
    for context in contexts:
        context.close()


def _change(article) -> str:
    return f"/admin/newsdesk/article/{article.pk}/change/"


def _shot(page, name, target):
    if not SHOTS:
        return
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)
        page.locator(target).first.scroll_into_view_if_needed()
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"))
    page.set_viewport_size({"width": 1280, "height": 900})


def test_second_save_merges_in_the_three_way_view_without_retyping(desk, open_as):
    article = desk
    amira, eddie = open_as("amira"), open_as("eddie")
    amira.goto(_change(article))
    eddie.goto(_change(article))

    amira.locator("input[name=headline]").fill("Ghwayran: families still wait")
    amira.locator("textarea[name=standfirst]").fill("Amira's standfirst.")
    amira.locator("input[name=_continue]").click()
    amira.wait_for_selector(".messagelist .success")

    eddie_body = "The attack began at night, Eddie writes.\n\nSix days of fighting."
    eddie.locator("textarea[name=standfirst]").fill("Eddie's standfirst.")
    eddie.locator("textarea[name=body]").fill(eddie_body)
    eddie.locator("input[name=_save]").click()

    merge = eddie.locator(".nd-merge")
    merge.wait_for()
    assert "Amira" in merge.locator("h2").inner_text() or "amira" in merge.inner_text()
    # Nothing lost: Eddie's body is still in the form, Amira's headline taken.
    assert eddie.locator("textarea[name=body]").input_value() == eddie_body
    assert (
        eddie.locator("input[name=headline]").input_value()
        == "Ghwayran: families still wait"
    )
    standfirst = merge.locator(".nd-merge-field[data-field=standfirst]")
    assert "changed by both of you" in standfirst.inner_text()
    assert "Original" not in standfirst.inner_text()
    assert "Three years on" in standfirst.locator(".nd-merge-column--base").inner_text()
    # The form already holds Eddie's text: no restore prompt on top of the merge.
    eddie.wait_for_timeout(800)
    assert eddie.locator(".nd-restore").count() == 0
    _shot(eddie, "three-way-view", ".nd-merge")

    standfirst.get_by_role("button", name="Take theirs").click()
    assert (
        eddie.locator("textarea[name=standfirst]").input_value()
        == "Amira's standfirst."
    )
    standfirst.get_by_role("button", name="Take mine").click()
    assert (
        eddie.locator("textarea[name=standfirst]").input_value()
        == "Eddie's standfirst."
    )
    standfirst.get_by_role("button", name="Take theirs").click()
    eddie.get_by_role("button", name="Save merged result").click()
    eddie.wait_for_selector(".messagelist .success")

    article.refresh_from_db()
    assert article.headline == "Ghwayran: families still wait"
    assert article.standfirst == "Amira's standfirst."
    assert article.body.replace("\r\n", "\n") == eddie_body
    assert not eddie.errors and not amira.errors


def test_closed_tab_is_restored_from_the_autosaved_draft(desk, open_as):
    article = desk
    page = open_as("eddie")
    page.goto(_change(article))
    typed = "\n\nA paragraph typed just before the tab was closed."
    body = page.locator("textarea[name=body]")
    body.press("Control+End")
    body.press_sequentially(typed[:20])
    body.type(typed[20:])
    expect(page.locator(".nd-autosave-status")).to_have_text(KEPT)
    context = page.context
    page.close()
    assert FormDraft.objects.filter(object_id=str(article.pk)).exists()

    again = context.new_page()
    again.goto(_change(article))
    prompt = again.locator(".nd-restore")
    prompt.wait_for()
    assert "Restore unsaved changes from" in prompt.inner_text()
    _shot(again, "restore-unsaved", ".nd-restore")
    original = again.locator("textarea[name=body]").input_value()
    assert "typed just before" not in original
    prompt.get_by_role("button", name="Restore").click()
    restored = again.locator("textarea[name=body]").input_value()
    assert restored.replace("\r\n", "\n").endswith(typed)
    again.locator("input[name=_continue]").click()
    again.wait_for_selector(".messagelist .success")
    article.refresh_from_db()
    assert article.body.replace("\r\n", "\n").endswith(typed)
    assert not FormDraft.objects.exists()  # a successful save deletes the draft
    again.reload()
    again.wait_for_timeout(800)
    assert again.locator(".nd-restore").count() == 0


def test_discard_throws_the_draft_away(desk, open_as):
    article = desk
    page = open_as("eddie")
    page.goto(_change(article))
    page.locator("input[name=headline]").fill("A headline I will not keep")
    expect(page.locator(".nd-autosave-status")).to_have_text(KEPT)
    context = page.context
    page.close()
    again = context.new_page()
    again.goto(_change(article))
    again.locator(".nd-restore").get_by_role("button", name="Discard").click()
    expect(again.locator(".nd-restore")).to_have_count(0)
    assert again.locator("input[name=headline]").input_value() == article.headline
    again.wait_for_timeout(500)
    assert not FormDraft.objects.exists()


def test_presence_and_a_save_made_meanwhile_show_in_the_other_context(desk, open_as):
    article = desk
    amira, eddie = open_as("amira"), open_as("eddie")
    amira.goto(_change(article))
    eddie.goto(_change(article))
    notice = eddie.locator(".nd-presence")
    notice.wait_for(state="visible")
    assert notice.inner_text().startswith("Amira is also editing this article (since ")
    amira.locator(".nd-presence").wait_for(state="visible")
    assert "Eddie is also editing" in amira.locator(".nd-presence").inner_text()

    eddie.locator("textarea[name=standfirst]").fill("Eddie is typing here.")
    amira.locator("input[name=headline]").fill("Amira saved first")
    amira.locator("input[name=_save]").click()
    amira.wait_for_url("**/article/")
    saved = eddie.locator(".nd-presence-saved")
    saved.wait_for(state="visible")
    assert saved.inner_text().startswith("Amira saved this article at ")
    assert "Your changes are still in this form" in saved.inner_text()
    assert Article.objects.get(pk=article.pk).headline == "Amira saved first"
    # Bring her back for the screenshot of both notices.
    amira.goto(_change(article))
    notice.wait_for(state="visible")
    _shot(eddie, "presence-notice", ".nd-keep-work")


def test_live_article_pending_saves_merge_in_the_three_way_view(desk, open_as):
    """On a live article saves stage pending changes: the other editor is told,
    the second save gets the three-way view, the merge lands in the pending
    changes and readers keep the live text."""
    from newsdesk.models import ArticleRevision

    article = desk
    moment = timezone.now() - datetime.timedelta(hours=1)
    Article.objects.filter(pk=article.pk).update(
        status="published", publish_at=moment, first_published_at=moment
    )
    live_body = Article.objects.get(pk=article.pk).body
    amira, eddie = open_as("amira"), open_as("eddie")
    amira.goto(_change(article))
    eddie.goto(_change(article))
    eddie.locator(".nd-presence").wait_for(state="visible")

    amira.locator("input[name=headline]").fill("Ghwayran: pending headline")
    amira.get_by_role("button", name="Add another Quote").click()
    amira.locator("textarea[name='quotes-0-text']").fill("We are still waiting.")
    amira.locator("input[name='quotes-0-attribution']").fill("a mother in Hasaka")
    amira.locator("input[name=_continue]").click()
    amira.wait_for_selector(".messagelist .success")
    saved = eddie.locator(".nd-presence-saved")
    saved.wait_for(state="visible")
    assert saved.inner_text().startswith("Amira saved this article at ")

    eddie_body = "Eddie's pending body."
    eddie.locator("textarea[name=body]").fill(eddie_body)
    eddie.locator("input[name=_save]").click()
    merge = eddie.locator(".nd-merge")
    merge.wait_for()
    assert "Amira saved this article" in merge.locator("h2").inner_text()
    assert "You started from the live version" in merge.inner_text()
    assert eddie.locator("textarea[name=body]").input_value() == eddie_body
    assert (
        eddie.locator("input[name=headline]").input_value()
        == "Ghwayran: pending headline"
    )
    quotes = merge.locator(".nd-merge-rows[data-rows=quotes]")
    expect(quotes.locator(".nd-merge-column--theirs")).to_contain_text(
        "“We are still waiting.” — a mother in Hasaka"
    )
    expect(quotes.locator("input[value=theirs]")).to_be_checked()
    _shot(eddie, "three-way-view-pending", ".nd-merge")
    _shot(eddie, "three-way-view-pending-rows", ".nd-merge-rows")
    eddie.get_by_role("button", name="Save merged result").click()
    eddie.wait_for_selector(".messagelist .success")

    pending = ArticleRevision.objects.pending().get(article=article)
    assert pending.snapshot["headline"] == "Ghwayran: pending headline"
    assert pending.snapshot["body"].replace("\r\n", "\n") == eddie_body
    assert [q["text"] for q in pending.snapshot["quotes"]] == ["We are still waiting."]
    live = Article.objects.get(pk=article.pk)
    assert (live.headline, live.body) == (article.headline, live_body)
    assert not eddie.errors and not amira.errors


def test_rows_added_with_add_another_are_restored(desk, open_as):
    """A quote and a "Read also" link the editor added are back after reopening."""
    article = desk
    page = open_as("eddie")
    page.goto(_change(article))
    page.get_by_role("button", name="Add another Quote").click()
    page.locator("textarea[name='quotes-0-text']").fill(
        "We will not leave our children in the camps."
    )
    page.locator("input[name='quotes-0-attribution']").fill("a mother in Hasaka")
    page.get_by_role("button", name="Add another “Read also” link").click()
    page.get_by_role("button", name="Add another “Read also” link").click()
    page.locator("input[name='related_links-1-title']").fill("Who runs the camps")
    page.locator("input[name='related_links-1-url']").fill("https://example.org/c")
    expect(page.locator(".nd-autosave-status")).to_have_text(KEPT)
    context = page.context
    page.close()

    again = context.new_page()
    again.goto(_change(article))
    assert again.locator("textarea[name='quotes-0-text']").count() == 0
    again.locator(".nd-restore").get_by_role("button", name="Restore").click()
    expect(again.locator("textarea[name='quotes-0-text']")).to_have_value(
        "We will not leave our children in the camps."
    )
    expect(again.locator("input[name='related_links-1-title']")).to_have_value(
        "Who runs the camps"
    )
    assert again.locator("input[name='quotes-TOTAL_FORMS']").input_value() == "1"
    again.locator("input[name=_continue]").click()
    again.wait_for_selector(".messagelist .success")
    quote = article.quotes.get()
    assert quote.text == "We will not leave our children in the camps."
    assert quote.attribution == "a mother in Hasaka"
    assert list(article.related_links.values_list("title", flat=True)) == [
        "Who runs the camps"
    ]


def test_a_stale_form_keeps_vanished_rows_and_saves_the_merge(desk, open_as):
    """A draft's form opened before a byline row and a quote were removed: the
    three-way view keeps the vanished rows in the form, and the merged result
    keeps the editor's byline and the colleague's quotes as chosen."""
    from newsdesk import services
    from newsdesk.models import ArticleAuthor, Quote
    from newsdesk.revisions.recording import revision_record
    from tests.factories import ArticleAuthorFactory, PersonFactory, QuoteFactory

    article = desk
    amira, rami = PersonFactory(name="Amira Haddad"), PersonFactory(name="Rami Khoury")
    ArticleAuthorFactory(article=article, person=amira, position=0)
    ArticleAuthorFactory(article=article, person=rami, position=1)
    QuoteFactory(article=article, text="Nobody came.", position=0)
    revision_record(article=article, user=None)
    eddie = open_as("eddie")
    eddie.goto(_change(article))
    services.quote_delete(quote=Quote.objects.get(article=article), user=None)
    services.article_set_authors(article=article, authors=[amira])

    eddie.locator("input[name=headline]").fill("Eddie's headline")
    eddie.locator("input[name=_continue]").click()
    eddie.locator(".nd-merge").wait_for()
    assert "Select a valid choice" not in eddie.content()
    assert eddie.locator(".inline-group", has_text="Rami Khoury").count() == 1
    eddie.locator("input[name=_merge_rows_authors][value=mine]").check()
    eddie.get_by_role("button", name="Save merged result").click()
    eddie.wait_for_selector(".messagelist .success")

    byline = ArticleAuthor.objects.filter(article=article).order_by("position")
    assert list(byline.values_list("person__name", flat=True)) == [
        "Amira Haddad",
        "Rami Khoury",
    ]
    assert not Quote.objects.filter(article=article).exists()
    article.refresh_from_db()
    assert article.headline == "Eddie's headline"
