"""The benchmark's dataset generator and bare baselines, at a tiny size."""

import pytest
from django.urls import Resolver404, resolve

from bench.generator import BENCH_USERNAME, generate, write_scraped_files
from incidents.models import (
    Figure,
    Incident,
    IncidentStatus,
    Recommendation,
    RecommendationUpdate,
)
from newsdesk.models import (
    Article,
    ArticleAuthor,
    ArticleStatus,
    Comment,
    Correction,
    Quote,
    Source,
)

ARTICLES = 50

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]


@pytest.fixture
def archive(django_user_model):
    counts = generate(articles=ARTICLES, incidents=40, recommendations=20)
    return counts


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content[:500]
    return [row["id"] for row in response.json()["results"]]


def _mounted(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def test_generator_writes_the_archive_it_reports(archive, django_user_model):
    assert Article.objects.published().count() == ARTICLES
    assert Article.objects.scheduled().count() == 1
    assert Article.objects.with_status(ArticleStatus.DRAFT).count() == 2
    assert Article.objects.in_review().count() == 1
    assert Article.objects.retracted().count() == 1
    assert archive["newsdesk.Article"] == Article.objects.count() == ARTICLES + 5

    assert Incident.objects.count() == 40
    assert Incident.objects.published().count() == 38
    assert Incident.objects.filter(status=IncidentStatus.DRAFT).count() == 2
    assert Figure.objects.count() == archive["incidents.Figure"] == 120
    assert Recommendation.objects.count() == 20
    every_recommendation_has_history = not Recommendation.objects.filter(
        updates__isnull=True
    ).exists()
    assert every_recommendation_has_history
    assert (
        RecommendationUpdate.objects.count()
        == archive["incidents.RecommendationUpdate"]
    )

    for model, label in (
        (Source, "newsdesk.Source"),
        (ArticleAuthor, "newsdesk.ArticleAuthor"),
        (Quote, "newsdesk.Quote"),
        (Correction, "newsdesk.Correction"),
        (Comment, "newsdesk.Comment"),
    ):
        assert model.objects.count() == archive[label] > 0, label
    assert not ArticleAuthor.objects.values("article").distinct().count() < (
        Article.objects.count()
    ), "every article has a byline"
    assert django_user_model.objects.get(username=BENCH_USERNAME).is_superuser


def test_generated_rows_hold_the_model_invariants(archive):
    published = Article.objects.published()
    assert not published.filter(body_html="").exists()
    assert all(a.body_html.startswith("<") for a in published[:5])
    # Comments and corrections only hang off published articles.
    assert not Comment.objects.exclude(article__in=published).exists()
    assert not Correction.objects.exclude(article__in=published).exists()
    # Figures never cite an unpublished article.
    assert (
        not Figure.objects.exclude(article__isnull=True)
        .exclude(article__in=published)
        .exists()
    )
    for article in Article.objects.all():
        article.full_clean()


def test_generator_refuses_a_database_that_already_holds_articles(archive):
    with pytest.raises(SystemExit):
        generate(articles=5)


def test_baseline_article_list_returns_the_api_first_page(archive, client):
    for size in (20, 100):
        baseline = _ids(client.get(f"/bench/baseline/articles/?page_size={size}"))
        expected = list(
            Article.objects.published()
            .order_by("-publish_at", "-id")
            .values_list("id", flat=True)[:size]
        )
        assert baseline == expected
        if _mounted("/api/v1/articles/"):
            assert _ids(client.get(f"/api/v1/articles/?page_size={size}")) == baseline


def test_baseline_incident_list_returns_the_api_first_page(archive, client):
    baseline = _ids(client.get("/bench/baseline/incidents/?page_size=20"))
    expected = list(
        Incident.objects.published()
        .order_by("-start_date", "-id")
        .values_list("id", flat=True)[:20]
    )
    assert baseline == expected
    if _mounted("/api/v1/incidents/"):
        assert _ids(client.get("/api/v1/incidents/?page_size=20")) == baseline


def test_baseline_article_page_is_the_published_article(archive, client):
    article = Article.objects.published().order_by("-publish_at").first()
    response = client.get(f"/bench/baseline/articles/{article.slug}/")
    assert response.status_code == 200
    data = response.json()
    assert data["id"] == article.pk
    assert data["body_html"] == article.body_html
    assert [a["id"] for a in data["authors"]] == list(
        article.article_authors.order_by("position").values_list("person_id", flat=True)
    )
    assert client.get(article.get_absolute_url()).status_code == 200

    draft = Article.objects.with_status(ArticleStatus.DRAFT).first()
    assert client.get(f"/bench/baseline/articles/{draft.slug}/").status_code == 404


def test_scraped_files_are_distinct_and_shaped_like_the_seeds(tmp_path):
    paths = write_scraped_files(tmp_path, 5)
    texts = [p.read_text(encoding="utf-8") for p in paths]
    assert len(set(texts)) == 5
    for text in texts:
        assert "This article originally belongs to" in text
        assert "Leave a Reply" in text
        assert "Read Also" in text


def test_generator_fills_the_search_index_with_bylines(archive):
    search = pytest.importorskip("newsdesk.search")
    article = Article.objects.published().order_by("-publish_at").first()
    author = article.article_authors.order_by("position").first().person
    found = search.search_articles(f'"{author.name}"')
    assert article.pk in set(found.values_list("pk", flat=True))
    assert search.search_articles("prison").count() > 0
