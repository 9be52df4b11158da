"""The dashboard and the article list in Chromium: the row menu shows on hover and
on keyboard focus, and an editor publishes from it and comes back to the list.

Set NEWSDESK_SCREENSHOTS to a directory to save the screens shown in docs/admin.md.
"""

import io
import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from PIL import Image as PillowImage
from PIL import ImageDraw
from playwright.sync_api import expect

from newsdesk.models import Article, ArticleStatus
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
SHOTS = os.environ.get("NEWSDESK_SCREENSHOTS")


def _shot(page, name, width, *, full_page=True):
    if SHOTS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)
        page.screenshot(
            path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=full_page
        )


@pytest.fixture
def editor(settings, tmp_path):
    from newsdesk.roles import roles_sync

    settings.MEDIA_ROOT = tmp_path
    roles_sync()
    call_command("seed", verbosity=0)
    user = f.UserFactory(username="demo-editor", role="editor", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    reporter = f.UserFactory(username="rita-reporter", role="reporter", is_staff=True)
    photo = f.ImageFactory(file=_photo())
    f.ArticleFactory(
        headline="Camp al-Hol: aid groups warn of water shortages as summer begins",
        in_review=True,
        created_by=reporter,
        updated_by=reporter,
        lead_image=photo,
    )
    for headline in (
        "Drone strike near Qamishli kills two, local council says",
        "Families of Hasaka detainees wait for news after the prison siege",
    ):
        f.ArticleFactory(headline=headline, created_by=user, updated_by=user)
    return user


def _photo() -> ContentFile:
    """A drawn scene (sky, walls, smoke), so the thumbnails look like a photo."""
    picture = PillowImage.new("RGB", (1600, 900))
    draw = ImageDraw.Draw(picture)
    for y in range(900):
        shade = int(150 + 80 * y / 900)
        draw.line([(0, y), (1600, y)], fill=(shade - 40, shade, shade + 20))
    draw.rectangle([0, 560, 1600, 900], fill=(160, 130, 100))
    for x in range(100, 1500, 260):
        draw.rectangle([x, 380, x + 180, 600], fill=(120, 110, 100))
    draw.ellipse([900, 120, 1300, 420], fill=(90, 90, 95))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    return ContentFile(buffer.getvalue(), name="scene.jpg")


def _log_in(page):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("demo-editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


def test_row_menu_shows_on_hover_and_focus_and_publishes(page, editor):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    waiting = Article.objects.filter(status=ArticleStatus.IN_REVIEW).first()
    assert waiting is not None  # the seed newsroom has a story waiting for review

    page.set_viewport_size({"width": 1280, "height": 900})
    _log_in(page)
    expect(page.locator("#newsroom-dashboard")).to_be_visible()
    expect(page.locator("#content-main .app-newsdesk")).to_have_count(0)
    expect(page.get_by_role("navigation", name="All sections")).to_be_visible()
    _shot(page, "admin-dashboard", 1280)
    _shot(page, "admin-dashboard", 390)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/admin/newsdesk/article/")
    row = page.locator("#result_list tbody tr", has_text=waiting.headline)
    menu = row.locator(".nd-row-actions")
    page.mouse.move(5, 5)
    expect(menu).to_have_css("opacity", "0")
    row.hover()
    expect(menu).to_have_css("opacity", "1")
    _shot(page, "admin-article-list", 1280, full_page=False)
    page.mouse.move(5, 5)
    menu.get_by_role(
        "link", name="Edit", exact=True
    ).focus()  # reached with the keyboard
    expect(menu).to_have_css("opacity", "1")

    menu.get_by_role("link", name="Publish…").click()
    page.get_by_role("button", name="Publish or schedule").click()
    page.wait_for_url("**/admin/newsdesk/article/")
    expect(page.locator(".messagelist")).to_contain_text("Published.")
    waiting.refresh_from_db()
    assert waiting.is_published()
    assert errors == []

    # On a phone the menu stays in view: there is no hover to reveal it.
    page.set_viewport_size({"width": 390, "height": 900})
    _shot(page, "admin-article-list", 390, full_page=False)


def test_quick_edit_saves_a_headline_from_the_list(page, editor):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    article = Article.objects.get(headline__startswith="Drone strike near Qamishli")
    page.set_viewport_size({"width": 1280, "height": 900})
    _log_in(page)
    page.goto("/admin/newsdesk/article/")
    row = page.locator("#result_list tbody tr", has_text=article.headline)
    row.hover()
    row.get_by_role("link", name="Quick edit").click()

    form = page.locator("#result_list .nd-quick-edit")
    expect(form).to_be_visible()
    assert page.url.endswith("/admin/newsdesk/article/")  # still the list
    headline = form.get_by_label("Headline")
    expect(headline).to_be_focused()
    expect(headline).to_have_value(article.headline)
    _shot(page, "admin-quick-edit", 1280, full_page=False)

    # Invalid input stays in the form, the error beside its field.
    headline.fill("")
    form.get_by_role("button", name="Save").click()
    expect(form.locator(".nd-quick-field.errors")).to_contain_text("required")
    expect(headline).to_be_focused()
    article.refresh_from_db()
    assert article.headline.startswith("Drone strike near Qamishli")
    # The refusal's 400 is the one console line (Chromium reports every 4xx).
    assert [e for e in errors if "status of 400" not in e] == []
    errors.clear()

    headline.fill("Drone strike near Qamishli kills two, council and hospital say")
    headline.press("Enter")  # submits the quick edit, not the list's actions
    expect(page.locator("#result_list .nd-quick-edit")).to_have_count(0)
    expect(page.locator(".messagelist")).to_contain_text("Saved.")
    updated = page.locator("#result_list tbody tr", has_text="council and hospital say")
    expect(updated).to_be_visible()
    expect(updated.get_by_role("link", name="Quick edit")).to_be_focused()
    article.refresh_from_db()
    assert article.headline == (
        "Drone strike near Qamishli kills two, council and hospital say"
    )
    assert errors == []

    # On a phone the form fits the screen: the list scrolls sideways, not the form.
    page.set_viewport_size({"width": 390, "height": 900})
    page.reload()
    page.locator("#result_list tbody tr").first.get_by_role(
        "link", name="Quick edit"
    ).click()
    form = page.locator("#result_list .nd-quick-edit")
    expect(form).to_be_visible()
    box = form.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    _shot(page, "admin-quick-edit", 390, full_page=False)


def test_quick_edit_without_javascript_is_a_page_of_its_own(
    browser, live_server, editor
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        _log_in(page)
        page.goto("/admin/newsdesk/article/?q=Qamishli")
        page.get_by_role("link", name="Quick edit").first.click()
        page.wait_for_url("**/quick-edit/**")
        page.get_by_label("Headline").fill("Drone strike near Qamishli: two killed")
        page.get_by_role("button", name="Save").click()
        page.wait_for_url("**/admin/newsdesk/article/?q=Qamishli")
        expect(page.locator(".messagelist")).to_contain_text("Saved.")
        assert Article.objects.filter(
            headline="Drone strike near Qamishli: two killed"
        ).exists()
    finally:
        context.close()
