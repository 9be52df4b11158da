"""The front page: a lead story, the latest, sections by topic, latest corrections.

Every part is read with a fixed number of queries over a window of the newest
published articles, so the page costs the same at any archive size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from newsdesk.models import Article, Topic
from newsdesk.retractions import corrections_and_retractions

LATEST_COUNT = 8
# The lead is the newest story with a lead image among the newest few.
LEAD_WINDOW = 3
SECTION_COUNT = 4
SECTION_SIZE = 3
SECTION_WINDOW = 300
CORRECTIONS_COUNT = 5
# Lists show headlines, never bodies: leave the largest columns in the database.
LIST_DEFERRED = ("body", "body_html")
SECTION_FIELDS = ("id", "slug", "headline", "status", "publish_at", "created_at")


@dataclass
class TopicSection:
    topic: Topic
    articles: list[Article] = field(default_factory=list)


def _lead(latest: list[Article]) -> Article | None:
    for article in latest[:LEAD_WINDOW]:
        if article.lead_image:
            return article
    return latest[0] if latest else None


def topic_sections(
    topics: list[Topic], *, shown: Collection[int] = ()
) -> list[TopicSection]:
    """The newest few articles of each topic not `shown` already, each story in
    one section only; two queries."""
    if not topics:
        return []
    recent = (
        Article.objects.published()
        .order_by("-publish_at", "-id")
        .values("pk")[:SECTION_WINDOW]
    )
    links = (
        Article.topics.through.objects.filter(
            topic_id__in=[t.pk for t in topics], article_id__in=recent
        )
        .order_by("-article__publish_at", "-article_id")
        .values_list("topic_id", "article_id")
    )
    newest: dict[int, list[int]] = defaultdict(list)
    for topic_id, article_id in links:
        if article_id not in shown:
            newest[topic_id].append(article_id)
    # A story tagged with several topics shows once, in the first section it
    # fits (topics come most in the news first); later sections take the next.
    taken: set[int] = set()
    chosen: dict[int, list[int]] = {}
    for topic in topics:
        picks = [pk for pk in newest[topic.pk] if pk not in taken][:SECTION_SIZE]
        taken.update(picks)
        chosen[topic.pk] = picks
    ids = taken
    if not ids:
        return []
    # A section shows headlines and dates only.
    by_id = {
        a.pk: a
        for a in Article.objects.published_rows()
        .only(*SECTION_FIELDS)
        .filter(pk__in=ids)
    }
    sections = [
        TopicSection(t, [by_id[pk] for pk in chosen[t.pk] if pk in by_id])
        for t in topics
    ]
    return [section for section in sections if section.articles]


def front_page(topics: list[Topic]) -> dict:
    """Template context of the front page, given the topics most in the news."""
    latest = list(
        Article.objects.published()
        .with_public_associations()
        .defer(*LIST_DEFERRED)[:LATEST_COUNT]
    )
    lead = _lead(latest)
    return {
        "lead": lead,
        "latest": [a for a in latest if a is not lead],
        "sections": topic_sections(
            topics[:SECTION_COUNT], shown={a.pk for a in latest}
        ),
        "topics": topics,
        "corrections": corrections_and_retractions(CORRECTIONS_COUNT),
    }
