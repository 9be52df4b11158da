"""Retractions that explain themselves: what cited a retracted article stays, marked."""

import datetime
import json
import re

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import Figure, Metric, Recommendation
from incidents.selectors import figure_ranges
from newsdesk import services
from newsdesk.models import Article, ArticleStatus
from tests.factories import (
    ArticleFactory,
    CorrectionFactory,
    FigureFactory,
    IncidentFactory,
    PersonFactory,
    QuoteFactory,
    RecommendationFactory,
    RelatedLinkFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

NOTE = "The casualty count could not be verified."


def _retracted(editor, **fields) -> Article:
    """An article readers saw, then retracted through the service."""
    article = ArticleFactory(published=True, **fields)
    services.article_retract(article=article, user=editor, note=NOTE)
    return article


def _never_live(**fields) -> Article:
    """Retracted while still scheduled: readers never saw it."""
    now = timezone.now()
    return ArticleFactory(
        status=ArticleStatus.RETRACTED,
        publish_at=now + datetime.timedelta(days=1),
        retracted_at=now,
        retraction_note="Pulled before release.",
        **fields,
    )


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_retracted_after_publishing_is_only_rows_readers_saw(editor):
    seen = _retracted(editor)
    _never_live()
    ArticleFactory(published=True)
    ArticleFactory(scheduled=True)
    ArticleFactory()
    assert list(Article.objects.retracted_after_publishing()) == [seen]
    assert seen.was_retracted_after_publishing()


def test_incident_page_keeps_a_figure_whose_only_source_was_retracted(client, editor):
    incident = IncidentFactory(slug="hasaka")
    article = _retracted(editor, headline="Death toll report")
    FigureFactory(incident=incident, low=67, high=67, claimant="SDF")
    FigureFactory(incident=incident, low=70, high=70, claimant="SOHR")
    FigureFactory(
        incident=incident, low=500, high=500, claimant="Amaq", article=article, url=""
    )

    response = client.get(incident.get_absolute_url())

    text = _text(response)
    assert response.status_code == 200
    # The claim is still listed, named and marked, with the retraction one click away.
    assert "Amaq" in text and "Death toll report" in text
    assert "Source retracted on" in text
    assert f'href="{article.get_absolute_url()}">retraction notice</a>' in text
    # …and it is left out of the reconciled range, with the reason shown.
    assert "between 67 and 70 killed, per 2 sources" in text
    assert "1 claim left out: the only source was retracted" in text
    assert "500" not in text.split("Claims")[0]


def test_range_with_only_retracted_claims_says_so(client, editor):
    incident = IncidentFactory()
    article = _retracted(editor)
    FigureFactory(incident=incident, metric=Metric.ESCAPED, article=article, url="")

    text = _text(client.get(incident.get_absolute_url()))

    assert "No figures recorded" not in text
    assert "No range for escaped" in text
    assert "1 claim left out" in text


def test_a_figure_with_another_citation_stays_in_the_range(editor):
    incident = IncidentFactory()
    article = _retracted(editor)
    FigureFactory(incident=incident, low=80, article=article, source=SourceFactory())
    (row,) = figure_ranges(
        figures=Figure.objects.on_record()
        .filter(incident=incident)
        .select_related("article")
    )
    assert (row["claims"], row["withdrawn"], row["low"]) == (1, 0, 80)


def test_figures_of_unpublished_articles_never_appear(client):
    incident = IncidentFactory()
    for article in (
        ArticleFactory(headline="Draft source"),
        ArticleFactory(in_review=True, headline="Review source"),
        ArticleFactory(scheduled=True, headline="Scheduled source"),
        _never_live(headline="Never live source"),
    ):
        FigureFactory(incident=incident, article=article, claimant=article.headline)

    text = _text(client.get(incident.get_absolute_url()))

    assert not Figure.objects.on_record().exists()
    for word in ("Draft", "Review", "Scheduled", "Never live"):
        assert f"{word} source" not in text
    assert "No figures recorded" in text


def test_tracker_and_incident_keep_a_recommendation_made_in_a_retracted_article(
    client, editor
):
    incident = IncidentFactory()
    article = _retracted(editor, headline="Experts urge repatriation")
    rec = RecommendationFactory(
        made_in=article, incident=incident, statement="Bring the children home."
    )
    RecommendationFactory(made_in=ArticleFactory(scheduled=True), statement="Embargoed")
    RecommendationFactory(made_in=_never_live(), statement="Never said")

    tracker = _text(client.get("/recommendations/"))
    page = _text(client.get(incident.get_absolute_url()))

    for text in (tracker, page):
        assert "Bring the children home." in text
        assert "Source retracted on" in text
        assert "Embargoed" not in text and "Never said" not in text
    assert f'id="recommendation-{rec.pk}"' in tracker
    assert "No recommendations recorded" not in page
    assert list(Recommendation.objects.on_record()) == [rec]


def test_person_page_keeps_quotes_of_a_retracted_article_marked(client, editor):
    person = PersonFactory(slug="expert")
    QuoteFactory(article=_retracted(editor), person=person, text="Said on record")
    QuoteFactory(article=_never_live(), person=person, text="Never public")
    QuoteFactory(article=ArticleFactory(), person=person, text="Draft words")

    text = _text(client.get(person.get_absolute_url()))

    assert "Said on record" in text and "Source retracted on" in text
    assert "Never public" not in text and "Draft words" not in text


def test_corrections_feed_announces_retractions_and_keeps_earlier_corrections(
    client, editor
):
    article = _retracted(editor, headline="Withdrawn story")
    CorrectionFactory(article=article, note="An earlier fix.")
    _never_live(headline="Quiet story")
    CorrectionFactory(article=ArticleFactory(scheduled=True), note="Embargoed fix")

    for url in ("/feeds/corrections/rss/", "/feeds/corrections/atom/"):
        feed = feedparser.parse(client.get(url).content)
        titles = [entry.title for entry in feed.entries]
        assert "Retraction: Withdrawn story" in titles
        assert "Correction: Withdrawn story" in titles
        assert not any("Quiet story" in title for title in titles)
        retraction = feed.entries[titles.index("Retraction: Withdrawn story")]
        assert NOTE in retraction.summary
        assert retraction.link.endswith(f"{article.get_absolute_url()}#retraction")
        assert "Embargoed fix" not in client.get(url).content.decode()


def test_410_page_says_in_json_ld_what_was_retracted_and_when(client, editor):
    article = _retracted(editor, headline="Withdrawn story")
    CorrectionFactory(article=article, note="An earlier fix.")

    response = client.get(article.get_absolute_url())

    assert response.status_code == 410
    body = response.content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', body).group(1)
    )
    article.refresh_from_db()
    assert data["headline"] == "Withdrawn story"
    assert data["creativeWorkStatus"] == "Retracted"
    assert data["correction"]["text"] == NOTE
    assert data["correction"]["datePublished"] == article.retracted_at.isoformat()
    assert "An earlier fix." in body


