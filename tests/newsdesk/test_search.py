"""Full-text search: published only, ranked, index kept in step, safe input."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from newsdesk.models import Article
from newsdesk.search import (
    FTS_TABLE,
    MAX_QUERY_LENGTH,
    highlight,
    parse_query,
    search_articles,
    search_snippets,
)
from tests.factories import ArticleFactory, PersonFactory, SourceFactory
from tests.query_plans import require_sqlite, sqlite_plans

pytestmark = pytest.mark.django_db


def _ids(queryset) -> list[int]:
    return [a.pk for a in queryset]


def test_finds_published_articles_by_headline_standfirst_and_body():
    by_headline = ArticleFactory(published=True, headline="Ghwayran prison assault")
    by_standfirst = ArticleFactory(
        published=True, headline="Other", standfirst="The Ghwayran siege ended."
    )
    by_body = ArticleFactory(
        published=True, headline="Third", body="In Ghwayran, fighters."
    )
    ArticleFactory(published=True, headline="Unrelated", body="Nothing here.")

    found = _ids(search_articles("ghwayran"))

    assert set(found) == {by_headline.pk, by_standfirst.pk, by_body.pk}
    assert found[0] == by_headline.pk  # headline weighs most


@pytest.mark.parametrize("trait", ["draft", "in_review", "scheduled", "retracted"])
def test_never_returns_unpublished_articles(trait):
    kwargs = {} if trait == "draft" else {trait: True}
    ArticleFactory(headline="Secret Ghwayran plan", **kwargs)

    assert _ids(search_articles("ghwayran")) == []


def test_matches_author_and_source_names_and_follows_their_changes():
    person = PersonFactory(name="Emmanuel Karagiannis")
    source = SourceFactory(name="Hawar Agency")
    article = ArticleFactory(published=True, authors=[person], source=source)

    assert _ids(search_articles("karagiannis")) == [article.pk]
    assert _ids(search_articles("hawar")) == [article.pk]

    person.name = "Emmanouil Karayannis"
    person.save()
    source.name = "North Press"
    source.save()

    assert _ids(search_articles("karagiannis")) == []
    assert _ids(search_articles("karayannis")) == [article.pk]
    assert _ids(search_articles("hawar")) == []
    assert _ids(search_articles("north press")) == [article.pk]


def test_byline_replaced_in_bulk_is_indexed():
    from newsdesk.services import article_set_authors

    article = ArticleFactory(published=True)
    article_set_authors(
        article=article, authors=[PersonFactory(name="Zelda Quarrington")]
    )

    assert _ids(search_articles("quarrington")) == [article.pk]
    article_set_authors(article=article, authors=[])
    assert _ids(search_articles("quarrington")) == []


def test_index_follows_edits_and_deletes():
    article = ArticleFactory(published=True, headline="Hasaka attack")
    assert _ids(search_articles("hasaka")) == [article.pk]

    article.headline = "Raqqa attack"
    article.save()
    assert _ids(search_articles("hasaka")) == []
    assert _ids(search_articles("raqqa")) == [article.pk]

    Article.objects.filter(pk=article.pk).delete()
    assert _ids(search_articles("raqqa")) == []


def test_stemming_matches_word_forms():
    article = ArticleFactory(published=True, body="Inmates escaped during the attack.")
    assert _ids(search_articles("escape")) == [article.pk]


def test_annotates_rank_and_respects_a_narrowed_queryset():
    kept = ArticleFactory(published=True, headline="Prison break", language="en")
    ArticleFactory(published=True, headline="Prison break", language="it")

    narrowed = Article.objects.published().filter(language="en")
    results = list(search_articles("prison", narrowed))

    assert [a.pk for a in results] == [kept.pk]
    assert results[0].search_rank > 0


def test_web_style_operators():
    both = ArticleFactory(published=True, headline="Syria prison attack")
    only_prison = ArticleFactory(published=True, headline="Iraq prison attack")

    assert _ids(search_articles("prison -syria")) == [only_prison.pk]
    assert _ids(search_articles('"syria prison"')) == [both.pk]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'",
        "AND",
        "NOT",
        "*",
        "prison OR",
        "NEAR(a b)",
        "col:prison",
        "^x",
        "-",
        "()",
        'a"b',
    ],
)
def test_hostile_input_never_errors(query):
    ArticleFactory(published=True, headline="prison")
    list(search_articles(query))


def test_blank_query_matches_nothing():
    ArticleFactory(published=True)
    assert _ids(search_articles("   ")) == []


def test_over_long_query_is_rejected():
    with pytest.raises(ValidationError):
        search_articles("x" * (MAX_QUERY_LENGTH + 1))


def test_parse_query_strips_operator_syntax():
    assert parse_query('"islamic state" prison -syria col:x') == (
        ["islamic state", "prison", "col x"],
        ["syria"],
    )


def test_snippets_escape_everything_but_marks():
    article = ArticleFactory(
        published=True,
        standfirst="",
        body="<script>alert(1)</script> the prison <b>fell</b>",
    )
    snippet = search_snippets([article], "prison")[article.pk]

    assert "<script>" not in snippet and "<b>" not in snippet
    assert "&lt;script&gt;" in snippet
    assert "<mark>prison</mark>" in snippet


def test_highlight_centres_on_a_late_match():
    text = "word " * 200 + "Ghwayran" + " tail" * 50
    snippet = highlight(text, "ghwayran")
    assert snippet.startswith("…")
    assert "<mark>Ghwayran</mark>" in snippet
    assert len(snippet) < 400


def test_only_the_most_recent_matches_are_ranked():
    older = ArticleFactory(published=True, headline="Ghwayran ghwayran ghwayran")
    older.publish_at -= datetime.timedelta(days=10)
    older.save()
    newer = [ArticleFactory(published=True, body="Ghwayran.") for _ in range(2)]

    bounded = _ids(search_articles("ghwayran", candidates=2))
    unbounded = _ids(search_articles("ghwayran", candidates=None))

    assert sorted(bounded) == sorted(a.pk for a in newer)
    assert unbounded[0] == older.pk and len(unbounded) == 3


def _bm25_by_id(match: str) -> dict[int, float]:
    """Each matching row's rank, read from one pass over the SQLite index."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, -bm25({FTS_TABLE}, 10.0, 4.0, 1.0, 4.0, 4.0) "
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",
            [match],
        )
        return dict(cursor.fetchall())


