"""Public editorial pages: visibility, redirects, retractions, previews, caching."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents.models import Metric
from newsdesk import frontpage, services
from newsdesk.article_page import article_with_page
from newsdesk.models import ArticleRedirect
from newsdesk.retractions import corrections_and_retractions
from newsdesk.selectors import (
    article_for_public,
    article_related,
)
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    CorrectionFactory,
    FigureFactory,
    IncidentActorFactory,
    IncidentFactory,
    PersonFactory,
    QuoteFactory,
    RecommendationFactory,
    RelatedLinkFactory,
    SourceFactory,
    TopicFactory,
)
from tests.query_plans import require_sqlite, sqlite_plans

pytestmark = pytest.mark.django_db


def _rich_article(n_related: int = 1):
    """A published article with every kind of associated row, `n_related` of each."""
    topic = TopicFactory()
    source = SourceFactory()
    article = ArticleFactory(
        published=True,
        source=source,
        original_url="https://example.org/original",
        authors=[PersonFactory() for _ in range(n_related)],
        topics=[topic],
    )
    for _ in range(n_related):
        QuoteFactory(article=article, person=PersonFactory())
        CorrectionFactory(article=article)
        CommentFactory(article=article, approved=True)
        RelatedLinkFactory(article=article, target=ArticleFactory(published=True))
        incident = IncidentFactory()
        incident.articles.add(article)
        IncidentActorFactory(incident=incident)
        FigureFactory(incident=incident, low=67, high=67)
        FigureFactory(incident=incident, low=70, high=70, claimant="Amaq")
        RecommendationFactory(made_in=article, incident=incident)
        ArticleFactory(published=True, topics=[topic], source=source)
    return article


def test_home_lists_only_published_articles(client):
    shown = ArticleFactory(published=True, headline="Shown headline")
    for trait in ("in_review", "scheduled", "retracted"):
        retracted = ArticleFactory(headline=f"Hidden {trait}", **{trait: True})
    ArticleFactory(headline="Hidden draft")

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert shown.headline in html
    # A retraction is announced under the corrections, never listed as a story.
    html = html.replace(
        "<strong>Retraction</strong>: "
        f'<a href="{retracted.get_absolute_url()}#retraction">Hidden retracted</a>',
        "",
    )
    assert "Hidden" not in html


def test_article_page_shows_its_parts(client):
    article = _rich_article()
    response = client.get(article.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    assert article.headline in html
    assert "Originally published by" in html
    assert f'<link rel="canonical" href="{article.original_url}">' in html
    assert "Corrections and updates" in html
    assert "Your email address will not be published" in html
    assert "between 67 and 70 killed, per 2 sources" in html
    assert "You may also like" in html
    assert "Read also" in html


@pytest.mark.parametrize("size", [1, 6])
def test_article_page_query_count_is_fixed(client, rf, django_assert_num_queries, size):
    article = _rich_article(size)
    # Building the page's read model: the row; the article and its 8 prefetches
    # (authors, topics, quotes, corrections, links, incidents, incident actors,
    # recommendations); figure claims; related ids, related articles with their
    # authors and topics; the ids it refers to (3); storing it (a savepoint,
    # the page, the rows it refers to, its tags, the savepoint's release).
    with django_assert_num_queries(24):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    # From the stored read model: one query, the row with the stored page, what
    # is visible and the state of the approved comments stored with it.
    request = rf.get(article.get_absolute_url())
    with django_assert_num_queries(1):
        row, page = article_with_page(slug=article.slug, request=request)
    assert "Read also" in page.content
    assert page.html().count('class="comment"') == size
    # A cache miss (the cache emptied): the same one, whatever the page shows.
    cache.clear()
    with django_assert_num_queries(1):
        response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200 and "Read also" in html
    assert html.count('class="comment"') == size


@pytest.mark.parametrize("size", [1, 25])
def test_home_query_count_is_fixed(
    client, django_assert_num_queries, settings, editor, size
):
    settings.NEWSDESK_CACHE_BYPASS_PARAM = "fresh"
    shared = TopicFactory()
    # Past the latest stories, so that the topic sections have stories too.
    for _ in range(frontpage.LATEST_COUNT + size):
        article = ArticleFactory(
            published=True, authors=[PersonFactory()], topics=[shared, TopicFactory()]
        )
        CorrectionFactory(article=article)
        IncidentFactory(in_focus=True)
    retracted = ArticleFactory(published=True)
    services.article_retract(article=retracted, user=editor, note="Wrong.")
    # Built: the topics most used; what the page shows (latest, section
    # links, corrections on published and, kept, on retracted articles,
    # retractions, incidents in focus); then those rows loaded (latest +
    # authors, topics; section articles; corrections; retractions; incidents
    # with their places).
    with django_assert_num_queries(14):
        assert client.get("/").status_code == 200
    # Rendered again past the stored answer: only what the page shows is
    # read; its rendering is stored under those rows.
    with django_assert_num_queries(5):
        assert client.get("/?fresh=1").status_code == 200


def test_related_articles_exclude_itself_and_unpublished(client):
    topic = TopicFactory()
    article = ArticleFactory(published=True, topics=[topic])
    sibling = ArticleFactory(published=True, topics=[topic], headline="Sibling piece")
    ArticleFactory(topics=[topic], headline="Draft sibling")
    ArticleFactory(scheduled=True, topics=[topic], headline="Scheduled sibling")

    html = client.get(article.get_absolute_url()).content.decode()
    related = html.split("You may also like", 1)[1].split("Comments", 1)[0]

    assert sibling.headline in related
    assert "Draft sibling" not in related and "Scheduled sibling" not in related
    assert article.headline not in related


def test_related_articles_rank_shared_incidents_then_topics_then_source(client):
    topic, source = TopicFactory(), SourceFactory()
    article = ArticleFactory(published=True, topics=[topic], source=source)
    incident = IncidentFactory()
    incident.articles.add(article)
    hour = datetime.timedelta(hours=1)
    now = timezone.now()
    same_source = ArticleFactory(
        published=True, source=source, headline="Same outlet", publish_at=now - hour
    )
    same_topic = ArticleFactory(
        published=True,
        topics=[topic],
        headline="Same topic",
        publish_at=now - 2 * hour,
    )
    same_incident = ArticleFactory(
        published=True, headline="Same incident", publish_at=now - 3 * hour
    )
    incident.articles.add(same_incident)
    ArticleFactory(published=True, headline="Unconnected piece")

    html = client.get(article.get_absolute_url()).content.decode()
    related = html.split("You may also like", 1)[1].split("Comments", 1)[0]

    positions = [
        related.index(a.headline) for a in (same_incident, same_topic, same_source)
    ]
    assert positions == sorted(positions)
    assert "Unconnected piece" not in related


def test_search_page_pages_without_counting(client):
    for n in range(25):
        ArticleFactory(published=True, headline=f"Ghwayran report {n}")

    first = client.get("/search/", {"q": "ghwayran"}).content.decode()
    second = client.get("/search/", {"q": "ghwayran", "page": "2"}).content.decode()

    assert "Results 1–20 for" in first
    assert 'href="?q=ghwayran&amp;page=2"' in first
    assert first.count('<article class="search-hit search-hit-article">') == 20
    assert second.count('<article class="search-hit search-hit-article">') == 5
    assert "Results 21–25 for" in second
    assert 'rel="next"' not in second


def test_home_topics_follow_new_articles(client):
    ArticleFactory(published=True, topics=[TopicFactory(name="Detention")])
    assert "Detention" in client.get("/").content.decode()

    ArticleFactory(published=True, topics=[TopicFactory(name="Repatriation")])

    assert "Repatriation" in client.get("/").content.decode()


@pytest.mark.parametrize("trait", ["draft", "in_review", "scheduled"])
def test_unpublished_article_is_404_for_readers(client, trait):
    article = ArticleFactory(**({} if trait == "draft" else {trait: True}))
    response = client.get(article.get_absolute_url())
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_retracted_article_answers_410_with_note(client):
    article = ArticleFactory(retracted=True, retraction_note="The claim was false.")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 410
    assert "The claim was false." in response.content.decode()


def test_changed_slug_redirects_permanently(client, editor):
    article = ArticleFactory(published=True, slug="old-slug")
    old_url = article.get_absolute_url()
    services.article_update(
        article=article,
        user=editor,
        data={"slug": "new-slug"},
        expected_version=article.version,
    )

    response = client.get(old_url)

    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
    assert "new-slug" in response["Location"]


def test_redirect_to_a_retracted_article_is_not_followed(client):
    article = ArticleFactory(retracted=True, slug="gone")
    ArticleRedirect.objects.create(
        article=article, old_path="/articles/2020/01/was-here/"
    )
    assert client.get("/articles/2020/01/was-here/").status_code == 404


def test_wrong_date_in_url_redirects_to_canonical(client):
    article = ArticleFactory(published=True)
    response = client.get(f"/articles/1999/01/{article.slug}/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_anonymous_pages_are_cacheable_and_answer_304(client):
    article = ArticleFactory(published=True)
    response = client.get(article.get_absolute_url())

    assert "public" in response["Cache-Control"]
    assert response.has_header("ETag") and response.has_header("Last-Modified")
    assert not response.cookies  # no session or CSRF cookie on cached pages

    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_etag_changes_when_content_changes(client):
    article = ArticleFactory(published=True)
    etag = client.get("/")["ETag"]
    article.headline = "A new headline"
    article.save()
    assert client.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_signed_in_pages_are_private(editor_client):
    ArticleFactory(published=True)
    response = editor_client.get("/")
    assert "private" in response["Cache-Control"]
    assert not response.has_header("ETag")


def test_topic_person_and_source_pages_list_only_published(client):
    topic, person, source = TopicFactory(), PersonFactory(), SourceFactory()
    shown = ArticleFactory(
        published=True, topics=[topic], authors=[person], source=source
    )
    hidden = ArticleFactory(topics=[topic], authors=[person], source=source)
    QuoteFactory(article=shown, person=person, text="Shown words")
    QuoteFactory(article=hidden, person=person, text="Hidden words")

    for url in (
        topic.get_absolute_url(),
        person.get_absolute_url(),
        source.get_absolute_url(),
    ):
        html = client.get(url).content.decode()
        assert shown.headline in html
        assert hidden.headline not in html
    person_html = client.get(person.get_absolute_url()).content.decode()
    assert "Shown words" in person_html and "Hidden words" not in person_html


def test_unknown_url_is_a_proper_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_search_page_shows_highlighted_published_results(client):
    ArticleFactory(published=True, headline="Ghwayran prison", body="Ghwayran <b>x</b>")
    ArticleFactory(headline="Ghwayran draft")
    response = client.get("/search/", {"q": "ghwayran"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'Articles <span class="count">1</span>' in html
    assert "<mark>Ghwayran</mark>" in html
    assert "Ghwayran draft" not in html


def test_search_page_rejects_overlong_query(client):
    response = client.get("/search/", {"q": "x" * 500})
    assert response.status_code == 400


def test_robots_txt_points_to_sitemaps(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_figures_contradiction_is_marked(client):
    article = ArticleFactory(published=True)
    incident = IncidentFactory()
    incident.articles.add(article)
    FigureFactory(incident=incident, metric=Metric.ESCAPED, low=10, high=20)
    FigureFactory(incident=incident, metric=Metric.ESCAPED, low=30, high=40)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "between 10 and 40 escaped, per 2 sources" in html
    assert "the claims contradict each other" in html


def test_updated_date_is_shown(client):
    article = ArticleFactory(
        published=True,
        substantive_update_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    assert "Updated <time" in client.get(article.get_absolute_url()).content.decode()


def test_translation_notice_names_the_original_language(client):
    article = ArticleFactory(published=True, language="en", original_language="it")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "This article is a translation" in html
    assert "Italian" in html


def test_lead_image_has_responsive_renditions(client, settings, tmp_path):
    from tests.factories import ImageFactory

    settings.MEDIA_ROOT = tmp_path
    image = ImageFactory(alt_text="Smoke above the prison walls", credit="Hawar")
    article = ArticleFactory(published=True, lead_image=image)

    html = client.get(article.get_absolute_url()).content.decode()

    assert 'alt="Smoke above the prison walls"' in html
    assert 'type="image/webp"' in html and ".webp 480w" in html and ".webp 960w" in html
    assert ".jpg 1440w" in html
    assert 'width="1440" height="810"' in html
    assert "Credit: Hawar" in html


@pytest.mark.parametrize("size", [1, 25])
def test_listing_pages_query_counts_are_fixed(
    client, django_assert_num_queries, settings, size
):
    settings.NEWSDESK_CACHE_BYPASS_PARAM = "fresh"
    topic, person, source = TopicFactory(), PersonFactory(), SourceFactory()
    for _ in range(size):
        article = ArticleFactory(
            published=True,
            headline="Prison report",
            topics=[topic, TopicFactory()],
            authors=[person, PersonFactory()],
            source=source,
        )
        QuoteFactory(article=article, person=person)
    # object, page of rows (no count), then the rows without a stored teaser
    # with their authors and topics (a person's page: + the rows of its
    # quotes, then those quotes with their articles); with the rendering
    # stored, object and page of rows only (+ the quotes' rows).
    for url, cold, warm in (
        (topic.get_absolute_url(), 5, 2),
        (source.get_absolute_url(), 5, 2),
        (person.get_absolute_url(), 7, 3),
    ):
        cache.clear()
        with django_assert_num_queries(cold):
            assert client.get(url).status_code == 200
        # Rendered again, past the stored answer (the bypass parameter).
        with django_assert_num_queries(warm):
            assert client.get(f"{url}?fresh=1").status_code == 200
    # The search page's budget: tests/newsdesk/test_site_search.py.


def test_related_articles_of_an_incident_and_source_come_from_their_links():
    """No query walks the published-articles index through the whole archive."""
    require_sqlite()
    source = SourceFactory()
    article = ArticleFactory(published=True, source=source)
    incident = IncidentFactory()
    incident.articles.add(article, ArticleFactory(published=True, headline="Linked"))
    ArticleFactory(published=True, source=source, headline="Same outlet")
    page = article_for_public(slug=article.slug)

    with sqlite_plans() as plans:
        related = article_related(article=page)

    assert {a.headline for a in related} == {"Linked", "Same outlet"}
    assert not [step for _, steps in plans for step in steps if "(status=?" in step]


def test_the_newest_retractions_come_from_their_index_not_a_sort():
    """Sorting every retracted row read each one's body (5 ms at 100,000 articles)."""
    require_sqlite()
    ArticleFactory(retracted=True)
    with sqlite_plans() as plans:
        shown = corrections_and_retractions(5)
    assert len(shown) == 1
    retraction_plans = [
        steps
        for sql, steps in plans
        if sql.startswith('SELECT "newsdesk_article"') and "retracted_at" in sql
    ]
    assert retraction_plans
    assert all("article_retracted_idx" in " ".join(s) for s in retraction_plans)
    assert not [s for steps in retraction_plans for s in steps if "TEMP B-TREE" in s]


def test_the_home_page_and_corrections_feed_read_corrections_apart(client, settings):
    """One query for corrections on published *or* retracted articles made
    PostgreSQL hash every published article's id first (100 ms at 100,000)."""
    settings.NEWSDESK_CACHE_BYPASS_PARAM = "fresh"
    CorrectionFactory(article=ArticleFactory(published=True))
    for url in ("/?fresh=1", reverse("newsdesk:feed_corrections")):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        # The newest corrections (rows picked by key may check both at once).
        newest = [
            q["sql"]
            for q in queries
            if q["sql"].startswith('SELECT "newsdesk_correction"')
            and '"newsdesk_correction"."id" IN (' not in q["sql"]
        ]
        assert newest, url
        assert not [sql for sql in newest if ") OR EXISTS(" in sql], url