def test_an_article_retracted_before_release_reveals_nothing(client):
    article = _never_live(headline="Quiet story")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 404
    assert "Quiet story" not in response.content.decode()


def test_claims_table_groups_digits(client):
    incident = IncidentFactory()
    FigureFactory(incident=incident, metric=Metric.DETAINED, low=12000, high=12000)
    FigureFactory(incident=incident, metric=Metric.ESCAPED, low=2000, high=3500)
    text = _text(client.get(incident.get_absolute_url()))
    assert "12,000" in text and "2,000–3,500" in text
    assert "12000" not in text


def test_incident_page_query_count_does_not_grow_with_retracted_citations(
    client, editor, django_assert_max_num_queries
):
    incident = IncidentFactory()
    FigureFactory(incident=incident, article=_retracted(editor), url="")
    client.get(incident.get_absolute_url())  # warm per-process caches
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as few:
        assert client.get(incident.get_absolute_url()).status_code == 200
    for _ in range(5):
        article = _retracted(editor)
        FigureFactory(incident=incident, article=article, url="")
        RecommendationFactory(made_in=article, incident=incident)
    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(incident.get_absolute_url()).status_code == 200


def _cited_article() -> Article:
    article = ArticleFactory(published=True, headline="Cited story")
    incident = IncidentFactory()
    FigureFactory(incident=incident, article=article, url="")
    FigureFactory(incident=incident, article=article, url="")
    FigureFactory(incident=incident, article=article, source=SourceFactory())
    RecommendationFactory(made_in=article, incident=incident)
    for _ in range(4):
        RelatedLinkFactory(article=ArticleFactory(published=True), target=article)
    return article


def test_retract_confirmation_lists_what_cites_the_article(editor_client):
    article = _cited_article()
    url = reverse("admin:newsdesk_article_workflow", args=[article.pk, "retract"])

    text = _text(editor_client.get(url))

    assert "What retracting changes" in text
    assert "<strong>3 figures</strong> cite it" in text
    assert "2 cite only this article and leave the reconciled ranges" in text
    assert "<strong>1 recommendation</strong> cites it" in text
    assert "<strong>4 “Read also” links from other articles</strong> cite it" in text
    assert "No quotes cite it." in text
    # The page only informs: nothing changed yet.
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED


def test_bulk_retract_confirmation_lists_each_articles_citations(editor_client):
    article = _cited_article()
    response = editor_client.post(
        reverse("admin:newsdesk_article_changelist"),
        {"action": "retract_selected", "_selected_action": [article.pk]},
    )
    text = _text(response)
    assert "Cited story" in text and "<strong>3 figures</strong> cite it" in text
