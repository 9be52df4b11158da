"""The incidents part of an article's revisions, read for a batch at once."""

from __future__ import annotations

import pytest

from incidents.revisions import incidents_covered
from tests.factories import ArticleFactory, IncidentFactory

pytestmark = pytest.mark.django_db


def test_a_batch_snapshot_is_each_articles_own_in_one_query(
    django_assert_num_queries,
):
    covered, other, bare = ArticleFactory(), ArticleFactory(), ArticleFactory()
    zeta, alpha = (
        IncidentFactory(title="Zeta raid"),
        IncidentFactory(title="Alpha raid"),
    )
    zeta.articles.add(covered, other)
    alpha.articles.add(covered)
    articles = [covered, other, bare]

    with django_assert_num_queries(1):
        batch = incidents_covered.snapshots(articles)

    assert batch == {a.pk: incidents_covered.snapshot(a) for a in articles}
    assert [item["label"] for item in batch[covered.pk]] == ["Alpha raid", "Zeta raid"]
    assert batch[bare.pk] == []
