"""Articles API: published-only reads, filters, ordering, paging and 400s."""

import datetime

import pytest
from django.utils import timezone

from incidents.models import IncidentStatus
from tests.factories import (
    ArticleFactory,
    CorrectionFactory,
    IncidentFactory,
    PersonFactory,
    QuoteFactory,
    RecommendationFactory,
    RecommendationUpdateFactory,
    RelatedLinkFactory,
    SourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


@pytest.fixture
def unpublished():
    """One article in every state readers must never see."""
    return {
        "draft": ArticleFactory(),
        "in_review": ArticleFactory(in_review=True),
        "scheduled": ArticleFactory(scheduled=True),
        "retracted": ArticleFactory(retracted=True),
    }


def test_list_shows_only_published_articles(api_client, unpublished):
    published = ArticleFactory(published=True)
    assert ids(api_client.get(LIST)) == [published.pk]


@pytest.mark.parametrize("state", ["draft", "in_review", "scheduled", "retracted"])
def test_unpublished_detail_is_404_for_anonymous(api_client, unpublished, state):
    response = api_client.get(f"{LIST}{unpublished[state].pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_publish_time_boundary(api_client):
    past = ArticleFactory(
        published=True, publish_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    ArticleFactory(
        published=True, publish_at=timezone.now() + datetime.timedelta(seconds=60)
    )
    assert ids(api_client.get(LIST)) == [past.pk]


def test_list_item_shape(api_client):
    person, topic, source = PersonFactory(), TopicFactory(), SourceFactory()
    article = ArticleFactory(
        published=True, authors=[person], topics=[topic], source=source
    )
    incident = IncidentFactory()
    incident.articles.add(article)
    item = api_client.get(LIST).json()["results"][0]
    assert item["url"] == f"http://testserver/api/v1/articles/{article.pk}/"
    assert item["page_url"] == "http://testserver" + article.get_absolute_url()
    assert item["authors"][0]["name"] == person.name
    assert item["topics"][0]["slug"] == topic.slug
    assert item["source"]["id"] == source.pk
    assert item["incidents"] == [incident.pk]
    assert "body_html" not in item


def test_detail_never_names_unpublished_related_content(api_client, unpublished):
    article = ArticleFactory(published=True, body="**Bold** <script>x()</script>")
    public_target = ArticleFactory(published=True)
    for target in [*unpublished.values(), public_target]:
        RelatedLinkFactory(article=article, target=target)
    RelatedLinkFactory(article=article, title="Outside", url="https://example.org/x")
    draft_incident = IncidentFactory(status=IncidentStatus.DRAFT)
    public_incident = IncidentFactory()
    draft_incident.articles.add(article)
    public_incident.articles.add(article)
    RecommendationFactory(made_in=article, incident=draft_incident)
    shown = RecommendationFactory(made_in=article)
    RecommendationUpdateFactory(
        recommendation=shown, evidence_article=unpublished["draft"]
    )
    QuoteFactory(article=article)
    CorrectionFactory(article=article)

    response = api_client.get(f"{LIST}{article.pk}/")
    data = response.json()
    text = response.content.decode()

    assert "<strong>Bold</strong>" in data["body_html"]
    assert "<script>" not in data["body_html"]
    assert data["incidents"] == [public_incident.pk]
    assert [i["id"] for i in data["incident_summaries"]] == [public_incident.pk]
    assert [link["article"]["id"] for link in data["related"] if link["article"]] == [
        public_target.pk
    ]
    assert {link["title"] for link in data["related"]} >= {"Outside"}
    assert [r["id"] for r in data["recommendations"]] == [shown.pk]
    assert data["recommendations"][0]["history"][0]["evidence_article"] is None
    assert len(data["quotes"]) == 1 and len(data["corrections"]) == 1
    for hidden in unpublished.values():
        assert f"/api/v1/articles/{hidden.pk}/" not in text
        assert hidden.slug not in text


def test_staff_with_change_permission_may_fetch_a_draft(
    api_client, reporter, moderator
):
    draft = ArticleFactory()
    url = f"{LIST}{draft.pk}/"
    api_client.force_authenticate(moderator)
    assert api_client.get(url).status_code == 404
    api_client.force_authenticate(reporter)
    response = api_client.get(url)
    assert response.status_code == 200
    assert response.json()["status"] == "Draft"
    assert response["Cache-Control"].startswith("private")
    # Drafts are never listed, even for staff.
    assert ids(api_client.get(LIST)) == []


# --- Filters -------------------------------------------------------------------


def test_filters(api_client):
    person, topic, source = PersonFactory(), TopicFactory(), SourceFactory()
    old = ArticleFactory(
        published=True,
        publish_at=timezone.now() - datetime.timedelta(days=30),
        language="it",
    )
    new = ArticleFactory(
        published=True, authors=[person], topics=[topic], source=source, language="en"
    )
    incident = IncidentFactory()
    incident.articles.add(old)
    cutoff = (timezone.now() - datetime.timedelta(days=10)).isoformat()

    assert ids(api_client.get(LIST, {"published_after": cutoff})) == [new.pk]
    assert ids(api_client.get(LIST, {"published_before": cutoff})) == [old.pk]
    assert ids(api_client.get(LIST, {"topic": topic.slug})) == [new.pk]
    assert ids(api_client.get(LIST, {"source": source.slug})) == [new.pk]
    assert ids(api_client.get(LIST, {"author": person.slug})) == [new.pk]
    assert ids(api_client.get(LIST, {"language": "it"})) == [old.pk]
    assert ids(api_client.get(LIST, {"incident": incident.pk})) == [old.pk]
    assert ids(api_client.get(LIST, {"topic": "no-such-topic"})) == []


def test_incident_filter_ignores_draft_incidents(api_client):
    article = ArticleFactory(published=True)
    draft_incident = IncidentFactory(status=IncidentStatus.DRAFT)
    draft_incident.articles.add(article)
    assert ids(api_client.get(LIST, {"incident": draft_incident.pk})) == []


def test_full_text_search_uses_published_articles_only(api_client):
    hit = ArticleFactory(published=True, headline="Ghwayran prison attack")
    ArticleFactory(published=True, headline="Election results")
    ArticleFactory(headline="Ghwayran draft notes")
    assert ids(api_client.get(LIST, {"q": "Ghwayran"})) == [hit.pk]


def test_search_ranks_best_match_first_and_pages_by_rank(api_client):
    weak = [
        ArticleFactory(
            published=True, headline=f"Report {n}", body="Hasaka mentioned once."
        )
        for n in range(3)
    ]
    strong = ArticleFactory(
        published=True,
        headline="Hasaka prison: the Hasaka attack",
        standfirst="Hasaka",
        body="Hasaka Hasaka Hasaka.",
    )
    first = api_client.get(LIST, {"q": "hasaka", "page_size": 2}).json()
    assert first["results"][0]["id"] == strong.pk
    seen = [item["id"] for item in first["results"]]
    url = first["next"]
    while url:
        page = api_client.get(url).json()
        seen += [item["id"] for item in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted([strong.pk, *(a.pk for a in weak)])
    oldest_first = ids(
        api_client.get(LIST, {"q": "hasaka", "ordering": "published_at"})
    )
    assert oldest_first == [*(a.pk for a in weak), strong.pk]
    assert (
        ids(api_client.get(LIST, {"q": "hasaka", "ordering": "relevance"}))[0]
        == strong.pk
    )


def test_relevance_without_a_query_is_newest_first(api_client):
    older = ArticleFactory(
        published=True, publish_at=timezone.now() - datetime.timedelta(days=1)
    )
    newer = ArticleFactory(published=True)
    assert ids(api_client.get(LIST, {"ordering": "relevance"})) == [newer.pk, older.pk]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/articles/?language=%00",
        "/api/v1/articles/?language=a%00b&topic=x",
        "/api/v1/incidents/?%00=1",
        "/api/v1/figures/%00/",
    ],
)
def test_null_characters_get_the_api_error_format(api_client, url):
    response = api_client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "invalid"
    assert response.json()["errors"]


@pytest.mark.parametrize("query", ["!!!", "-excluded", '""'])
def test_queries_without_words_match_nothing(api_client, query):
    ArticleFactory(published=True)
    assert ids(api_client.get(LIST, {"q": query})) == []


# --- Ordering and paging ----------------------------------------------------------


def test_ordering(api_client):
    now = timezone.now()
    first = ArticleFactory(published=True, publish_at=now - datetime.timedelta(days=2))
    second = ArticleFactory(published=True, publish_at=now - datetime.timedelta(days=1))
    assert ids(api_client.get(LIST)) == [second.pk, first.pk]
    assert ids(api_client.get(LIST, {"ordering": "published_at"})) == [
        first.pk,
        second.pk,
    ]
    assert ids(api_client.get(LIST, {"ordering": "-id"})) == [second.pk, first.pk]


def test_cursor_pages_follow_links_in_body_and_header(api_client):
    made = [ArticleFactory(published=True) for _ in range(5)]
    seen, url, pages = [], LIST + "?page_size=2", 0
    while url:
        response = api_client.get(url)
        body = response.json()
        seen += [item["id"] for item in body["results"]]
        if body["next"]:
            assert f'<{body["next"]}>; rel="next"' in response["Link"]
        url, pages = body["next"], pages + 1
    assert sorted(seen) == sorted(a.pk for a in made)
    assert pages == 3
    assert "count" not in body


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"published_after": "yesterday"}, "published_after"),
        ({"published_before": "2022-13-45T00:00:00Z"}, "published_before"),
        ({"incident": "abc"}, "incident"),
        ({"incident": "1.5"}, "incident"),
        ({"incident": "0"}, "incident"),
        ({"ordering": "headline"}, "ordering"),
        ({"ordering": "-published_at,id"}, "ordering"),
        ({"ordering": ""}, "ordering"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"q": "x" * 201}, "q"),
        ({"format": ""}, "format"),
    ],
)
def test_invalid_parameters_answer_400_naming_the_field(api_client, params, field):
    ArticleFactory(published=True)
    response = api_client.get(LIST, params)
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert body["code"] == "invalid"
    assert field in body["errors"]
    assert body["errors"][field][0]


def test_invalid_cursor_is_404_in_the_error_format(api_client):
    response = api_client.get(LIST, {"cursor": "not-a-cursor"})
    assert response.status_code == 404
    assert set(response.json()) == {"status", "code", "detail", "errors"}


@pytest.mark.parametrize("pk", ["abc", "1.5", str(2**70), "-1"])
def test_malformed_ids_are_404(api_client, pk):
    response = api_client.get(f"{LIST}{pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_csv_is_not_offered_for_articles(api_client):
    response = api_client.get(LIST, {"format": "csv"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
