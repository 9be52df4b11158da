"""The article change form reads a fixed number of queries, however many revisions
and review notes the article has: its history is kept beside it, never walked."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from newsdesk import review
from newsdesk.models import ArticleRevision
from newsdesk.revisions import services as revisions
from tests.factories import ArticleFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _revise(article, editor, rounds):
    """`rounds` staged edits, each submitted, sent back, resubmitted and published."""
    for i in range(rounds):
        revisions.article_save_pending(
            article=article, snapshot={"headline": f"Take {i}"}, user=editor
        )
        review.article_submit_changes(article=article, user=editor)
        review.article_request_pending_changes(
            article=article, user=editor, comment=f"Round {i}: source?"
        )
        revisions.article_save_pending(
            article=article, snapshot={"standfirst": f"Round {i}."}, user=editor
        )
        review.article_submit_changes(article=article, user=editor)
        review.article_approve_changes(article=article, user=editor)


def _queries(client, article) -> int:
    url = reverse("admin:newsdesk_article_change", args=[article.pk])
    client.get(url)  # sessions, content types and caches read once
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("pending", [False, True], ids=["live", "with pending"])
def test_change_form_queries_do_not_grow_with_revisions(editor_client, editor, pending):
    author = PersonFactory()
    few, many = (
        ArticleFactory(published=True, authors=[author], headline=f"Story {n}")
        for n in range(2)
    )
    _revise(few, editor, 1)
    _revise(many, editor, 8)
    if pending:
        for article in (few, many):
            revisions.article_save_pending(
                article=article, snapshot={"body": "Pending body."}, user=editor
            )
            review.article_submit_changes(article=article, user=editor)
    assert ArticleRevision.objects.filter(article=many).count() > 4 * (
        ArticleRevision.objects.filter(article=few).count()
    )
    assert _queries(editor_client, many) == _queries(editor_client, few)


def test_a_live_articles_change_form_reads_each_thing_once(editor_client, editor):
    """The row, its pending changes and its topics are read once for the whole
    page (banner, form, autosave marker), not once per part that shows them."""
    article = ArticleFactory(published=True, authors=[PersonFactory()])
    _revise(article, editor, 1)
    # Session, user, their permissions (two), the row, pending changes, topics,
    # byline, quotes, links, incidents, review notes (open requests, latest
    # answer), corrections and figures cited; the boxes show the byline, source
    # and topics as read with them.
    assert _queries(editor_client, article) <= 14


@pytest.mark.parametrize("published", [False, True], ids=["draft", "live"])
def test_change_form_queries_do_not_grow_with_rows(editor_client, published):
    """Each row's autocomplete box names its chosen person from one read for
    all the rows, not a query per row."""
    from tests.factories import QuoteFactory

    people = [PersonFactory() for _ in range(4)]
    one = ArticleFactory(published=published, authors=people[:1], headline="One")
    many = ArticleFactory(published=published, authors=people, headline="Many")
    QuoteFactory(article=one, person=people[0], text="Alone.", position=0)
    for position, person in enumerate(people):
        QuoteFactory(
            article=many, person=person, text=f"Q{position}.", position=position
        )
    assert _queries(editor_client, many) == _queries(editor_client, one)
