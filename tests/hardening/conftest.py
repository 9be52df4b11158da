"""Fixtures of the hardening suite: a headless Chromium that records what runs."""

from __future__ import annotations

import os

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made
# by fixtures here are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Runs before any page script: records CSP violations and whether a payload ran.
WATCH_SCRIPT = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


@pytest.fixture(scope="session")
def chromium():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS
        )
        yield browser
        browser.close()


class Watched:
    """A page plus everything suspicious it did: dialogs, console errors, violations."""

    def __init__(self, context) -> None:
        self.context = context
        self.page = context.new_page()
        self.dialogs: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def visit(self, url: str, *, poke: bool = True) -> dict:
        """Open `url`, poke every element (hover, focus, click), report what ran."""
        response = self.page.goto(url, wait_until="load")
        if poke:
            self._poke()
        self.page.wait_for_timeout(150)
        return {
            "status": response.status if response else None,
            "xss": self.page.evaluate(
                "() => window.__xss === undefined ? null : window.__xss"
            ),
            "violations": self.page.evaluate("() => window.__violations || []"),
        }

    def _poke(self) -> None:
        self.page.evaluate(
            """() => {
              for (const el of document.querySelectorAll('body *')) {
                for (const type of ['mouseover', 'focus', 'click']) {
                  if (type === 'click' && (el.tagName === 'A' || el.tagName === 'BUTTON'
                      || el.type === 'submit')) continue;
                  el.dispatchEvent(new Event(type, {bubbles: true}));
                }
              }
            }"""
        )


@pytest.fixture
def watched(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url)
    context.add_init_script(WATCH_SCRIPT)
    # Map tiles come from the internet; tests never reach it.
    context.route("https://*.tile.openstreetmap.org/**", lambda route: route.abort())
    watched = Watched(context)
    yield watched
    context.close()


def log_in(watched: Watched, user, live_server) -> None:
    """Give the browser a session for `user`."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    watched.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
