"""The body editor in Chromium: write with the toolbar, see the server's preview, fix
what the checks flag, submit and publish; a reporter cannot publish.

Set NEWSDESK_SCREENSHOTS to a directory to save the screens shown in docs/admin.md.
"""

import io
import mimetypes
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from PIL import Image as PillowImage
from PIL import ImageDraw

from newsdesk.models import Article, ArticleStatus
from tests.factories import ImageFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
SHOTS = os.environ.get("NEWSDESK_SCREENSHOTS")


@pytest.fixture
def newsroom(settings, tmp_path):
    from newsdesk.roles import roles_sync

    settings.MEDIA_ROOT = tmp_path
    roles_sync()  # transactional tests start from an emptied database
    users = {}
    for name, role in (("eddie", "editor"), ("rita", "reporter")):
        users[role] = UserFactory(username=name, role=role, is_staff=True)
        users[role].set_password(PASSWORD)
        users[role].save()
    images = [
        ImageFactory(
            file=_photo(1),
            title="Ghwayran prison gate",
            alt_text="Smoke rising above the walls of Ghwayran prison",
            caption="Ghwayran prison, Hasaka, on the second day of the attack.",
            credit="Hawar News",
            focal_x=60,
            focal_y=40,
        ),
        ImageFactory(
            file=_photo(2),
            title="Hasaka market",
            alt_text="Stalls in a market in Hasaka",
        ),
    ]
    return users, images, tmp_path


@pytest.fixture
def watched(page, newsroom):
    """The page, serving media from MEDIA_ROOT and recording third-party requests."""
    media_root = newsroom[2]
    outside, errors = [], []

    def route(route):
        url = urlsplit(route.request.url)
        if url.hostname in ("localhost", "127.0.0.1"):
            if url.path.startswith("/media/"):
                path = media_root / url.path.removeprefix("/media/")
                if path.is_file():
                    kind = mimetypes.guess_type(path.name)[0] or "image/jpeg"
                    return route.fulfill(body=path.read_bytes(), content_type=kind)
            return route.continue_()
        outside.append(route.request.url)
        return route.abort()

    page.route("**/*", route)
    page.on(
        "console",
        lambda message: message.type == "error" and errors.append(message.text),
    )
    page.outside, page.errors = outside, errors
    return page


def _log_in(page, username):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


def _photo(seed: int) -> ContentFile:
    """A drawn scene (sky, walls, smoke), so screens show something like a photo."""
    picture = PillowImage.new("RGB", (1600, 900))
    draw = ImageDraw.Draw(picture)
    for y in range(900):
        shade = int(150 + 80 * y / 900)
        draw.line(
            [(0, y), (1600, y)], fill=(shade - 40, shade - 10 + seed * 8, shade + 20)
        )
    draw.rectangle([0, 560, 1600, 900], fill=(150 + seed * 10, 130, 100))
    for x in range(100, 1500, 260):
        draw.rectangle([x, 380 - seed * 30, x + 180, 600], fill=(120, 110, 100))
    draw.ellipse([900, 120, 1300, 420], fill=(90, 90, 95))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    return ContentFile(buffer.getvalue(), name=f"scene-{seed}.jpg")


def _shot(page, name, width, target=None):
    if SHOTS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)
        if target is not None:
            page.locator(target).scroll_into_view_if_needed()
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=False)


def _preview_settles(page):
    page.wait_for_function(
        "document.querySelector('.nd-preview-status')?.textContent === 'Up to date'"
    )


