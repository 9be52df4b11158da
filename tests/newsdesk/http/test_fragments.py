"""Per-row fragments: an answer rendered again re-renders only the rows that changed."""

import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents.api.serializers import IncidentSerializer
from incidents.models import IncidentStatus
from newsdesk import services
from newsdesk.api.serializers import ArticleSerializer
from newsdesk.models import Article
from tests.factories import (
    ArticleFactory,
    IncidentFactory,
    PersonFactory,
    RelatedLinkFactory,
    TopicFactory,
)

LIST = "/api/v1/articles/?page_size=5&fresh=1"


@pytest.fixture
def bypass(settings):
    # The stored-answer cache steps aside for `fresh`: every request renders.
    settings.NEWSDESK_CACHE_BYPASS_PARAM = "fresh"


@pytest.fixture
def articles(db):
    person = PersonFactory(name="Amina Ali")
    rows = [ArticleFactory(published=True, authors=[person]) for _ in range(5)]
    return person, rows


def rendered_items(api_client, url=LIST):
    """(items, how many article items were serialised, queries) of one request."""
    original = ArticleSerializer.to_representation
    with (
        mock.patch.object(
            ArticleSerializer, "to_representation", autospec=True, side_effect=original
        ) as spy,
        CaptureQueriesContext(connection) as queries,
    ):
        response = api_client.get(url)
    assert response.status_code == 200
    return response.json()["results"], spy.call_count, len(queries)


def by_id(items):
    return {item["id"]: item for item in items}


@pytest.mark.django_db
def test_a_list_rendered_again_reads_only_its_page(api_client, bypass, articles):
    first, serialised, _ = rendered_items(api_client)
    assert serialised == 5
    again, serialised, queries = rendered_items(api_client)
    assert again == first
    assert serialised == 0
    assert queries == 1  # the page of rows through published(); items from fragments


@pytest.mark.django_db
def test_an_edit_re_renders_that_row_only(api_client, bypass, articles, editor):
    _, rows = articles
    rendered_items(api_client)
    edited = rows[2]
    services.article_update(
        article=edited,
        user=editor,
        data={"headline": "Corrected headline"},
        expected_version=edited.version,
    )
    items, serialised, _ = rendered_items(api_client)
    assert serialised == 1
    assert by_id(items)[edited.pk]["headline"] == "Corrected headline"


@pytest.mark.django_db
def test_a_person_renamed_reaches_every_item_bylined_by_them(
    api_client, bypass, articles
):
    person, rows = articles
    other = ArticleFactory(published=True, authors=[PersonFactory()])
    rendered_items(api_client, "/api/v1/articles/?page_size=6&fresh=1")
    person.name = "Amina Ali Hassan"
    person.save()
    items, serialised, _ = rendered_items(
        api_client, "/api/v1/articles/?page_size=6&fresh=1"
    )
    assert serialised == 5  # the other author's article keeps its fragment
    assert {item["authors"][0]["name"] for item in items if item["id"] != other.pk} == {
        "Amina Ali Hassan"
    }


@pytest.mark.django_db
def test_an_incident_unpublished_leaves_the_items_covering_it(
    api_client, bypass, articles
):
    _, rows = articles
    incident = IncidentFactory(status=IncidentStatus.PUBLISHED)
    incident.articles.add(rows[0])
    items, _, _ = rendered_items(api_client)
    assert by_id(items)[rows[0].pk]["incidents"] == [incident.pk]
    incident.status = IncidentStatus.DRAFT
    incident.save()
    items, serialised, _ = rendered_items(api_client)
    assert by_id(items)[rows[0].pk]["incidents"] == []
    assert serialised == 1


@pytest.mark.django_db
def test_an_unpublished_row_leaves_the_list_whatever_its_fragment(
    api_client, bypass, articles
):
    _, rows = articles
    rendered_items(api_client)
    # A bulk update sends no signal and purges nothing: the page's rows are
    # still read through published() on every request.
    type(rows[1]).objects.filter(pk=rows[1].pk).update(status="draft")
    items, _, _ = rendered_items(api_client)
    assert rows[1].pk not in by_id(items)
    assert len(items) == 4


INCIDENTS = "/api/v1/incidents/?page_size=5&fresh=1"


def incident_items(api_client):
    original = IncidentSerializer.to_representation
    with mock.patch.object(
        IncidentSerializer, "to_representation", autospec=True, side_effect=original
    ) as spy:
        response = api_client.get(INCIDENTS)
    assert response.status_code == 200
    return by_id(response.json()["results"]), spy.call_count


@pytest.mark.django_db
def test_an_incident_edit_re_renders_that_incident_only(api_client, bypass):
    incidents = [IncidentFactory() for _ in range(3)]
    _, serialised = incident_items(api_client)
    assert serialised == 3
    incidents[0].title = "Attack on the prison, revised"
    incidents[0].save()
    items, serialised = incident_items(api_client)
    assert serialised == 1
    assert items[incidents[0].pk]["title"] == "Attack on the prison, revised"


