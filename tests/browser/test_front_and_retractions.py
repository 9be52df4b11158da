"""In Chromium: the front page at desk and phone widths, dark mode, accessibility
of every public page type, and an editor's retraction as readers then see it."""

from __future__ import annotations

import feedparser
import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from incidents.models import Figure
from newsdesk.models import Article, ArticleStatus
from tests.hardening.public_pages import build_story_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desk": 1280, "phone": 390}


@pytest.fixture
def context_for(browser, live_server):
    """Open browser contexts at a width and colour scheme; closes them after."""
    opened = []

    def open_context(width: int = 1280, scheme: str = "light", **options):
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": 900},
            color_scheme=scheme,
            **options,
        )
        context.route("https://tile.openstreetmap.org/**", lambda r: r.abort())
        opened.append(context)
        return context.new_page()

    yield open_context
    for context in opened:
        context.close()


def _box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_front_page_lays_out_at_desk_and_phone_widths(context_for, width):
    build_story_pages()
    page = context_for(width)
    page.goto("/")

    lead, side = _box(page, ".lead-story"), _box(page, ".front-side")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - window.innerWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
    if width >= 1000:
        # Incidents and corrections sit in a column beside the lead story.
        assert side["x"] >= lead["x"] + lead["width"]
        assert abs(side["y"] - lead["y"]) < 40
    else:
        assert side["y"] >= lead["y"] + lead["height"]
        assert side["width"] >= width * 0.85
    header_bottom = _box(page, ".site-header")
    first = _box(page, "main .lead-story")
    assert first["y"] - (header_bottom["y"] + header_bottom["height"]) >= 16
    assert page.get_by_role("heading", name="Incidents in focus").is_visible()
    assert page.locator(".focus-list a").first.inner_text() == (
        "Attack on Ghwayran prison"
    )


def test_front_page_without_javascript_lists_the_incidents(context_for):
    build_story_pages()
    page = context_for(java_script_enabled=False)
    page.goto("/")
    assert page.locator(
        ".focus-list a", has_text="Attack on Ghwayran prison"
    ).is_visible()
    assert _box(page, "#incident-map")["height"] == 0


def _luminance(rgb: str) -> float:
    r, g, b = (int(v) / 255 for v in rgb[rgb.index("(") + 1 : -1].split(",")[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_colour_scheme_follows_the_reader(context_for, scheme):
    build_story_pages()
    page = context_for(scheme=scheme)
    page.goto("/")
    background, text = page.evaluate(
        """() => { const s = getComputedStyle(document.body);
                   return [s.backgroundColor, s.color]; }"""
    )
    if scheme == "dark":
        assert _luminance(background) < 0.1 < 0.7 < _luminance(text)
    else:
        assert _luminance(background) > 0.9 > 0.3 > _luminance(text)


def test_skip_link_appears_on_the_first_tab(context_for):
    build_story_pages()
    page = context_for()
    page.goto("/")
    assert _box(page, ".skip-link")["y"] < 0
    page.keyboard.press("Tab")
    link = page.locator(".skip-link")
    assert link.evaluate("el => el === document.activeElement")
    box = link.bounding_box()
    assert box["y"] >= 0 and box["height"] > 10
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_public_page_type_has_no_serious_axe_violations(context_for, scheme):
    pages = build_story_pages()
    page = context_for(scheme=scheme)
    axe = Axe()
    failures = {}
    for name, url in pages.items():
        page.goto(url)
        violations = [
            v
            for v in axe.run(page).response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if violations:
            failures[name] = [
                (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations
            ]
    assert failures == {}


def test_editor_retracts_and_readers_see_what_changed(context_for, live_server):
    from django.conf import settings
    from django.test import Client

    from tests.factories import UserFactory

    pages = build_story_pages()
    article = Article.objects.get(headline="Fighters storm Ghwayran prison")
    editor = UserFactory(username="eddie", role="editor", is_staff=True)
    client = Client()
    client.force_login(editor)
    page = context_for()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )

    page.goto(reverse("admin:newsdesk_article_workflow", args=[article.pk, "retract"]))
    impact = page.locator(".retraction-impact").inner_text()
    assert "1 figure cites it" in impact
    assert "1 recommendation cites it" in impact
    assert "1 quote cites it" in impact
    page.get_by_label("Note").fill("The sources withdrew their account.")
    page.locator('input[type="submit"][name="confirm"]').click()
    page.wait_for_load_state()
    article.refresh_from_db()
    assert article.status == ArticleStatus.RETRACTED

    page.context.clear_cookies()
    page.goto(pages["incident"])
    row = page.locator("#figures tr", has_text="12,000")
    assert "Source retracted on" in row.inner_text()
    # It also cites a report elsewhere, so it still counts towards the range.
    assert "12,000" in page.locator("#figures ul.figures").inner_text()
    row.get_by_role("link", name="retraction notice").click()
    page.wait_for_load_state()
    assert "The sources withdrew their account." in page.content()
    assert Figure.objects.on_record().filter(article=article).exists()

    page.goto(pages["tracker"])
    rec = page.locator(".recommendation", has_text=article.headline)
    assert "Source retracted on" in rec.inner_text()
    feed = feedparser.parse(page.request.get("/feeds/corrections/rss/").body())
    assert f"Retraction: {article.headline}" in [e.title for e in feed.entries]
