"""One search for everything: kinds, typos, phrases, facets, filters, the gate."""

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone

from newsdesk import prepared, site_search
from newsdesk.models import Article
from tests.factories import (
    ArticleFactory,
    IncidentFactory,
    PersonFactory,
    PlaceFactory,
    QuoteFactory,
    RecommendationFactory,
    SourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/search/"


def _page(client, **params):
    response = client.get("/search/", params)
    return response, re.sub(r"\s+", " ", response.content.decode())


def _api(client, **params):
    response = client.get(API, params)
    assert response.status_code == 200, response.content
    return response.json()


def _titles(payload) -> list[tuple[str, str]]:
    return [(hit["type"], hit["title"]) for hit in payload["results"]]


def test_a_typo_finds_the_right_word_and_says_so(client):
    ArticleFactory(published=True, headline="Inside the prison at Ghwayran")
    ArticleFactory(published=True, headline="Harvest season", standfirst="")

    payload = _api(client, q="prisn")
    response, text = _page(client, q="prisn")

    assert payload["corrected"] == "prison"
    assert _titles(payload) == [("article", "Inside the prison at Ghwayran")]
    assert (
        "No results for “prisn”. Showing results for <strong>“prison”</strong>" in text
    )
    assert "<mark>prison</mark>" in text


def test_suggestions_come_only_from_published_words(client):
    ArticleFactory(headline="Zarqawiyya network exposed")  # a draft
    ArticleFactory(scheduled=True, headline="Zarqawiyya cell embargoed")
    payload = _api(client, q="zarqawiya")
    assert payload["corrected"] is None and payload["results"] == []


def test_words_already_known_are_not_corrected(client):
    ArticleFactory(published=True, headline="Prison attack")
    assert _api(client, q="prison attack")["corrected"] is None


def test_quoted_phrase_and_exclusion(client):
    ArticleFactory(published=True, headline="Islamic State fighters storm prison")
    ArticleFactory(published=True, headline="The state of Islamic scholarship")
    ArticleFactory(published=True, headline="Islamic State in Syria", body="Syria.")

    phrase = _titles(_api(client, q='"islamic state"'))
    assert ("article", "The state of Islamic scholarship") not in phrase
    assert len(phrase) == 2
    excluded = _titles(_api(client, q='"islamic state" -syria'))
    assert excluded == [("article", "Islamic State fighters storm prison")]


def test_every_kind_is_found_and_ranked_together(client):
    article = ArticleFactory(published=True, headline="Hasaka after the siege")
    IncidentFactory(
        title="Hunger strike at Hasaka prison",
        summary="Detainees refused food for a week.",
        place=PlaceFactory(name="Ghwayran prison"),
    )
    expert = PersonFactory(name="Layla Hasakawi", affiliation="King's College")
    QuoteFactory(
        article=article,
        person=PersonFactory(name="Omar Saleh"),
        text="Hasaka needs more than promises",
    )
    RecommendationFactory(
        made_in=article, statement="Fund the Hasaka rehabilitation centre."
    )
    ArticleFactory(
        published=True,
        source=SourceFactory(name="Hasaka Post", domain="hasakapost.example"),
        headline="Weather report",
    )
    ArticleFactory(published=True, authors=[expert], headline="Unrelated byline")

    payload = _api(client, q="hasaka")
    kinds = {hit["type"] for hit in payload["results"]}
    assert kinds == {"article", "incident", "person", "recommendation", "source"}
    facets = {f["type"]: f["count"] for f in payload["facets"]}
    # The weather report is found by its source's name.
    assert facets == {
        "article": 2,
        "incident": 1,
        "person": 2,
        "recommendation": 1,
        "source": 1,
    }
    quoted = next(h for h in payload["results"] if h["title"] == "Omar Saleh")
    assert quoted["quotes"][0]["text"] == "Hasaka needs more than promises"
    assert quoted["quotes"][0]["article"] == "Hasaka after the siege"
    # Both words, in different fields of the incident.
    both = _titles(_api(client, q="Hasaka hunger"))
    assert both == [("incident", "Hunger strike at Hasaka prison")]


def test_type_facet_and_filters_narrow_the_results(client):
    prisons = TopicFactory(slug="prisons")
    old = timezone.now() - datetime.timedelta(days=400)
    ArticleFactory(published=True, headline="Prison news", topics=[prisons])
    ArticleFactory(published=True, headline="Prison archive", publish_at=old)
    IncidentFactory(title="Prison break")

    only_incidents = _titles(_api(client, q="prison", type="incident"))
    assert only_incidents == [("incident", "Prison break")]
    by_topic = _api(client, q="prison", topic="prisons")
    assert _titles(by_topic) == [("article", "Prison news")]
    # A topic filter leaves out the kinds that have no topics.
    assert [f["type"] for f in by_topic["facets"]] == ["article"]
    since = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    recent = _titles(_api(client, q="prison", start=since, type="article"))
    assert recent == [("article", "Prison news")]
    response, text = _page(client, q="prison", type="incident")
    assert 'aria-current="page">Incidents' in text


def test_facet_counts_stop_at_the_cap(client, monkeypatch):
    monkeypatch.setattr(site_search, "FACET_CAP", 3)
    for n in range(5):
        IncidentFactory(title=f"Prison incident {n}")
    facet = next(
        f for f in _api(client, q="prison")["facets"] if f["type"] == "incident"
    )
    assert (facet["count"], facet["more"]) == (3, True)


def test_bad_filters_get_a_400_with_field_messages(client):
    response = client.get(API, {"q": "x", "start": "2022-02-31"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"start": ["Enter a valid date."]}
    assert client.get(API, {"q": "x", "country": "XX"}).status_code == 400
    assert (
        client.get("/search/", {"q": "x", "language": "not a tag"}).status_code == 400
    )


def test_snippets_are_plain_text_without_markdown(client):
    ArticleFactory(
        published=True,
        headline="Lessons",
        standfirst="",
        body="What the prison attack taught:\n\n- **better** guards\n- more staff",
    )
    snippet = _api(client, q="prison")["results"][0]["snippet"]
    assert "- " not in snippet and "**" not in snippet
    assert "better guards" in snippet


def test_nothing_unpublished_is_found(client):
    public = ArticleFactory(published=True, headline="Public prison story")
    for trait in ("scheduled", "retracted", "in_review"):
        ArticleFactory(headline=f"Hidden prison {trait}", **{trait: True})
    draft = ArticleFactory(headline="Hidden prison draft")
    IncidentFactory(title="Hidden prison incident", draft=True)
    RecommendationFactory(made_in=draft, statement="Hidden prison recommendation")
    QuoteFactory(
        article=draft, person=PersonFactory(name="Hidden Speaker"), text="prison words"
    )
    ArticleFactory(source=SourceFactory(name="Hidden prison press"))
    PersonFactory(name="Hidden prison person")  # on no published page

    payload = _api(client, q="prison")
    _, text = _page(client, q="prison")

    assert _titles(payload) == [("article", public.headline)]
    assert "Hidden" not in text
    assert sum(f["count"] for f in payload["facets"]) == 1


@pytest.mark.parametrize("size", [1, 8])
def test_search_query_count_is_fixed(client, django_assert_max_num_queries, size):
    for n in range(size):
        article = ArticleFactory(published=True, headline=f"Prison story {n}")
        IncidentFactory(title=f"Prison incident {n}")
        QuoteFactory(article=article, person=PersonFactory(), text="prison quote")
        RecommendationFactory(made_in=article, statement="Prison reform now")
    with django_assert_max_num_queries(16):
        assert client.get("/search/", {"q": "prison"}).status_code == 200


def test_opensearch_description_is_linked(client):
    html = client.get("/").content.decode()
    assert 'rel="search" type="application/opensearchdescription+xml"' in html
    response = client.get("/opensearch.xml")
    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    body = response.content.decode()
    assert 'template="http://testserver/search/?q={searchTerms}"' in body


def test_postgresql_falls_back_to_trigram_matches_on_headlines(client):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm is PostgreSQL's")
    ArticleFactory(published=True, headline="Inside Ghwayran prison", standfirst="")
    ArticleFactory(headline="Ghwayran draft", standfirst="")
    # A first-letter slip the vocabulary does not correct; trigrams still match.
    payload = _api(client, q="hwayran")
    assert payload["approximate"] is True
    assert _titles(payload) == [("article", "Inside Ghwayran prison")]


def test_kinds_without_hits_get_no_facet_link(client):
    ArticleFactory(published=True, headline="Prison reform")
    _, text = _page(client, q="prison")
    assert "type=article" in text
    assert "type=source" not in text and "type=incident" not in text
    # The kind asked for keeps its link, empty or not.
    _, text = _page(client, q="prison", type="source")
    assert 'type=source" aria-current="page"' in text


def test_a_misspelt_word_is_searched_once(client, monkeypatch):
    ArticleFactory(published=True, headline="Inside the prison at Ghwayran")
    searched: list[str] = []
    hits = site_search.ArticleKind.hits

    def counting(self, query, limit):
        searched.append(query.text)
        return hits(self, query, limit)

    monkeypatch.setattr(site_search.ArticleKind, "hits", counting)
    payload = _api(client, q="prisn")
    assert payload["corrected"] == "prison"
    assert searched == ["prison"]


def test_a_word_the_vocabulary_lacks_is_still_found_as_typed(client):
    # Only the body holds it, which the vocabulary does not read.
    ArticleFactory(published=True, headline="Harvest", standfirst="", body="Prisn ward")
    ArticleFactory(published=True, headline="Inside the prison", standfirst="")
    payload = _api(client, q="prisn")
    assert payload["corrected"] is None
    assert _titles(payload) == [("article", "Harvest")]


def test_only_the_page_shown_is_described(client):
    for n in range(site_search.PAGE_SIZE + 5):
        ArticleFactory(
            published=True, headline=f"Story {n}", standfirst=f"Prison report {n}"
        )
    results = site_search.search_everything(site_search.build_query({"q": "prison"}))
    first = results.page(1)
    shown = set(map(id, first.object_list))
    rest = [hit for hit in results.hits if id(hit) not in shown]
    assert len(rest) == 5
    assert all("<mark>Prison</mark>" in str(hit.snippet) for hit in first)
    assert not any(str(hit.snippet) for hit in rest)
    second = results.page(2)
    assert all("<mark>Prison</mark>" in str(hit.snippet) for hit in second)


def test_people_are_found_by_quotes_in_published_articles_only(client, monkeypatch):
    monkeypatch.setattr(site_search, "QUOTE_CANDIDATES", 2)
    old = ArticleFactory(
        published=True, publish_at=timezone.now() - datetime.timedelta(days=9)
    )
    QuoteFactory(article=old, person=PersonFactory(name="Old Speaker"), text="prison")
    hidden = PersonFactory(name="Embargoed Speaker")
    # Newer quotes than the published one, in articles readers cannot see yet.
    for article in (ArticleFactory(scheduled=True), ArticleFactory()):
        for _ in range(3):
            QuoteFactory(article=article, person=hidden, text="the prison")
    payload = _api(client, q="prison", type="person")
    assert _titles(payload) == [("person", "Old Speaker")]


def test_incidents_are_found_by_place_without_a_join(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    IncidentFactory(
        title="Riot",
        summary="Guards overran",
        place=PlaceFactory(name="Ghwayran", admin1="Al-Hasakah"),
    )
    IncidentFactory(
        title="Flood", summary="Water rose", place=PlaceFactory(admin1="Aleppo")
    )
    with CaptureQueriesContext(connection) as queries:
        payload = _api(client, q="hasakah -flood", type="incident")
    assert _titles(payload) == [("incident", "Riot")]
    # Place names are matched apart: a join would test every incident in full.
    incident_reads = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "incidents_incident"."id"')
        and "LIKE" in q["sql"]
    ]
    assert incident_reads
    assert not any("JOIN" in sql for sql in incident_reads)


def test_prepared_reads_bind_each_querys_words_and_the_time(client, clock, settings):
    # People and recommendations are read through SQL compiled once per shape
    # of the query: each search must still find its own words, as of now.
    from newsdesk import prepared

    settings.NEWSDESK_CACHE_BYPASS_PARAM = "fresh"
    prepared._compiled.clear()
    live = ArticleFactory(published=True, headline="Camp report")
    QuoteFactory(article=live, person=PersonFactory(name="Amal"), text="the prison")
    QuoteFactory(article=live, person=PersonFactory(name="Bilal"), text="the flood")
    embargoed = ArticleFactory(
        published=True, publish_at=clock.now + datetime.timedelta(hours=1)
    )
    QuoteFactory(article=embargoed, person=PersonFactory(name="Dana"), text="flood")
    RecommendationFactory(made_in=live, statement="Close the prison")
    RecommendationFactory(made_in=embargoed, statement="Drain the flood plain")

    def found(q, kind):
        payload = _api(client, q=q, type=kind, fresh=1)
        return [title for _, title in _titles(payload)]

    assert found("prison", "person") == ["Amal"]
    assert found("flood", "person") == ["Bilal"]
    assert found("flood -the", "person") == []
    assert len(found("prison", "recommendation")) == 1
    assert found("flood", "recommendation") == []
    shapes = len(prepared._compiled)

    clock.now += datetime.timedelta(hours=2)

    assert found("flood", "person") == ["Bilal", "Dana"]
    assert len(found("flood", "recommendation")) == 1
    assert len(prepared._compiled) == shapes


def test_a_new_article_is_found_at_once_and_a_retracted_one_disappears(client, editor):
    from newsdesk import services

    article = ArticleFactory(headline="Ward report", standfirst="")
    person = PersonFactory(name="Samir")
    QuoteFactory(article=article, person=person, text="the ward is full")
    RecommendationFactory(made_in=article, statement="Reopen the ward")
    assert _api(client, q="ward")["results"] == []

    services.article_publish(article=article, user=editor)
    kinds = {hit["type"] for hit in _api(client, q="ward")["results"]}
    assert kinds == {"article", "person", "recommendation"}

    services.article_retract(
        article=Article.objects.get(pk=article.pk), user=editor, note="Wrong."
    )
    assert _api(client, q="ward")["results"] == []
    _, text = _page(client, q="ward")
    assert "Samir" not in text and "Reopen the ward" not in text


def test_words_that_are_not_plain_are_read_through_the_orm():
    from newsdesk import prepared

    calls = []

    def build(moment, words):
        calls.append(list(words))
        return (
            Article.objects.published(moment)
            .filter(headline=words[0])
            .values_list("pk")
        )

    ArticleFactory(published=True, headline="50% off")
    assert len(prepared.prepared_word_rows("test-plain", build, ["50% off"])) == 1
    assert calls == [["50% off"]]
    assert not any(shape[0] == "test-plain" for shape in prepared._compiled)


def _described_world(word: str):
    """One record of every kind holding `word`, each with what its description shows."""
    source = SourceFactory(name=f"{word.title()} Wire")
    article = ArticleFactory(
        published=True, headline=f"{word} story", standfirst=f"A {word} report"
    )
    article.source = source
    article.save()
    person = PersonFactory(name=f"{word.title()} Speaker")
    QuoteFactory(article=article, person=person, text=f"the {word} is full")
    place = PlaceFactory(name=f"{word.title()}ville")
    incident = IncidentFactory(title=f"{word} riot", summary=f"Guards left the {word}")
    incident.place = place
    incident.save()
    recommendation = RecommendationFactory(
        made_in=article, statement=f"Close the {word}", recommended_by_person=person
    )
    return source, article, person, place, incident, recommendation


def test_described_rows_are_read_once_per_shape_and_tagged(client, settings):
    # The shown hits' snippets, details and quotes are read through SQL
    # compiled once: another search of the same shape compiles nothing new,
    # shows its own rows and names them in its cache tags.
    from newsdesk import prepared

    settings.NEWSDESK_CACHE_BYPASS_PARAM = "fresh"
    worlds = {word: _described_world(word) for word in ("prison", "flood")}
    response, text = _page(client, q="prison", fresh=1)
    assert "Originally published by Prison Wire" in text
    assert "<mark>prison</mark> is full" in text
    assert "Guards left the <mark>prison</mark>" in text
    assert "recommended by Prison Speaker" in text
    shapes = set(prepared._compiled)
    assert {
        "search-describe-articles",
        "search-describe-incidents",
        "search-describe-people",
        "search-describe-recommendations",
    } <= {shape[0] for shape in shapes}

    response, text = _page(client, q="flood", fresh=1)

    assert set(prepared._compiled) == shapes
    assert "Originally published by Flood Wire" in text
    assert "<mark>flood</mark> is full" in text
    assert "Guards left the <mark>flood</mark>" in text
    assert "recommended by Flood Speaker" in text
    assert "Prison" not in text
    source, article, person, place, incident, recommendation = worlds["flood"]
    response, _ = _page(client, q="flood")  # stored, so tagged
    tags = response["Surrogate-Key"].split()
    for tag in (
        f"source:{source.pk}",
        f"article:{article.pk}",
        f"person:{person.pk}",
        f"place:{place.pk}",
        f"incident:{incident.pk}",
        f"recommendation:{recommendation.pk}",
    ):
        assert tag in tags


def test_descriptions_follow_edits_at_once(client, settings):
    # Only the SQL is kept: an edited row is described as it is now, and a
    # retracted article's source line and quotes are gone.
    settings.NEWSDESK_CACHE_BYPASS_PARAM = "fresh"
    source, article, person, place, incident, recommendation = _described_world(
        "prison"
    )
    _page(client, q="prison", fresh=1)
    source.name = "Renamed Wire"
    source.save()
    incident.summary = "Guards came back to the prison"
    incident.save()

    _, text = _page(client, q="prison", fresh=1)

    assert "Originally published by Renamed Wire" in text
    assert "Guards came back to the <mark>prison</mark>" in text


def test_a_misspelt_word_costs_a_fixed_number_of_queries(client):
    # The word as typed is looked for once per kind, then the correction is
    # searched: as many queries for one record of each kind as for eight.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def misspelt() -> int:
        with CaptureQueriesContext(connection) as queries:
            _, text = _page(client, q="prisn")
        assert "Showing results for <strong>“prison”</strong>" in text
        return len(queries)

    _described_world("prison")
    few = misspelt()
    for n in range(1, 8):
        _described_world(f"prison{n}")
    assert misspelt() == few <= 22


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL reads quotes by their index"
)
def test_on_sqlite_people_are_found_by_what_they_said_among_the_newest_quotes(
    client, monkeypatch
):
    # The window is a constant of statements compiled once per process.
    monkeypatch.setattr(site_search, "SQLITE_QUOTE_WINDOW", 3)
    monkeypatch.setattr(prepared, "_compiled", {})
    article = ArticleFactory(published=True, headline="Voices from the camps")
    QuoteFactory(
        article=article,
        person=PersonFactory(name="Early Speaker"),
        text="Amnesty is the only way out",
    )
    for n in range(3):
        QuoteFactory(article=article, person=PersonFactory(name=f"Speaker {n}"))
    QuoteFactory(
        article=article,
        person=PersonFactory(name="Late Speaker"),
        text="We ask for amnesty now",
    )

    people = [t for kind, t in _titles(_api(client, q="amnesty")) if kind == "person"]
    # Four quotes came after the early speaker's: it is outside the window.
    assert people == ["Late Speaker"]
    # Found by name, a person is not limited by the window.
    assert ("person", "Early Speaker") in _titles(_api(client, q="early"))

    # What the read costs does not grow with the archive: a range of the
    # newest keys, not a scan of every quote.
    sql, params = (
        site_search.PersonKind()
        .matching(site_search.build_query({"q": "amnesty"}))
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [row[-1] for row in cursor.fetchall()]
    assert not [step for step in plan if step.startswith("SCAN V0")], plan
    assert any("INTEGER PRIMARY KEY (rowid>?)" in step for step in plan), plan
