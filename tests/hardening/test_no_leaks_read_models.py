"""Stored renderings of list pages never show what is no longer public.

The front page, topic pages and the incident list keep their rendering under
the rows they show (`newsdesk.http.readmodel`). Each case here stores a
rendering first, then hides a row it shows in a way that sends no signal and
purges no cache tag (a bulk update, or time passing), and reads the page
again past the stored answer.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from incidents.models import Incident
from newsdesk import frontpage
from newsdesk.models import Article
from tests.factories import (
    ArticleFactory,
    CorrectionFactory,
    IncidentFactory,
    PersonFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def bypass(settings):
    # The stored-answer cache steps aside for `fresh`: every request reaches
    # the view, which may still use its stored rendering.
    settings.NEWSDESK_CACHE_BYPASS_PARAM = "fresh"


def page(client, url="/?fresh=1") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _published(hours_ago: float, **fields) -> Article:
    at = timezone.now() - datetime.timedelta(hours=hours_ago)
    return ArticleFactory(published=True, publish_at=at, **fields)


@pytest.fixture
def front():
    """A front page with a lead, latest stories, a section and a correction."""
    topic = TopicFactory(name="Prisons", slug="prisons")
    latest = [
        _published(n + 1, headline=f"Latest story q{n}x", topics=[topic])
        for n in range(frontpage.LATEST_COUNT)
    ]
    section = [
        _published(100 + n, headline=f"Section story q{n}x", topics=[topic])
        for n in range(frontpage.SECTION_SIZE)
    ]
    corrected = _published(200, headline="Corrected story qcx", topics=[topic])
    CorrectionFactory(article=corrected, note="A date was wrong.")
    return {
        "lead": latest[0],
        "latest": latest[3],
        "section": section[1],
        "corrected": corrected,
    }


@pytest.mark.parametrize("which", ["lead", "latest", "section", "corrected"])
@pytest.mark.parametrize("how", ["draft", "in_review", "embargoed"])
def test_a_stored_front_page_never_shows_an_article_no_longer_published(
    client, front, which, how
):
    article = front[which]
    assert article.headline in page(client)
    assert article.headline in page(client)  # now from the stored rendering

    # No signal, no new version, no purge: only the rows read say it left.
    changes = (
        {"publish_at": timezone.now() + datetime.timedelta(days=1)}
        if how == "embargoed"
        else {"status": how}
    )
    Article.objects.filter(pk=article.pk).update(**changes)

    html = page(client)
    assert article.headline not in html
    # The page is still whole: another story took the place.
    assert front["section" if which != "section" else "lead"].headline in html


def test_an_embargo_lifting_reaches_a_stored_front_page(client, clock):
    _published(5, headline="Older story")
    embargoed = ArticleFactory(
        published=True,
        headline="Embargoed story qex",
        publish_at=clock.now + datetime.timedelta(hours=1),
    )
    assert embargoed.headline not in page(client)
    assert embargoed.headline not in page(client)

    clock.now += datetime.timedelta(hours=2)

    assert embargoed.headline in page(client)


def test_an_incident_leaving_focus_unseen_leaves_the_stored_front_page(client):
    shown = IncidentFactory(title="Attack on the prison qix", in_focus=True)
    IncidentFactory(title="Second incident qjx", in_focus=True)
    assert shown.title in page(client)
    assert shown.title in page(client)

    Incident.objects.filter(pk=shown.pk).update(status="draft")

    html = page(client)
    assert shown.title not in html and "Second incident qjx" in html


def test_a_byline_renamed_reaches_the_stored_front_page(client):
    person = PersonFactory(name="Amina Ali")
    _published(1, headline="Lead story", authors=[person])
    assert "Amina Ali" in page(client)

    person.name = "Amina Ali-Hassan"
    person.save()

    assert "Amina Ali-Hassan" in page(client)


def test_a_stored_incident_list_never_shows_an_incident_no_longer_published(client):
    hidden = IncidentFactory(title="Attack on the prison qhx")
    IncidentFactory(title="Second incident qsx")
    url = "/incidents/?fresh=1"
    assert hidden.title in page(client, url)
    assert hidden.title in page(client, url)  # now from the stored rendering

    Incident.objects.filter(pk=hidden.pk).update(status="draft")

    html = page(client, url)
    assert hidden.title not in html and "Second incident qsx" in html


def test_a_place_renamed_reaches_the_stored_incident_list(client):
    incident = IncidentFactory(title="Attack on the prison")
    url = "/incidents/?fresh=1"
    page(client, url)
    page(client, url)

    place = incident.place
    place.name = "Ghwayran prison qpx"
    place.save()

    assert "Ghwayran prison qpx" in page(client, url)


@pytest.mark.parametrize("how", ["draft", "embargoed"])
def test_a_stored_topic_page_never_shows_an_article_no_longer_published(client, how):
    topic = TopicFactory(name="Camps", slug="camps")
    hidden = _published(1, headline="Camp report qtx", topics=[topic])
    _published(2, headline="Older camp report qox", topics=[topic])
    url = "/topics/camps/?fresh=1"
    assert hidden.headline in page(client, url)
    assert hidden.headline in page(client, url)  # now from the stored rendering

    changes = (
        {"publish_at": timezone.now() + datetime.timedelta(days=1)}
        if how == "embargoed"
        else {"status": how}
    )
    Article.objects.filter(pk=hidden.pk).update(**changes)

    html = page(client, url)
    assert hidden.headline not in html and "Older camp report qox" in html


def test_a_topic_renamed_reaches_its_stored_page(client):
    topic = TopicFactory(name="Camps", slug="camps")
    _published(1, headline="Camp report", topics=[topic])
    url = "/topics/camps/?fresh=1"
    page(client, url)

    topic.name = "Displacement camps qrx"
    topic.save()

    assert "Displacement camps qrx" in page(client, url)
