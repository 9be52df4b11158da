"""In Chromium: dates and numbers in the reader's language, written by the
server for the site's languages and re-written by the browser for any other."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from incidents.models import Metric
from tests.factories import ArticleFactory, FigureFactory, IncidentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLISHED = datetime.datetime(2026, 3, 5, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def story(db):
    article = ArticleFactory(published=True, headline="Census of the camps")
    article.publish_at = PUBLISHED
    article.save(update_fields=["publish_at"])
    incident = IncidentFactory(title="Camp census")
    FigureFactory(
        incident=incident,
        metric=Metric.DETAINED,
        low=12000,
        high=12000,
        reported_on=datetime.date(2026, 3, 1),
    )
    return article, incident


def _open(browser, live_server, url: str, locale: str):
    context = browser.new_context(
        base_url=live_server.url, locale=locale, timezone_id="Europe/Paris"
    )
    context.route("https://tile.openstreetmap.org/**", lambda r: r.abort())
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("load")
    return context, page


def test_a_french_reader_sees_french_dates_and_numbers(browser, live_server, story):
    article, incident = story
    context, page = _open(browser, live_server, incident.get_absolute_url(), "fr-FR")
    try:
        claims = page.locator("table td[data-numbers]").first.inner_text()
        reported = page.locator("table time").first
        assert "12\u202f000" in claims or "12\u00a0000" in claims, claims
        assert reported.inner_text() == "1 mars 2026"
        assert reported.get_attribute("lang") == "fr-FR"
        page.goto(article.get_absolute_url())
        published = page.locator("time[data-format=datetime]").first.inner_text()
        # The reader's own time zone: 09:30 UTC is 10:30 in Paris.
        assert "5 mars 2026" in published and "10:30" in published, published
    finally:
        context.close()


def test_an_english_reader_keeps_what_the_server_wrote(browser, live_server, story):
    _, incident = story
    context, page = _open(browser, live_server, incident.get_absolute_url(), "en-GB")
    try:
        assert "12,000" in page.locator("table td[data-numbers]").first.inner_text()
        assert page.locator("table time").first.inner_text() == "1 March 2026"
    finally:
        context.close()


def test_the_server_writes_the_readers_language_and_names_it(client, story):
    """Without JavaScript the dates are already the reader's; the page names the
    language its numbers were written in, so the script reads them back right,
    and caches keep one answer per language."""
    _, incident = story
    french = client.get(incident.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")
    english = client.get(incident.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    french_html, english_html = french.content.decode(), english.content.decode()
    assert '<time datetime="2026-03-01">1 mars 2026</time>' in french_html
    assert '<time datetime="2026-03-01">1 March 2026</time>' in english_html
    assert 'data-format-lang="fr"' in french_html
    assert 'data-format-lang="en"' in english_html
    assert "Accept-Language" in french["Vary"] and "Accept-Language" in english["Vary"]
    for html in (french_html, english_html):
        assert 'data-time-zone="UTC"' in html
        assert "js/local-formats" in html and "<td data-numbers" in html
    assert timezone.get_current_timezone_name() == "UTC"


def test_quoted_source_text_keeps_its_own_numbers(browser, live_server, story):
    _, incident = story
    figure = incident.figures.get()
    figure.excerpt = "In 2019 the camps held 12000 people."
    figure.save(update_fields=["excerpt"])
    context, page = _open(browser, live_server, incident.get_absolute_url(), "fr-FR")
    try:
        cell = page.locator("table td[data-numbers]").first
        assert cell.locator("q").inner_text() == "In 2019 the camps held 12000 people."
        assert "12\u202f000" in cell.inner_text() or "12\u00a0000" in cell.inner_text()
    finally:
        context.close()