@pytest.mark.django_db
def test_an_embargo_lifting_reaches_the_incidents_covering_the_article(
    api_client, bypass
):
    incident = IncidentFactory()
    due = ArticleFactory(scheduled=True)
    incident.articles.add(due)
    call_command("publish_due", stdout=io.StringIO())
    items, _ = incident_items(api_client)
    assert items[incident.pk]["articles"] == []
    # Its time comes after that run: no signal, only publish_due's purge.
    Article.objects.filter(pk=due.pk).update(publish_at=timezone.now())
    call_command("publish_due", stdout=io.StringIO())
    items, serialised = incident_items(api_client)
    assert items[incident.pk]["articles"] == [due.pk]
    assert serialised == 1


def detail(api_client, pk):
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(f"/api/v1/articles/{pk}/?fresh=1")
    return response, len(queries)


@pytest.mark.django_db
def test_an_article_detail_rendered_again_reads_its_row_and_its_kept_item(
    api_client, bypass, articles, editor
):
    _, rows = articles
    # Once its page is stored, the item is kept with it (newsdesk.article_page).
    assert api_client.get(rows[0].get_absolute_url()).status_code == 200
    first, _ = detail(api_client, rows[0].pk)
    again, queries = detail(api_client, rows[0].pk)
    # The row with the kept item and the counts checking what it shows: one.
    assert queries == 1
    assert again.json() == first.json()
    services.article_update(
        article=rows[0],
        user=editor,
        data={"headline": "Corrected headline"},
        expected_version=rows[0].version,
    )
    edited, _ = detail(api_client, rows[0].pk)
    assert edited.json()["headline"] == "Corrected headline"
    assert edited.json()["version"] == rows[0].version
    assert edited["ETag"].startswith(f'W/"a{rows[0].pk}-v{rows[0].version}-')
    Article.objects.filter(pk=rows[0].pk).update(status="draft")
    gone, _ = detail(api_client, rows[0].pk)
    assert gone.status_code == 404


@pytest.mark.django_db
def test_a_read_also_target_going_live_reaches_the_detail_linking_to_it(
    api_client, bypass
):
    target = ArticleFactory(scheduled=True, headline="The follow-up")
    article = RelatedLinkFactory(
        article=ArticleFactory(published=True), target=target
    ).article
    call_command("publish_due", stdout=io.StringIO())
    response, _ = detail(api_client, article.pk)
    assert response.json()["related"] == []
    Article.objects.filter(pk=target.pk).update(publish_at=timezone.now())
    call_command("publish_due", stdout=io.StringIO())
    response, _ = detail(api_client, article.pk)
    assert [r["title"] for r in response.json()["related"]] == ["The follow-up"]
    # And leaves it again when retracted.
    target.refresh_from_db()
    target.status = "retracted"
    target.save()
    response, _ = detail(api_client, article.pk)
    assert response.json()["related"] == []


@pytest.mark.django_db
def test_a_topic_page_rendered_again_reads_its_page_and_re_renders_one_edit(
    client, bypass, editor
):
    topic = TopicFactory(slug="camps")
    rows = [ArticleFactory(published=True, topics=[topic]) for _ in range(3)]
    url = "/topics/camps/?fresh=1"
    first = client.get(url).content.decode()
    assert all(row.headline in first for row in rows)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).content.decode() == first
    assert len(queries) == 2  # the topic, then its page of rows
    services.article_update(
        article=rows[1],
        user=editor,
        data={"headline": "Camp report, corrected"},
        expected_version=rows[1].version,
    )
    with mock.patch(
        "newsdesk.views.render_to_string", side_effect=render_to_string
    ) as rendered:
        page = client.get(url).content.decode()
    # The page around its teasers, and the one teaser edited.
    templates = [call.args[0] for call in rendered.call_args_list]
    assert templates.count("includes/article_teaser.html") == 1
    assert "Camp report, corrected" in page
    # Rendered again unchanged: the rendering stored under the page's rows.
    with mock.patch(
        "newsdesk.views.render_to_string", side_effect=render_to_string
    ) as rendered:
        assert client.get(url).content.decode() == page
    assert rendered.call_count == 0
    Article.objects.filter(pk=rows[0].pk).update(status="draft")
    assert rows[0].headline not in client.get(url).content.decode()


@pytest.mark.django_db
def test_an_answer_names_its_items_tags_whether_built_or_stored(api_client):
    incident = IncidentFactory()
    built = api_client.get("/api/v1/incidents/?page_size=5")
    # Another answer (its own key) over the same rows, from their fragments.
    again = api_client.get("/api/v1/incidents/?page_size=6")
    assert built["X-Cache"] == again["X-Cache"] == "MISS"
    built, stored = built["Surrogate-Key"].split(), again["Surrogate-Key"].split()
    assert f"list:incident:{incident.slug}" in built
    assert f"incident:{incident.pk}" in built
    assert sorted(built) == sorted(stored)