def test_sqlite_ranks_are_bm25_of_the_newest_published_matches():
    require_sqlite()
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    texts = [
        ("Ghwayran prison attack", "Fighters stormed the Ghwayran prison."),
        ("Prison", "A prison, a prison, a prison."),
        ("Camp report", "The prison next to the camp."),
        ("Syria prison", "A prison in Syria."),
        ("Islamic State detainees", "The Islamic State prison cells."),
        ("Oldest prison story", "Prison."),
    ]
    articles = [
        ArticleFactory(published=True, headline=h, body=b, publish_at=now - n * hour)
        for n, (h, b) in enumerate(texts, start=1)
    ]
    for trait in ("draft", "in_review", "scheduled", "retracted"):
        kwargs = {} if trait == "draft" else {trait: True}
        ArticleFactory(headline="Prison prison", body="Prison.", **kwargs)
    published = {a.pk: a for a in articles}

    for query, match in (
        ("prison -syria", '"prison" NOT "syria"'),
        ('"islamic state" prison', '"islamic state" AND "prison"'),
    ):
        ranks = _bm25_by_id(match)
        matches = sorted(
            (published[pk] for pk in ranks if pk in published),
            key=lambda a: a.publish_at,
            reverse=True,
        )
        expected = sorted(
            (a.pk for a in matches[:3]),
            key=lambda pk: (-ranks[pk], -published[pk].publish_at.timestamp(), -pk),
        )
        results = list(search_articles(query, candidates=3))

        assert [a.pk for a in results] == expected
        assert [a.search_rank for a in results] == [ranks[pk] for pk in expected]


def test_sqlite_reads_the_index_once_per_search():
    """bm25() comes from one join to the index, not from a MATCH per article."""
    require_sqlite()
    ArticleFactory(published=True, headline="Prison break")

    with sqlite_plans() as plans:
        list(search_articles('prison "break" -syria'))

    ((_, steps),) = plans
    assert steps[0].startswith(f"SCAN {FTS_TABLE}")
    assert not [step for step in steps if "CORRELATED" in step]


def test_unpublished_matches_take_no_candidate_slot():
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    newest = [
        ArticleFactory(published=True, body="Ghwayran.", publish_at=now - n * hour)
        for n in (1, 2)
    ]
    ArticleFactory(published=True, body="Ghwayran.", publish_at=now - 9 * hour)
    for trait in ("draft", "in_review", "scheduled", "retracted"):
        kwargs = {} if trait == "draft" else {trait: True}
        ArticleFactory(headline="Ghwayran ghwayran", **kwargs)

    found = _ids(search_articles("ghwayran", candidates=2))

    assert sorted(found) == sorted(a.pk for a in newest)
