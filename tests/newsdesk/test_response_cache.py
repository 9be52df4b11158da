"""Rendered anonymous responses are stored under their cache tags.

A second reader of the same page or API answer is served without queries;
a write retires exactly the answers carrying the tags it affects, a
scheduled release is retired by `publish_due`; signed-in users, previews and
personal URLs are never served from it; tracking parameters share the clean
URL's entry and other unknown parameters are redirected away.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsdesk import services
from newsdesk.http import tags as cache_tags
from newsdesk.models import Article
from tests.factories import (
    ArticleFactory,
    IncidentFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db


def _queries(client, url, **extra):
    from django.db import connection

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    return response, len(captured)


# --- Pages -------------------------------------------------------------------


def test_second_anonymous_reader_gets_the_stored_page_without_queries(client):
    article = ArticleFactory(published=True, headline="Camp returns resume")
    first, first_queries = _queries(client, article.get_absolute_url())
    second, second_queries = _queries(client, article.get_absolute_url())

    assert first.status_code == second.status_code == 200
    assert first["X-Cache"] == "MISS" and second["X-Cache"] == "HIT"
    assert first_queries > 0 and second_queries == 0
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    # The stored page still answers as a public, validated page.
    assert second["ETag"] == first["ETag"]
    assert "public" in second["Cache-Control"]
    assert not second.cookies


def test_a_write_retires_the_stored_page(client, editor):
    article = ArticleFactory(published=True, headline="First headline")
    url = article.get_absolute_url()
    assert b"First headline" in client.get(url).content

    services.correction_add(
        article=article, user=editor, note="The camp is in Hasakah, not Raqqa."
    )
    corrected = client.get(url)
    assert corrected["X-Cache"] == "MISS"
    assert b"not Raqqa" in corrected.content

    services.article_retract(
        article=Article.objects.get(pk=article.pk), user=editor, note="Unverified."
    )
    retracted = client.get(url)
    assert retracted.status_code == 410
    assert b"First headline" in retracted.content
    assert b"The attack began at night" not in retracted.content


def test_a_scheduled_article_appears_once_publish_due_runs(client):
    scheduled = ArticleFactory(scheduled=True, headline="Embargoed report")
    assert b"Embargoed report" not in client.get("/").content
    assert client.get("/")["X-Cache"] == "HIT"
    # Its time comes; nothing is saved, so no signal purges anything.
    Article.objects.filter(pk=scheduled.pk).update(
        publish_at=timezone.now() - datetime.timedelta(seconds=5)
    )
    assert client.get("/")["X-Cache"] == "HIT"
    call_command("publish_due", stdout=io.StringIO())
    home = client.get("/")
    assert home["X-Cache"] == "MISS"
    assert b"Embargoed report" in home.content


def test_signed_in_readers_never_get_the_stored_page(editor_client):
    article = ArticleFactory(published=True)
    url = article.get_absolute_url()
    reader = Client()
    reader.get(url)
    assert reader.get(url)["X-Cache"] == "HIT"

    response = editor_client.get(url)
    assert response.status_code == 200
    assert not response.has_header("X-Cache")
    assert "private" in response["Cache-Control"]


def test_tracking_parameters_share_the_clean_pages_entry(client):
    article = ArticleFactory(published=True)
    url = article.get_absolute_url()
    clean = client.get(url)
    for query in ("utm_source=newsletter&utm_medium=email", "fbclid=abc", "gclid=1"):
        response, queries = _queries(client, f"{url}?{query}")
        assert response.status_code == 200
        assert response["X-Cache"] == "HIT" and queries == 0
        assert response.content == clean.content


def test_unknown_parameters_are_redirected_to_the_clean_address(client):
    """`?x=1`, `?x=2`, … cost one cheap redirect each, never a render."""
    article = ArticleFactory(published=True)
    url = article.get_absolute_url()
    for value in range(3):
        response, queries = _queries(client, f"{url}?x={value}&utm_source=feed")
        assert response.status_code == 301 and queries == 0
        assert response["Location"] == f"{url}?utm_source=feed"
    topic_page = client.get("/search/?q=camp&sort=new")
    assert topic_page.status_code == 301
    assert topic_page["Location"] == "/search/?q=camp"


def test_a_commenters_receipt_page_is_not_stored_for_others(client):
    article = ArticleFactory(published=True)
    url = article.get_absolute_url()
    posted = client.post(
        f"{url}comments/",
        {"name": "Amal", "email": "amal@example.org", "body": "Pending words here."},
    )
    assert posted.status_code == 302
    receipt_url = posted["Location"].split("#")[0]
    assert b"Pending words here." in client.get(receipt_url).content

    plain = client.get(url)
    assert b"Pending words here." not in plain.content
    again = client.get(url)
    assert again["X-Cache"] == "HIT"
    assert b"Pending words here." not in again.content


def test_previews_are_never_stored(client, editor):
    draft = ArticleFactory(headline="Draft under embargo")
    from newsdesk import previews

    url = f"{draft.get_absolute_url()}?{previews.PREVIEW_PARAM}="
    url += previews.preview_token(draft)
    assert b"Draft under embargo" in client.get(url).content
    assert b"Draft under embargo" not in client.get(draft.get_absolute_url()).content
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_search_results_are_stored_per_query(client):
    ArticleFactory(published=True, headline="Prison break in Hasakah")
    ArticleFactory(published=True, headline="Camp returns to Iraq", body="Returns.")
    prison = client.get("/search/?q=prison")
    camp = client.get("/search/?q=camp")
    assert b"Prison break" in prison.content and b"Prison break" not in camp.content
    assert client.get("/search/?q=prison")["X-Cache"] == "HIT"
    assert client.get("/search/?q=camp").content == camp.content


def test_pages_are_stored_per_origin(client):
    """Pages carry absolute links, so each host gets its own rendering."""
    article = ArticleFactory(published=True)
    url = article.get_absolute_url()
    first = client.get(url, HTTP_HOST="testserver")
    other = client.get(url, HTTP_HOST="localhost")
    assert other["X-Cache"] == "MISS"
    assert b"http://localhost/" in other.content
    assert b"http://localhost/" not in first.content


def test_a_write_purges_once_when_it_commits(
    client, editor, monkeypatch, django_capture_on_commit_callbacks
):
    """One purge per write: not on save and again on commit (a stored page
    rendered in between would be rendered twice for one write)."""

    draft = ArticleFactory(headline="Purged once")
    client.get("/")
    assert client.get("/")["X-Cache"] == "HIT"
    home_tags = client.get("/")["Surrogate-Key"].split()
    purged: list[set[str]] = []
    real_bump = cache_tags.bump
    monkeypatch.setattr(
        cache_tags, "bump", lambda tags: (purged.append(set(tags)), real_bump(tags))
    )
    shared = cache_tags._shared_versions(home_tags)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.article_publish(article=draft, user=editor)
        draft.refresh_from_db()
        services.article_update(
            article=draft,
            user=editor,
            data={"standfirst": "Edited before the commit."},
            expected_version=draft.version,
        )
        # Other readers still see the committed rows: nothing is purged yet.
        assert purged == []
        assert cache_tags._shared_versions(home_tags) == shared
        # The writing transaction itself never reads the old rendering.
        assert client.get("/")["X-Cache"] == "MISS"
    assert len(purged) == 1
    assert {f"article:{draft.pk}", "list:articles:head"} <= purged[0]
    again = client.get("/")
    assert again["X-Cache"] == "MISS" and b"Purged once" in again.content
    assert client.get("/")["X-Cache"] == "HIT"
    assert len(purged) == 1


def test_feeds_are_stored_and_retired_by_a_retraction(client, editor):
    article = ArticleFactory(published=True, headline="Feed headline")
    first = client.get("/feeds/latest/rss/")
    second, queries = _queries(client, "/feeds/latest/rss/")
    assert second["X-Cache"] == "HIT" and queries == 0
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]

    services.article_retract(article=article, user=editor, note="Unverified.")
    assert b"Feed headline" not in client.get("/feeds/latest/rss/").content


# --- API ---------------------------------------------------------------------


def test_api_answers_are_stored_per_format(api_client):
    ArticleFactory(published=True, headline="Stored once")
    first, first_queries = _queries(api_client, "/api/v1/articles/")
    second, second_queries = _queries(api_client, "/api/v1/articles/")
    assert first["X-Cache"] == "MISS" and second["X-Cache"] == "HIT"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second_queries == 0 < first_queries
    assert "public" in second["Cache-Control"] and second["ETag"] == first["ETag"]

    IncidentFactory(title="Hasakah prison attack")
    listed = api_client.get("/api/v1/incidents/")
    geojson = api_client.get("/api/v1/incidents/?format=geojson")
    assert listed["X-Cache"] == geojson["X-Cache"] == "MISS"
    assert geojson["Content-Type"].startswith("application/geo+json")
    again = api_client.get("/api/v1/incidents/?format=geojson")
    assert again["X-Cache"] == "HIT" and again.content == geojson.content
    assert api_client.get("/api/v1/incidents/").content == listed.content


def test_api_csv_keeps_its_download_headers(api_client):
    RecommendationFactory()
    first = api_client.get("/api/v1/recommendations/?format=csv")
    second = api_client.get("/api/v1/recommendations/?format=csv")
    assert second["X-Cache"] == "HIT"
    assert second["Content-Type"] == first["Content-Type"]
    assert second.get("Content-Disposition") == first.get("Content-Disposition")
    assert second.content == first.content


def test_api_write_retires_the_stored_answer(api_client, editor):
    article = ArticleFactory(published=True, headline="Before")
    api_client.get("/api/v1/articles/")
    services.article_retract(article=article, user=editor, note="Unverified.")
    response = api_client.get("/api/v1/articles/")
    assert response["X-Cache"] == "MISS"
    assert response.json()["results"] == []


def test_api_parameters_it_does_not_read_share_the_entry(api_client, editor):
    ArticleFactory(published=True)
    first = api_client.get("/api/v1/articles/")
    for query in ("nocache=1", "nocache=2", "utm_source=x"):
        again = api_client.get(f"/api/v1/articles/?{query}")
        assert again["X-Cache"] == "HIT" and again.content == first.content
    api_client.force_authenticate(editor)
    api_client.get("/api/v1/articles/")
    staff = api_client.get("/api/v1/articles/")
    assert not staff.has_header("X-Cache")
    assert "no-store" in staff["Cache-Control"]


def test_api_filters_are_part_of_the_key(api_client):
    incident = IncidentFactory(status="published")
    ArticleFactory(published=True, headline="Unlinked")
    linked = ArticleFactory(published=True, headline="Linked")
    incident.articles.add(linked)
    everything = api_client.get("/api/v1/articles/").json()["results"]
    narrowed = api_client.get(f"/api/v1/articles/?incident={incident.pk}")
    assert narrowed["X-Cache"] == "MISS"
    assert [a["headline"] for a in narrowed.json()["results"]] == ["Linked"]
    assert len(everything) == 2


def test_api_errors_are_not_stored(api_client):
    for _ in range(2):
        response = api_client.get("/api/v1/articles/?page_size=0")
        assert response.status_code == 400
        assert not response.has_header("X-Cache")


def test_api_lists_show_a_lifted_embargo_once_publish_due_runs(api_client):
    ArticleFactory(published=True)
    scheduled = ArticleFactory(scheduled=True, headline="Embargo lifts")
    first = api_client.get("/api/v1/articles/")
    assert "Embargo lifts" not in first.content.decode()

    Article.objects.filter(pk=scheduled.pk).update(
        publish_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    call_command("publish_due", stdout=io.StringIO())
    lifted = api_client.get("/api/v1/articles/")
    assert lifted["ETag"] != first["ETag"]
    assert lifted["X-Cache"] == "MISS"
    assert "Embargo lifts" in lifted.content.decode()
