"""The front page: a lead story, the latest, sections by topic, latest corrections.

Every request reads what the page shows — keys and versions only, through
`published()` and the other gates — in a fixed number of light queries over
a window of the newest published articles, so the page costs the same at any
archive size. The rendering of those rows is stored under them
(`newsdesk.http.readmodel`): only a change to what the page shows builds it
again, with the rows loaded once more through the gates.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string

from newsdesk.extensions import home_context
from newsdesk.http import tags as cache_tags
from newsdesk.http.readmodel import stored_rendering
from newsdesk.http.storage import cached_value
from newsdesk.models import Article, Correction, Topic
from newsdesk.prepared import prepared_rows
from newsdesk.retractions import announced_at

LATEST_COUNT = 8
# The lead is the newest story with a lead image among the newest few.
LEAD_WINDOW = 3
SECTION_COUNT = 4
SECTION_SIZE = 3
SECTION_WINDOW = 300
CORRECTIONS_COUNT = 5
TOPIC_COUNT = 12
TOPIC_WINDOW = 1000
TOPICS_CACHE_SECONDS = 300
# Lists show headlines, never bodies: leave the largest columns in the database.
LIST_DEFERRED = ("body", "body_html")
SECTION_FIELDS = ("id", "slug", "headline", "status", "publish_at", "created_at")


@dataclass
class TopicSection:
    topic: Topic
    articles: list[Article] = field(default_factory=list)


@dataclass(frozen=True)
class FrontPageRows:
    """What the front page shows, in order: keys and versions, never content."""

    latest: tuple[tuple[int, Any, bool], ...]  # article, updated_at, has an image
    topics: tuple[tuple[int, Any], ...]  # topic, updated_at (most used first)
    sections: tuple[tuple[int, tuple[int, ...]], ...]  # topic, its articles
    section_versions: tuple[tuple[int, Any], ...]  # article, updated_at
    corrections: tuple[tuple[str, int, Any], ...]  # "c"/"r", key, version
    parts: tuple  # each `home_context` part's rows


def home_topics() -> list[Topic]:
    """The topics most used by the latest published articles, cached a while.

    Counting over a window of recent articles keeps the cost fixed however
    large the archive grows, and favours what is in the news now.
    """

    def most_used() -> list[Topic]:
        recent = (
            Article.objects.published()
            .order_by("-publish_at", "-id")
            .values("pk")[:TOPIC_WINDOW]
        )
        return list(
            Topic.objects.filter(articles__in=recent)
            .annotate(article_count=Count("articles"))
            .order_by("-article_count", "name")[:TOPIC_COUNT]
        )

    return cached_value(
        "home-topics",
        most_used,
        tags=(cache_tags.LIST_ARTICLES, "list:topics"),
        timeout=TOPICS_CACHE_SECONDS,
    )


# What the page shows, keys and versions only (`newsdesk.prepared`).


def _latest(moment: datetime.datetime) -> QuerySet:
    return (
        Article.objects.published(moment)
        .order_by("-publish_at", "-id")
        .values_list("pk", "updated_at", "lead_image_id")[:LATEST_COUNT]
    )


def _section_links(moment: datetime.datetime, topic_ids: tuple[int, ...]) -> QuerySet:
    recent = (
        Article.objects.published(moment)
        .order_by("-publish_at", "-id")
        .values("pk")[:SECTION_WINDOW]
    )
    return (
        Article.topics.through.objects.filter(
            topic_id__in=topic_ids, article_id__in=recent
        )
        .order_by("-article__publish_at", "-article_id")
        .values_list("topic_id", "article_id", "article__updated_at")
    )


def _public_corrections(moment: datetime.datetime, limit: int) -> QuerySet:
    return _correction_values(Correction.objects.public(moment), limit)


def _on_retracted_corrections(moment: datetime.datetime, limit: int) -> QuerySet:
    return _correction_values(Correction.objects.on_retracted(), limit)


def _correction_values(queryset: QuerySet, limit: int) -> QuerySet:
    return queryset.order_by("-published_at", "-id").values_list(
        "pk", "published_at", "kind", "article__updated_at"
    )[:limit]


def _corrections_on_retracted(limit: int) -> list[tuple]:
    """The newest corrections on retracted articles, kept until a correction
    changes or an article with corrections is retracted (`feed:corrections`).

    Read apart from the others (`CorrectionQuerySet.announced`), and kept:
    finding them walks every retracted article. A kept row that is no longer
    public is left out when the page is built (`_corrections`).
    """
    return cached_value(
        f"home-corrections-on-retracted:{limit}",
        lambda: prepared_rows(
            "home-corrections-on-retracted", _on_retracted_corrections, limit
        ),
        tags=(cache_tags.FEED_CORRECTIONS,),
        timeout=TOPICS_CACHE_SECONDS,
    )


def _announced_retractions(moment: datetime.datetime, limit: int) -> QuerySet:
    return (
        Article.objects.retracted_after_publishing()
        .order_by("-retracted_at", "-id")
        .values_list("pk", "retracted_at", "updated_at")[:limit]
    )


def _lead_index(latest: tuple[tuple[int, Any, bool], ...]) -> int | None:
    for index, (_, _, has_image) in enumerate(latest[:LEAD_WINDOW]):
        if has_image:
            return index
    return 0 if latest else None


def section_picks(
    topics: list[Topic], *, shown: Collection[int] = ()
) -> tuple[dict[int, list[int]], dict[int, Any]]:
    """The newest few articles of each topic not `shown` already, each story in
    one section only, and their versions; one query."""
    if not topics:
        return {}, {}
    links = prepared_rows("home-sections", _section_links, tuple(t.pk for t in topics))
    newest: dict[int, list[int]] = defaultdict(list)
    versions: dict[int, Any] = {}
    for topic_id, article_id, updated_at in links:
        if article_id not in shown:
            newest[topic_id].append(article_id)
            versions[article_id] = updated_at
    # A story tagged with several topics shows once, in the first section it
    # fits (topics come most in the news first); later sections take the next.
    taken: set[int] = set()
    chosen: dict[int, list[int]] = {}
    for topic in topics:
        picks = [pk for pk in newest[topic.pk] if pk not in taken][:SECTION_SIZE]
        taken.update(picks)
        if picks:
            chosen[topic.pk] = picks
    return chosen, {pk: versions[pk] for pk in taken}


def _correction_rows(limit: int) -> tuple[tuple[str, int, Any], ...]:
    """The newest corrections and retractions readers were shown, newest first."""
    corrections = [
        (published_at, pk, ("c", pk, (published_at, kind, updated_at)))
        for pk, published_at, kind, updated_at in [
            *prepared_rows("home-corrections", _public_corrections, limit),
            *_corrections_on_retracted(limit),
        ]
    ]
    retractions = [
        (retracted_at, pk, ("r", pk, (retracted_at, updated_at)))
        for pk, retracted_at, updated_at in prepared_rows(
            "home-retractions", _announced_retractions, limit
        )
    ]
    entries = sorted([*corrections, *retractions], key=lambda e: e[:2], reverse=True)
    return tuple(entry for _, _, entry in entries[:limit])


def front_page_rows(topics: list[Topic]) -> FrontPageRows:
    """What the front page shows now, given the topics most in the news: five
    light queries."""
    latest = tuple(
        (pk, updated_at, lead_image_id is not None)
        for pk, updated_at, lead_image_id in prepared_rows("home-latest", _latest)
    )
    chosen, versions = section_picks(
        topics[:SECTION_COUNT], shown={row[0] for row in latest}
    )
    return FrontPageRows(
        latest=latest,
        topics=tuple((t.pk, t.updated_at) for t in topics),
        sections=tuple((pk, tuple(ids)) for pk, ids in chosen.items()),
        section_versions=tuple(sorted(versions.items())),
        corrections=_correction_rows(CORRECTIONS_COUNT),
        parts=tuple(part.rows() for part in home_context),
    )


def _in_order(rows: dict[int, Any], ids) -> list:
    return [rows[pk] for pk in ids if pk in rows]


def front_page(rows: FrontPageRows, topics: list[Topic]) -> tuple[dict, bool]:
    """Template context of the front page showing `rows` (`topics` are the rows'
    topics), loaded again through the gates, and whether exactly those rows
    were found."""
    latest_ids = [row[0] for row in rows.latest]
    latest = _in_order(
        {
            a.pk: a
            for a in Article.objects.published_rows()
            .filter(pk__in=latest_ids)
            .with_public_associations()
            .defer(*LIST_DEFERRED)
        },
        latest_ids,
    )
    lead_index = _lead_index(rows.latest)
    lead = latest[lead_index] if lead_index is not None and latest else None
    # Loaded before the rendering began: named on it here.
    cache_tags.declare(*(tag for t in topics for tag in cache_tags.row_tags(t)))
    section_ids = [pk for pk, _ in rows.section_versions]
    by_id = (
        {
            a.pk: a
            for a in Article.objects.published_rows()
            .only(*SECTION_FIELDS)
            .filter(pk__in=section_ids)
        }
        if section_ids
        else {}
    )
    topic_by_id = {t.pk: t for t in topics}
    sections = [
        TopicSection(topic_by_id[topic_id], _in_order(by_id, ids))
        for topic_id, ids in rows.sections
        if topic_id in topic_by_id
    ]
    corrections = _corrections(rows.corrections)
    context = {
        "lead": lead,
        "latest": [a for a in latest if a is not lead],
        "sections": [s for s in sections if s.articles],
        "topics": topics,
        "corrections": corrections,
    }
    complete = (
        len(latest) == len(rows.latest)
        and len(by_id) == len(section_ids)
        and len(sections) == len(rows.sections)
        and len(corrections) == len(rows.corrections)
    )
    for part, part_rows in zip(home_context, rows.parts, strict=True):
        part_context, part_complete = part.context(part_rows)
        context.update(part_context)
        complete = complete and part_complete
    return context, complete


def _corrections(rows: tuple[tuple[str, int, Any], ...]) -> list:
    correction_ids = [pk for kind, pk, _ in rows if kind == "c"]
    retraction_ids = [pk for kind, pk, _ in rows if kind == "r"]
    found: dict[tuple[str, int], Any] = {}
    if correction_ids:
        for correction in (
            Correction.objects.announced()
            .filter(pk__in=correction_ids)
            .select_related("article")
            .defer(*(f"article__{name}" for name in LIST_DEFERRED))
        ):
            found[("c", correction.pk)] = correction
    if retraction_ids:
        for article in (
            Article.objects.retracted_after_publishing()
            .filter(pk__in=retraction_ids)
            .defer(*LIST_DEFERRED)
        ):
            found[("r", article.pk)] = article
    entries = [found[(kind, pk)] for kind, pk, _ in rows if (kind, pk) in found]
    entries.sort(key=announced_at, reverse=True)
    return entries


def home_html(request: HttpRequest) -> str:
    """The front page's HTML: stored under what it shows, built when that changes."""
    topics = home_topics()
    rows = front_page_rows(topics)

    def build() -> tuple[str, bool]:
        context, complete = front_page(rows, topics)
        return render_to_string("newsdesk/home.html", context, request), complete

    return stored_rendering("home", (request.scheme, request.get_host(), rows), build)
