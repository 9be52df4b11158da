"""Reads of revisions: an article's pending changes, and the article dressed in them."""

from __future__ import annotations

from django.db.models import QuerySet

from newsdesk.extensions import article_sections, revision_parts
from newsdesk.models import (
    Article,
    ArticleAuthor,
    ArticleRevision,
    Image,
    Person,
    Quote,
    RelatedLink,
    Source,
    Topic,
)
from newsdesk.rendering import render_markdown
from newsdesk.revisions.snapshot import TEXT_FIELDS, Snapshot, article_snapshot, ref_id


def pending_revision(article: Article) -> ArticleRevision | None:
    """The article's pending changes, with who saved and submitted them."""
    if article.pk is None:
        return None
    return (
        ArticleRevision.objects.pending()
        .filter(article_id=article.pk)
        .select_related("created_by", "submitted_by", "published_by")
        .first()
    )


def changes_waiting_for_review(user) -> QuerySet:
    """Pending changes of live articles submitted for review by someone else."""
    waiting = ArticleRevision.objects.submitted()
    if getattr(user, "pk", None):
        waiting = waiting.exclude(submitted_by=user)
    return waiting


def pending_snapshot(pending: ArticleRevision, article: Article) -> Snapshot:
    """The article as publishing the pending changes now would make it."""
    from newsdesk.revisions.services import pending_view

    return pending_view(pending, article_snapshot(article))


def _cached(queryset: QuerySet, rows: list) -> QuerySet:
    # A queryset that answers with `rows` without a query, as a prefetch leaves it.
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    return queryset


def article_dressed(article: Article, snapshot: Snapshot) -> Article:
    """`article` (loaded for its page) showing `snapshot` instead of its live rows.

    Only rows readers may see are shown: "Read also" links to unpublished
    articles and unpublished incidents stay out, as on the live page.
    """
    for name in TEXT_FIELDS:
        setattr(article, name, snapshot[name])
    article.body_html = render_markdown(article.body)
    source, image = ref_id(snapshot["source"]), ref_id(snapshot["lead_image"])
    article.source = Source.objects.filter(pk=source).first() if source else None
    article.lead_image = Image.objects.filter(pk=image).first() if image else None
    people_ids = {ref_id(a) for a in snapshot["authors"]}
    people_ids |= {ref_id(q["speaker"]) for q in snapshot["quotes"] if q["speaker"]}
    people_ids |= {ref_id(link["via"]) for link in snapshot["related_links"]}
    people = Person.objects.in_bulk([pk for pk in people_ids if pk])
    cache = article._prefetched_objects_cache
    cache["article_authors"] = _cached(
        ArticleAuthor.objects.all(),
        [
            ArticleAuthor(article=article, person=people[ref_id(a)], position=i)
            for i, a in enumerate(snapshot["authors"])
            if ref_id(a) in people
        ],
    )
    topics = Topic.objects.in_bulk([ref_id(t) for t in snapshot["topics"]])
    cache["topics"] = _cached(
        Topic.objects.all(),
        [topics[ref_id(t)] for t in snapshot["topics"] if ref_id(t) in topics],
    )
    cache["quotes"] = _cached(
        Quote.objects.all(),
        [
            Quote(
                article=article,
                person=people.get(ref_id(q["speaker"])),
                text=q["text"],
                attribution=q["attribution"],
                position=i,
            )
            for i, q in enumerate(snapshot["quotes"])
        ],
    )
    targets = Article.objects.published().in_bulk(
        [link["id"] for link in snapshot["related_links"] if link["id"]]
    )
    article.public_related_links = [
        RelatedLink(
            article=article,
            target=targets.get(link["id"]),
            title=link["title"],
            url=link["url"],
            via=people.get(ref_id(link["via"])),
            position=i,
        )
        for i, link in enumerate(snapshot["related_links"])
        if link["id"] is None or link["id"] in targets
    ]
    for part in revision_parts:
        if part.key in snapshot:
            part.preview(article, snapshot[part.key])
    for section in article_sections:
        section.prepare([article])
    return article
