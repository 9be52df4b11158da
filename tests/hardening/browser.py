"""A headless Chromium page that records what runs: dialogs, errors, CSP violations."""

from __future__ import annotations

from contextlib import contextmanager

# Runs before any page script: records CSP violations and whether a payload ran.
WATCH_SCRIPT = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


class Watched:
    """A page plus everything suspicious it did: dialogs, console errors, violations."""

    def __init__(self, context) -> None:
        self.context = context
        self.page = context.new_page()
        self.dialogs: list[str] = []
        # "Leave page?" asked by a change form's unsaved-changes guard: poking
        # clicks a select2 box's "remove" cross too, which is a real edit.
        self.leave_prompts: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def _dialog(self, dialog) -> None:
        if dialog.type == "beforeunload":
            # A page script's own guard, not a payload: leave, as asked.
            self.leave_prompts.append(dialog.page.url)
            dialog.accept()
            return
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


@contextmanager
def watched_page(browser, live_server):
    """A fresh browser context on the live server, watching for script and CSP."""
    context = browser.new_context(base_url=live_server.url)
    context.add_init_script(WATCH_SCRIPT)
    # Map tiles come from the internet; tests never reach it.
    context.route("https://*.tile.openstreetmap.org/**", lambda route: route.abort())
    context.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    try:
        yield Watched(context)
    finally:
        context.close()
