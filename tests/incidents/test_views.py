"""Incident list, incident page and recommendation tracker."""

import datetime

import pytest

from incidents.models import (
    ActorRole,
    FigureGroup,
    GeoPrecision,
    Metric,
    Qualifier,
    RecommendationAction,
    RecommendationStatus,
)
from tests.factories import (
    ActorFactory,
    ArticleFactory,
    FigureFactory,
    IncidentActorFactory,
    IncidentFactory,
    PersonFactory,
    PlaceFactory,
    RecommendationFactory,
    RecommendationUpdateFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def test_incident_list_shows_published_incidents_with_text_locations(client):
    IncidentFactory(title="Ghwayran attack", place=PlaceFactory(name="Ghwayran prison"))
    IncidentFactory(title="Secret draft", draft=True)

    response = client.get("/incidents/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "Ghwayran attack" in html and "Secret draft" not in html
    assert "Ghwayran prison" in html and "36.4869" in html  # no-JS readers
    assert 'id="map-points"' in html
    assert "leaflet/leaflet.js" in html
    assert "<script>" not in html  # no inline scripts


def test_incident_list_filters(client):
    actor = ActorFactory(slug="isis")
    hit = IncidentFactory(title="Match", start_date=datetime.date(2022, 1, 20))
    IncidentActorFactory(incident=hit, actor=actor)
    IncidentFactory(title="Other", start_date=datetime.date(2021, 1, 1))

    html = client.get(
        "/incidents/", {"actor": "isis", "start": "2022-01-01"}
    ).content.decode()

    assert ">Match<" in html and ">Other</a>" not in html


def test_incident_list_bad_filter_is_400(client):
    assert client.get("/incidents/", {"start": "not-a-date"}).status_code == 400
    assert client.get("/incidents/", {"kind": "nonsense"}).status_code == 400


@pytest.mark.parametrize("size", [1, 30])
def test_incident_list_query_count_is_fixed(
    client, django_assert_num_queries, settings, size
):
    settings.NEWSDESK_CACHE_BYPASS_PARAM = "fresh"
    for _ in range(size):
        IncidentActorFactory(incident=IncidentFactory())
    # count, the page's rows (keys and versions), incidents with places,
    # then the teasers' incidents and their actors with roles, and the actor
    # filter's choices
    with django_assert_num_queries(6):
        assert client.get("/incidents/").status_code == 200
    # Rendered again (past the stored answer): the count is kept and the
    # rendering is stored under the page's rows; the rows only.
    with django_assert_num_queries(1):
        assert client.get("/incidents/?fresh=1").status_code == 200
    # Filtered: counted and rendered every time, the teasers and the form's
    # fields kept.
    with django_assert_num_queries(3):
        assert client.get("/incidents/?kind=attack&fresh=1").status_code == 200


def test_incident_list_rendered_again_shows_each_change(client, settings):
    settings.NEWSDESK_CACHE_BYPASS_PARAM = "fresh"
    incident = IncidentFactory(title="Hasaka prison attack")
    IncidentActorFactory(incident=incident, actor=ActorFactory(name="SDF"))
    client.get("/incidents/?fresh=1")
    ActorFactory(name="Asayish")
    incident.title = "Hasaka prison attack, revised"
    incident.save()
    page = client.get("/incidents/?fresh=1").content.decode()
    assert "Hasaka prison attack, revised" in page
    assert ">Asayish</option>" in page
    incident.status = "draft"
    incident.save()
    assert "Hasaka prison" not in client.get("/incidents/?fresh=1").content.decode()


def test_incident_page(client):
    incident = IncidentFactory(title="Hasaka prison attack")
    IncidentActorFactory(
        incident=incident, actor=ActorFactory(name="SDF"), role=ActorRole.RESPONDER
    )
    article = ArticleFactory(published=True, headline="Published coverage")
    draft = ArticleFactory(headline="Draft coverage")
    incident.articles.add(article, draft)
    FigureFactory(incident=incident, low=67, high=67, claimant="SDF", article=article)
    FigureFactory(
        incident=incident, low=70, high=70, claimant="Hidden claimant", article=draft
    )
    FigureFactory(incident=incident, low=70, high=70, claimant="Amaq")

    html = client.get(incident.get_absolute_url()).content.decode()

    assert "Hasaka prison attack" in html
    assert "Responder" in html and "SDF" in html
    assert "between 67 and 70 killed, per 2 sources" in html
    assert "Amaq" in html and "Hidden claimant" not in html
    assert "Published coverage" in html and "Draft coverage" not in html


def test_incident_page_words_claims_and_place_precision_for_readers(client):
    incident = IncidentFactory(
        place=PlaceFactory(geo_precision=GeoPrecision.NEAR), title="Hasaka attack"
    )
    article = ArticleFactory(
        published=True,
        publish_at=datetime.datetime(2022, 1, 31, 12, tzinfo=datetime.UTC),
    )
    FigureFactory(
        incident=incident,
        metric=Metric.DETAINED,
        group=FigureGroup.INMATES,
        low=12000,
        qualifier=Qualifier.ABOUT,
        article=article,
        excerpt="The SDF holds about 12,000 ISIS members in its prisons.",
    )
    FigureFactory(
        incident=incident,
        low=2000,
        high=2500,
        qualifier=Qualifier.AT_LEAST,
        reported_on=datetime.date(2022, 2, 2),
    )

    html = client.get(incident.get_absolute_url()).content.decode()

    assert "about 12,000 detained (inmates / detainees)" in html
    assert "at least 2,000–2,500 killed" in html
    # The admin's labels, which name both readings, never reach readers.
    assert "at least / more than" not in html and "about about" not in html
    assert (
        '<q class="claim-wording">The SDF holds about 12,000 ISIS members'
        " in its prisons.</q>" in html
    )
    # A claim without its own date takes the citing article's.
    assert '<time datetime="2022-01-31">31 January 2022</time>' in html
    assert '<time datetime="2022-02-02">2 February 2022</time>' in html
    assert "approximate: near the place or in its district" in html
    assert "2 — near" not in html


def test_draft_incident_is_404(client):
    assert client.get(IncidentFactory(draft=True).get_absolute_url()).status_code == 404


@pytest.mark.parametrize("size", [1, 10])
def test_incident_page_query_count_is_fixed(client, django_assert_num_queries, size):
    incident = IncidentFactory()
    for _ in range(size):
        IncidentActorFactory(incident=incident)
        article = ArticleFactory(published=True)
        incident.articles.add(article)
        FigureFactory(incident=incident, article=article)
        RecommendationFactory(incident=incident)
    # incident with place, actors, articles, figures, recommendations; the
    # ranges are reconciled from the figures already loaded.
    with django_assert_num_queries(5):
        assert client.get(incident.get_absolute_url()).status_code == 200


def test_tracker_shows_history_and_filters(client):
    person = PersonFactory(slug="karagiannis")
    rec = RecommendationFactory(
        action=RecommendationAction.REPATRIATE,
        addressed_to_countries=["IQ"],
        recommended_by_person=person,
    )
    RecommendationUpdateFactory(
        recommendation=rec, status=RecommendationStatus.ACKNOWLEDGED, note="Said so"
    )
    RecommendationFactory(
        action=RecommendationAction.PROSECUTE, statement="Prosecute them all."
    )
    RecommendationFactory(made_in=ArticleFactory(), statement="From a draft article.")

    html = client.get("/recommendations/").content.decode()
    assert "Said so" in html
    assert "From a draft article." not in html

    filtered = client.get(
        "/recommendations/",
        {"action": "repatriate", "country": "IQ", "person": "karagiannis"},
    ).content.decode()
    assert rec.statement in filtered and "Prosecute them all." not in filtered
    assert client.get("/recommendations/", {"status": "bogus"}).status_code == 400


@pytest.mark.parametrize("size", [1, 10])
def test_tracker_query_count_is_fixed(client, django_assert_num_queries, size):
    for _ in range(size):
        RecommendationUpdateFactory(
            recommendation=RecommendationFactory(recommended_by_person=PersonFactory())
        )
    with django_assert_num_queries(5):
        assert client.get("/recommendations/").status_code == 200


def test_tracker_says_where_recommendations_stand_with_links_keeping_filters(client):
    for action, status in (
        (RecommendationAction.REPATRIATE, RecommendationStatus.PROPOSED),
        (RecommendationAction.REPATRIATE, RecommendationStatus.PROPOSED),
        (RecommendationAction.REPATRIATE, RecommendationStatus.IMPLEMENTED),
        (RecommendationAction.PROSECUTE, RecommendationStatus.REJECTED),
    ):
        RecommendationFactory(
            action=action, status=status, addressed_to_countries=["FR"]
        )
    RecommendationFactory(
        action=RecommendationAction.REHABILITATE, addressed_to_countries=["BE"]
    )
    hidden = ArticleFactory(headline="Draft source")
    RecommendationFactory(
        action=RecommendationAction.REINTEGRATE,
        made_in=hidden,
        addressed_to_countries=["FR"],
    )

    response = client.get("/recommendations/", {"country": "FR"})
    table = response.content.decode().split('class="standing-table"')[1]
    table = table.split("</table>")[0]

    rows = {
        row.split("</a></th>")[0].rsplit(">", 1)[1]: row
        for row in table.split('<tr><th scope="row">')[1:]
    }
    # Only the actions among the recommendations shown; the draft's is not counted.
    assert sorted(rows) == ["Prosecute", "Repatriate"]
    assert "4 recommendations by action" in table
    assert (
        '?country=FR&amp;action=repatriate&amp;status=proposed">2</a>'
        in rows["Repatriate"]
    )
    assert (
        '?country=FR&amp;action=repatriate&amp;status=implemented">1</a>'
        in rows["Repatriate"]
    )
    assert '?country=FR&amp;action=repatriate">3</a>' in rows["Repatriate"]
    assert (
        '?country=FR&amp;action=prosecute&amp;status=rejected">1</a>'
        in rows["Prosecute"]
    )
    followed = client.get(
        "/recommendations/?country=FR&action=repatriate&status=proposed"
    )
    assert followed.content.decode().count('class="recommendation') == 2


def test_tracker_is_paged_and_keeps_its_filters(client):
    for n in range(30):
        RecommendationFactory(
            action=RecommendationAction.REPATRIATE, statement=f"Bring back group {n}."
        )
    RecommendationFactory(
        action=RecommendationAction.PROSECUTE, statement="Prosecute them all."
    )

    first = client.get("/recommendations/", {"action": "repatriate"}).content.decode()
    second = client.get(
        "/recommendations/", {"action": "repatriate", "page": "2"}
    ).content.decode()

    assert first.count('class="recommendation"') == 25
    assert second.count('class="recommendation"') == 5
    assert 'href="?action=repatriate&amp;page=2"' in first
    assert 'href="?action=repatriate&amp;page=1"' in second
    assert "Prosecute them all." not in first + second
    assert client.get("/recommendations/", {"page": "nonsense"}).status_code == 200


def test_page_links_never_carry_one_readers_tracking_parameters(client):
    """Answers are cached without tracking parameters, so their links must be too."""
    for _ in range(30):
        RecommendationFactory(action=RecommendationAction.REPATRIATE)
    place = PlaceFactory(country="SY")
    for _ in range(55):
        IncidentFactory(place=place)
    tracked = {"utm_source": "newsletter", "fbclid": "abc123"}

    tracker = client.get(
        "/recommendations/", {"action": "repatriate", **tracked}
    ).content.decode()
    incidents = client.get("/incidents/", {"country": "SY", **tracked}).content.decode()

    assert 'href="?action=repatriate&amp;page=2"' in tracker
    assert "?country=SY&amp;page=2" in incidents
    for html in (tracker, incidents):
        assert "utm_source" not in html and "abc123" not in html


def test_tracker_links_evidence_only_when_its_article_is_public(client):
    rec = RecommendationFactory()
    RecommendationUpdateFactory(
        recommendation=rec,
        status=RecommendationStatus.ACKNOWLEDGED,
        evidence_article=ArticleFactory(published=True, headline="Public evidence"),
    )
    RecommendationUpdateFactory(
        recommendation=rec,
        status=RecommendationStatus.IN_PROGRESS,
        evidence_article=ArticleFactory(scheduled=True, headline="Embargoed evidence"),
        evidence_url="",
    )

    html = client.get("/recommendations/").content.decode()

    assert "Public evidence" in html
    assert "Embargoed evidence" not in html


@pytest.mark.django_db
def test_a_recommendation_address_finds_it_on_any_page(client):
    from tests.factories import RecommendationFactory

    recommendations = RecommendationFactory.create_batch(30)
    last = recommendations[-1]
    response = client.get(last.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="recommendation-{last.pk}"' in html
    assert f'id="recommendation-{recommendations[0].pk}"' not in html


def test_tracker_filters_offer_only_who_made_a_recommendation_it_shows(client):
    shown = PersonFactory(name="Shown Person", slug="shown")
    hidden = PersonFactory(name="Qzhidden Person", slug="qzhidden")
    RecommendationFactory(recommended_by_person=shown)
    RecommendationFactory(
        recommended_by_person=hidden,
        recommended_by_source=SourceFactory(name="Qzhidden Source"),
        made_in=ArticleFactory(),
    )
    RecommendationFactory(
        recommended_by_person=hidden, made_in=ArticleFactory(scheduled=True)
    )

    response = client.get("/recommendations/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Shown Person" in html
    assert "Qzhidden" not in html
    # Choosing the hidden person is an invalid choice, like any unknown one.
    assert client.get("/recommendations/", {"person": "qzhidden"}).status_code == 400
