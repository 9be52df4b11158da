"""Page weight: every public page type's HTML, CSS and JS stay within budget."""

from __future__ import annotations

import gzip
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from tests.hardening.public_pages import build_story_pages

pytestmark = pytest.mark.django_db

# Compressed bytes of HTML + CSS + JS, images left out.
BUDGET = 60 * 1024


class _Assets(HTMLParser):
    """Stylesheets and scripts a page loads, and which of them block rendering."""

    def __init__(self) -> None:
        super().__init__()
        self.in_head = False
        self.assets: list[str] = []
        self.blocking: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if tag == "head":
            self.in_head = True
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.assets.append(attrs["href"])
            self.blocking.append(attrs["href"])
        if tag == "script" and attrs.get("src"):
            self.assets.append(attrs["src"])
            if self.in_head and "defer" not in attrs and "async" not in attrs:
                self.blocking.append(attrs["src"])

    def handle_endtag(self, tag) -> None:
        if tag == "head":
            self.in_head = False


def _compressed(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def _static_bytes(url: str) -> bytes:
    name = urlsplit(url).path.removeprefix(settings.STATIC_URL)
    path = finders.find(name)
    assert path, f"{url} is not one of the site's static files"
    with open(path, "rb") as handle:
        return handle.read()


@pytest.mark.parametrize("page", ["article", "home", "incident", "search", "tracker"])
def test_page_stays_within_the_weight_budget(client, page):
    url = build_story_pages()[page]
    html = client.get(url).content
    parser = _Assets()
    parser.feed(html.decode())

    for asset in parser.assets:
        # Nothing render-critical comes from another host.
        assert not urlsplit(asset).netloc, f"{page} loads {asset} from another host"
    weight = _compressed(html) + sum(
        _compressed(_static_bytes(asset)) for asset in parser.assets
    )

    assert weight <= BUDGET, f"{page}: {weight} bytes compressed"
    assert all(
        urlsplit(b).path.startswith(settings.STATIC_URL) for b in parser.blocking
    )
