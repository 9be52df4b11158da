"""Reads of the editorial core: what pages, the API and feeds show of articles.

Every read starts from `Article.objects.published()`; other apps add what they
show on an article through `newsdesk.extensions.article_sections`.
"""

from __future__ import annotations

import datetime

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Value

from newsdesk.extensions import article_sections
from newsdesk.models import (
    Article,
    ArticleAuthor,
    ArticleQuerySet,
    Comment,
    Quote,
    RelatedLink,
    published_article,
    retracted_article,
)
from newsdesk.prepared import prepared_values

RELATED_COUNT = 4
RELATED_CANDIDATES = 50
# Weights of what an article shares with another in the related ranking.
RELATED_TOPIC_WEIGHT = 1
RELATED_SOURCE_WEIGHT = 0


def related_links_shown() -> QuerySet[RelatedLink]:
    """ "Read also" links readers may see: unresolved ones and those to published articles."""
    return RelatedLink.objects.filter(
        Q(target__isnull=True) | published_article(OuterRef("target"))
    )


def article_page_queryset(base: ArticleQuerySet) -> ArticleQuerySet:
    """`base` with everything an article's page shows; prevents N+1 queries."""
    return base.with_public_associations().prefetch_related(
        Prefetch("quotes", queryset=Quote.objects.select_related("person")),
        "corrections",
        Prefetch(
            "related_links",
            queryset=related_links_shown().select_related("target", "via"),
            to_attr="public_related_links",
        ),
        *(p for section in article_sections for p in section.prefetches()),
    )


# What the article page reads of the row itself; the rest comes from its read model.
ARTICLE_ROW_FIELDS = (
    "id",
    "slug",
    "headline",
    "language",
    "status",
    "publish_at",
    "created_at",
    "updated_at",
    "version",
)


def article_row_queryset(*, slug: str, moment=None) -> ArticleQuerySet:
    """The published article at `slug` (at `moment`, default now), its page's own
    fields only."""
    return Article.objects.published(moment).filter(slug=slug).only(*ARTICLE_ROW_FIELDS)


def article_for_public(*, slug: str) -> Article | None:
    """The published article at `slug`, with everything its page shows."""
    article = article_page_queryset(Article.objects.published()).filter(slug=slug)
    return _prepared(article.first())


def article_for_preview(*, pk: int) -> Article:
    """Any article by id, for staff and share-link previews, loaded like a page."""
    return _prepared(article_page_queryset(Article.objects.all()).get(pk=pk))


def _prepared(article: Article | None) -> Article | None:
    if article is not None:
        for section in article_sections:
            section.prepare([article])
    return article


def comments_queryset(*, article: Article) -> QuerySet[Comment]:
    """The approved comments shown under `article`, oldest first."""
    return (
        Comment.objects.approved()
        .filter(article=article)
        .only("id", "article_id", "name", "body", "created_at")
    )


def article_comments(*, article: Article) -> list[Comment]:
    return list(comments_queryset(article=article))


def article_related(*, article: Article) -> list[Article]:
    """Published articles sharing incidents, topics or source, never the article itself.

    Candidates are the most recent few articles of each shared thing, so the
    cost does not grow with the archive; each shared thing adds its weight
    (an incident 3, a topic 1), ties go to the newest.
    """
    # Rows found through a few links are checked row by row (see published_rows);
    # a topic has many articles, so its candidates come from the published index,
    # and a source's newest come from its own (article_source_pub_idx).
    few_others = Article.objects.published_rows().exclude(pk=article.pk)
    others = Article.objects.published().exclude(pk=article.pk)
    parts = [
        rows
        for section in article_sections
        if (rows := section.related_rows(article=article, candidates=few_others))
        is not None
    ]
    topic_ids = [t.pk for t in article.topics.all()]
    if topic_ids:
        parts.append(
            shared_link_rows(
                Article.topics.through,
                "topic_id",
                topic_ids,
                others.filter(topics__in=topic_ids),
                RELATED_TOPIC_WEIGHT,
            )
        )
    if article.source_id:
        same_source = Article.objects.filter(
            pk__in=recent_ids(others.filter(source_id=article.source_id))
        )
        parts.append(
            same_source.annotate(weight=Value(RELATED_SOURCE_WEIGHT))
            .order_by()
            .values_list("pk", "publish_at", "weight")
        )
    if not parts:
        return []
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    scores: dict[int, list] = {}
    for pk, publish_at, weight in rows:
        entry = scores.setdefault(pk, [0, publish_at, pk])
        entry[0] += weight
    ranked = sorted(scores.values(), reverse=True)[:RELATED_COUNT]
    ids = [pk for _, _, pk in ranked]
    if not ids:
        return []
    by_id = {
        a.pk: a
        for a in Article.objects.published_rows()
        .with_public_associations()
        .filter(pk__in=ids)
    }
    return [by_id[pk] for pk in ids if pk in by_id]