def test_editor_writes_checks_and_publishes(watched, newsroom, live_server):
    page = watched
    users, images, _ = newsroom
    page.set_viewport_size({"width": 1280, "height": 900})
    _log_in(page, "eddie")
    page.goto("/admin/newsdesk/article/add/")

    page.get_by_label("Headline:").fill(
        "Families of the Hasaka prison attack victims are still waiting for answers "
        "three years after the siege of Ghwayran ended"
    )
    body = page.locator("textarea[name=body]")
    body.fill("At least 67 inmates were killed when the attack began.\n\n")
    body.press("End")

    # A picture from the library, through the toolbar's chooser.
    page.get_by_role("button", name=re.compile("^Image from the library")).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Search the library").fill("ghwayran")
    dialog.get_by_role("button", name=re.compile("Ghwayran prison gate")).click()
    assert f"(image:{images[0].pk} " in body.input_value()
    _preview_settles(page)

    # An embed from the allow-list, and a third-party image without alt text.
    page.get_by_role("button", name=re.compile("^Embed")).click()
    page.get_by_label("Address of the video").fill("https://youtu.be/dQw4w9WgXcQ")
    page.get_by_role("button", name="Insert embed").click()
    body.press("Control+End")
    body.type("\n\n![](https://maps.example/camp.png)\n\nThe **SDF** regained control.")

    preview = page.locator(".nd-preview-body")
    preview.get_by_role("button", name="Load YouTube video").wait_for()
    assert preview.locator("picture img").get_attribute("alt") == images[0].alt_text
    assert "image on maps.example, not loaded here" in preview.inner_text()
    assert preview.locator("strong", has_text="SDF").count() == 1
    checks = page.locator("#nd-checks")
    checks.get_by_text("1 problem must be fixed before publishing.").wait_for()
    assert "search engines cut it after 110" in checks.inner_text()
    assert "No standfirst" in checks.inner_text()
    assert "“At least 67 inmates” is quoted" in checks.inner_text()
    assert "in the body has no alt text" in checks.inner_text()
    _shot(page, "editor-checks", 1280, "#nd-checks")
    _shot(page, "editor-checks", 390, "#nd-checks")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Fix what blocks, and the warnings that matter.
    page.get_by_label("Headline:").fill("Hasaka prison attack: families still wait")
    page.get_by_label("Standfirst:").fill("Three years on, no one has been charged.")
    body.fill(body.input_value().replace("![](", "![Map of al-Hol camp](", 1))
    checks.get_by_text("Nothing blocks publishing.").wait_for()
    assert "search engines" not in checks.inner_text()

    # The lead image, chosen visually too.
    page.get_by_role("button", name="Browse the library").click()
    page.get_by_role("dialog").get_by_role(
        "button", name=re.compile("Ghwayran prison gate")
    ).click()
    page.locator(".nd-lead-thumb img").wait_for()
    _preview_settles(page)
    page.locator(".nd-editor").scroll_into_view_if_needed()
    _shot(page, "editor-preview", 1280)
    _shot(page, "editor-preview", 390)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_url(re.compile(r"/change/$"))
    article = Article.objects.get()
    assert article.lead_image == images[0]
    assert f"image:{images[0].pk}" in article.body

    page.get_by_role("link", name="Submit for review").click()
    page.get_by_role("button", name=re.compile("Submit")).last.click()
    page.wait_for_url(re.compile(r"/change/$"))
    page.get_by_role("link", name="Publish or schedule").click()
    page.get_by_role("button", name=re.compile("Publish")).last.click()
    page.wait_for_url(re.compile(r"/change/$"))
    article.refresh_from_db()
    assert article.is_published()

    # What readers get: a placeholder that loads nothing until they ask.
    page.goto(article.get_absolute_url())
    assert page.locator("iframe").count() == 0
    load = page.get_by_role("button", name="Load YouTube video")
    load.click()
    frame = page.locator("iframe.embed-frame")
    assert (
        frame.get_attribute("src")
        == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    )
    assert frame.get_attribute("title") == "YouTube video"
    third_party = [u for u in page.outside if "youtube" not in u]
    assert third_party == []
    assert not [e for e in page.errors if "youtube" not in e and "ERR_FAILED" not in e]


def test_image_chooser_screens(watched, newsroom):
    page = watched
    page.set_viewport_size({"width": 1280, "height": 900})
    _log_in(page, "eddie")
    page.goto("/admin/newsdesk/article/add/")
    page.get_by_role("button", name=re.compile("^Image from the library")).click()
    page.get_by_role("dialog").locator(".nd-chooser-item img").first.wait_for()
    _shot(page, "image-chooser", 1280)
    _shot(page, "image-chooser", 390)
    page.keyboard.press("Escape")
    page.goto("/admin/newsdesk/image/")
    _shot(page, "image-library", 1280)
    assert page.locator("img.nd-thumb").count() == 2


def test_reporter_writes_but_cannot_publish(watched, newsroom):
    page = watched
    article = Article.objects.create(
        headline="Reporter's draft", slug="reporters-draft", body="Text.", language="en"
    )
    _log_in(page, "rita")
    page.goto(f"/admin/newsdesk/article/{article.pk}/change/")
    page.locator("textarea[name=body]").fill("Text with **more**.")
    page.locator(".nd-preview-body strong", has_text="more").wait_for()
    assert page.get_by_role("link", name=re.compile("Publish")).count() == 0
    page.get_by_role("link", name="Submit for review").click()
    page.get_by_role("button", name=re.compile("Submit")).last.click()
    page.wait_for_url(re.compile(r"/change/$"))
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW
    assert page.get_by_role("link", name=re.compile("Publish")).count() == 0

    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"/admin/newsdesk/article/{article.pk}/workflow/publish/",
        form={"version": str(article.version), "confirm": "Publish"},
        headers={"X-CSRFToken": token, "Referer": page.url},
    )
    assert response.status < 500
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW


def test_focal_point_picker_sets_the_point_by_click_and_keyboard(watched, newsroom):
    page = watched
    image = newsroom[1][0]
    page.set_viewport_size({"width": 1280, "height": 900})
    _log_in(page, "eddie")
    page.goto(f"/admin/newsdesk/image/{image.pk}/change/")
    picture = page.locator(".nd-focal__frame img")
    picture.wait_for()
    box = picture.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.75)
    assert page.locator("#id_focal_x").input_value() == "25"
    assert page.locator("#id_focal_y").input_value() == "75"
    frame = page.get_by_role("button", name=re.compile("^Focal point: 25 % from"))
    frame.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowUp")
    assert page.locator("#id_focal_x").input_value() == "26"
    assert page.locator("#id_focal_y").input_value() == "65"
    # The square preview follows before saving, placed as the server crops it.
    square = page.locator('.nd-focal__crop img[data-ratio="1:1"]')
    assert square.evaluate("img => img.style.objectPosition") == "0% 50%"
    _shot(page, "image-focal-point", 1280, ".nd-focal")
    _shot(page, "image-focal-point", 390, ".nd-focal")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/newsdesk/image/")
    image.refresh_from_db()
    assert (image.focal_x, image.focal_y) == (26, 65)
    assert not page.errors, page.errors
