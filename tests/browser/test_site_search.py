"""In Chromium: a reader searches with a typo, a phrase and the type facets."""

from __future__ import annotations

import pytest

from tests.factories import ArticleFactory, IncidentFactory, PersonFactory, QuoteFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _newsroom():
    article = ArticleFactory(
        published=True,
        headline="Inside the prison at Ghwayran",
        standfirst="",
        body="Islamic State fighters attacked the prison at night.",
    )
    ArticleFactory(
        published=True,
        headline="State of Islamic scholarship",
        standfirst="",
        body="A prison library opens.",
    )
    IncidentFactory(title="Prison break at Ghwayran", summary="Inmates escaped.")
    QuoteFactory(
        article=article,
        person=PersonFactory(name="Layla Expert"),
        text="The prison was never secure",
    )
    ArticleFactory(headline="Prison draft never shown", standfirst="")


def _titles(page) -> list[str]:
    return page.locator(".search-hit h3").all_inner_texts()


def test_reader_searches_with_a_typo_a_phrase_and_facets(page):
    _newsroom()
    page.goto("/")
    page.get_by_role("searchbox", name="Search the site").fill("prisn")
    page.get_by_role("searchbox", name="Search the site").press("Enter")
    page.wait_for_url("**/search/?q=prisn")

    notice = page.get_by_role("status")
    assert "Showing results for “prison”" in notice.inner_text()
    titles = _titles(page)
    assert "Prison break at Ghwayran" in titles and "Layla Expert" in titles
    assert "Prison draft never shown" not in titles
    assert page.locator(".search-hit mark").first.inner_text().lower() == "prison"

    box = page.get_by_role("searchbox", name="Find articles")
    box.fill('"islamic state" prison')
    box.press("Enter")
    page.wait_for_load_state()
    assert _titles(page) == ["Inside the prison at Ghwayran"]

    page.get_by_role("searchbox", name="Find articles").fill("prison")
    page.get_by_role("button", name="Search", exact=True).last.click()
    page.wait_for_load_state()
    facets = page.get_by_role("navigation", name="Result types")
    facets.get_by_role("link", name="Incidents").click()
    page.wait_for_load_state()
    assert _titles(page) == ["Prison break at Ghwayran"]
    assert (
        facets.get_by_role("link", name="Incidents").get_attribute("aria-current")
        == "page"
    )
    facets.get_by_role("link", name="Everything").click()
    page.wait_for_load_state()
    assert len(_titles(page)) == 4


def test_filters_open_and_apply(page):
    _newsroom()
    page.goto("/search/?q=prison")
    page.get_by_text("Filters", exact=True).click()
    page.get_by_label("Show").select_option("person")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert _titles(page) == ["Layla Expert"]
    quote = page.locator(".hit-quotes li").first.inner_text()
    assert "The prison was never secure" in quote