def recent_ids(candidates: ArticleQuerySet) -> QuerySet:
    """The ids of the newest few of `candidates`, as a subquery."""
    return candidates.order_by("-publish_at", "-id").values("pk")[:RELATED_CANDIDATES]


def shared_link_rows(
    through, column: str, ids: list[int], candidates: ArticleQuerySet, weight: int
) -> QuerySet:
    """(article_id, publish_at, weight) of link rows from `ids` to recent candidates."""
    links = through.objects.filter(
        **{f"{column}__in": ids}, article_id__in=recent_ids(candidates)
    )
    return links.annotate(weight=Value(weight)).values_list(
        "article_id", "article__publish_at", "weight"
    )


# What a person's page shows of their quotes, newest article first.
PERSON_QUOTES_COUNT = 50


def _person_quotes(
    person_id: int, moment: datetime.datetime | None = None
) -> QuerySet[Quote]:
    """Quotes of `person_id` readers may see: in published articles, and in
    articles retracted after publishing (shown marked as retracted).

    Each quote's article is checked by primary key: a person's quotes are
    few, the published articles many.
    """
    return (
        Quote.objects.filter(person_id=person_id)
        .filter(
            published_article(OuterRef("article"), moment)
            | retracted_article(OuterRef("article"))
        )
        .order_by("-article__publish_at", "position", "id")
    )


def _person_quote_values(moment: datetime.datetime, person_id: int) -> QuerySet:
    return _person_quotes(person_id, moment).values_list(
        "pk", "article_id", "article__updated_at", "article__status"
    )[:PERSON_QUOTES_COUNT]


def person_quote_rows(*, person_id: int) -> list[tuple]:
    """The person page's quotes as keys and versions: (quote, article, the
    article's `updated_at`, its status), in the order shown; by a query
    compiled once per process (`newsdesk.prepared`)."""
    return prepared_values("person-quotes", _person_quote_values, bound=(person_id,))


def person_quotes(*, person_id: int, pks: list[int]) -> list[Quote]:
    """Those of the person's quotes readers may see among `pks`, with their
    articles."""
    return list(_person_quotes(person_id).filter(pk__in=pks).select_related("article"))


def person_articles(person_id: int) -> ArticleQuerySet:
    """A person's published articles (bylined), newest first.

    Found from the person's bylines and checked by primary key: ordered by
    publish time, SQLite would walk the published articles' index for them.
    """
    return (
        Article.objects.published_rows()
        .filter(
            pk__in=ArticleAuthor.objects.filter(person_id=person_id).values(
                "article_id"
            )
        )
        .order_by("-publish_at", "-id")
    )


def _person_article_values(
    moment: datetime.datetime, count: int, person_id: int
) -> QuerySet:
    return (
        ArticleAuthor.objects.filter(person_id=person_id)
        .filter(published_article(OuterRef("article"), moment))
        .order_by("-article__publish_at", "-article_id")
        .values_list("article_id", "article__updated_at")[:count]
    )


def person_first_articles(*, person_id: int, count: int) -> list[tuple]:
    """(article, `updated_at`) of the person's newest `count` published
    articles, by a query compiled once per process: the first page's rows."""
    return prepared_values(
        "person-articles", _person_article_values, count, bound=(person_id,)
    )
