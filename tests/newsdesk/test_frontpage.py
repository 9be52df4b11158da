"""The front page: lead story, latest, sections by topic, focus, corrections."""

import datetime
import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from newsdesk import frontpage, services
from tests.factories import (
    ArticleFactory,
    CorrectionFactory,
    ImageFactory,
    IncidentFactory,
    PlaceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01"
    b"\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def _published(hours_ago: int, **fields):
    at = timezone.now() - datetime.timedelta(hours=hours_ago)
    return ArticleFactory(published=True, publish_at=at, **fields)


def _between(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def test_lead_is_the_newest_story_with_an_image_among_the_newest(
    client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    _published(1, headline="Newest, no picture")
    pictured = _published(
        2,
        headline="Second, pictured",
        lead_image=ImageFactory(
            file=SimpleUploadedFile("lead.gif", GIF, content_type="image/gif"),
            width=1,
            height=1,
            alt_text="The prison walls",
        ),
    )

    html = client.get("/").content.decode()

    lead = _between(html, 'class="lead-story', "</article>")
    assert pictured.headline in lead and "<img" in lead and "srcset=" in lead
    latest = _between(html, 'id="latest-heading"', "</section>")
    assert "Newest, no picture" in latest and pictured.headline not in latest


def test_without_images_the_newest_story_leads(client):
    _published(2, headline="Older story")
    _published(1, headline="Newest story")
    lead = _between(client.get("/").content.decode(), 'class="lead-story', "</article>")
    assert "Newest story" in lead and "<img" not in lead


def test_sections_by_topic_skip_what_the_top_of_the_page_shows(client):
    prisons = TopicFactory(name="Prisons", slug="prisons")
    for n in range(frontpage.LATEST_COUNT):
        _published(n + 1, headline=f"Top story {n}", topics=[prisons])
    for n in range(frontpage.SECTION_SIZE + 1):
        _published(100 + n, headline=f"Section story {n}", topics=[prisons])
    ArticleFactory(scheduled=True, headline="Embargoed story", topics=[prisons])

    html = client.get("/").content.decode()

    section = _between(html, 'id="section-prisons"', "</section>")
    shown = re.findall(r"Section story \d", section)
    assert shown == [f"Section story {n}" for n in range(frontpage.SECTION_SIZE)]
    assert "Top story" not in section
    assert "Embargoed story" not in html


def test_incidents_in_focus_are_listed_for_readers_without_javascript(client):
    place = PlaceFactory(latitude=36.49, longitude=40.75)
    IncidentFactory(title="Attack on the prison", in_focus=True, place=place)
    IncidentFactory(title="Quiet incident", in_focus=False)
    IncidentFactory(title="Draft focus", in_focus=True, draft=True)

    html = client.get("/").content.decode()

    focus = _between(html, 'id="focus-heading"', "</section>")
    assert "Attack on the prison" in _between(focus, 'class="focus-list"', "</ul>")
    assert "Quiet incident" not in html and "Draft focus" not in html
    points = json.loads(
        re.search(
            r'<script id="map-points" type="application/json">(.*?)</script>', html
        ).group(1)
    )
    assert [p["title"] for p in points] == ["Attack on the prison"]


def test_latest_corrections_and_retractions_on_the_front_page(client, editor):
    article = _published(5, headline="Corrected story")
    CorrectionFactory(article=article, note="A date was wrong.")
    CorrectionFactory(article=ArticleFactory(scheduled=True), note="Embargoed fix")

    html = client.get("/").content.decode()

    box = _between(html, 'id="corrections-heading"', "</section>")
    assert "Corrected story" in box
    assert "Embargoed" not in html


def test_web_app_manifest_is_linked_and_valid(client, settings):
    html = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == "/"
    assert manifest["icons"][0]["type"] == "image/svg+xml"
    icon = manifest["icons"][0]["src"].removeprefix(settings.STATIC_URL)
    assert finders.find(icon)


def test_recommendation_filters_have_no_unlabelled_hidden_field(client):
    html = client.get("/recommendations/").content.decode()
    assert "[invalid name]" not in html
    form = _between(html, '<form class="filters"', "</form>")
    assert 'name="id"' not in form
    for label in re.findall(r'<label for="([^"]+)"', form):
        assert f'id="{label}"' in form


def test_a_story_appears_once_on_the_page(client):
    prisons = TopicFactory(name="Prisons", slug="prisons")
    courts = TopicFactory(name="Courts", slug="courts")
    both = [prisons, courts]
    for n in range(frontpage.LATEST_COUNT):
        _published(n + 1, headline=f"Top story {n}", topics=both)
    for n in range(frontpage.SECTION_SIZE):
        _published(100 + n, headline=f"Shared story {n}", topics=both)
    for n in range(frontpage.SECTION_SIZE):
        _published(200 + n, headline=f"Prison story {n}", topics=[prisons])
        _published(300 + n, headline=f"Court story {n}", topics=[courts])

    html = client.get("/").content.decode()

    headlines = re.findall(r"\w+ story \d", html)
    assert len(headlines) == len(set(headlines)), sorted(headlines)
    sections = [
        re.findall(
            r"\w+ story \d", _between(html, f'id="section-{slug}"', "</section>")
        )
        for slug in ("prisons", "courts")
    ]
    # The shared stories fill one section; the other takes its own next stories.
    shared = [f"Shared story {n}" for n in range(frontpage.SECTION_SIZE)]
    assert shared in sections
    assert all(len(s) == frontpage.SECTION_SIZE for s in sections)


def test_corrections_on_retracted_articles_stay_listed_newest_first(
    client, editor, settings
):
    settings.NEWSDESK_CACHE_BYPASS_PARAM = "fresh"
    withdrawn = _published(50, headline="Withdrawn story")
    CorrectionFactory(
        article=withdrawn, published_at=timezone.now() - datetime.timedelta(hours=3)
    )
    services.article_retract(article=withdrawn, user=editor, note="False claim.")
    corrected = _published(40, headline="Corrected story")
    CorrectionFactory(
        article=corrected, published_at=timezone.now() - datetime.timedelta(hours=5)
    )
    box = _between(
        client.get("/?fresh=1").content.decode(),
        'id="corrections-heading"',
        "</section>",
    )
    # The retraction, then its article's correction (3 h ago), then the other (5 h).
    assert re.findall(r"<strong>(\w+)</strong>: <a[^>]*>([^<]+)</a>", box) == [
        ("Retraction", "Withdrawn story"),
        ("Correction", "Withdrawn story"),
        ("Correction", "Corrected story"),
    ]

    services.correction_add(article=corrected, user=editor, note="Another fix.")

    box = _between(
        client.get("/?fresh=1").content.decode(),
        'id="corrections-heading"',
        "</section>",
    )
    assert re.findall(r"<strong>\w+</strong>: <a[^>]*>([^<]+)</a>", box)[0] == (
        "Corrected story"
    )
