"""Articles and what hangs off them: bylines, topics, quotes, corrections, comments, links."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from bench.generator.words import (
    COMMENT_BODIES,
    DISTINCT_BODIES,
    DISTINCT_STANDFIRSTS,
    FIRST_NAMES,
    QUOTES,
    ROLES,
    SENTENCES,
    make_body,
    make_headline,
)


class ArticleRows:
    """Articles in every state with their relations; mixed into `Generator`."""

    def _plan_articles(self) -> None:
        """Decide each article's state and primary key before any row is written."""
        from newsdesk.models import Article, ArticleStatus

        extra = max(1, self.published // 100)
        plan = (
            [ArticleStatus.PUBLISHED] * self.published
            + ["draft"] * (2 * extra)
            + ["in_review"] * extra
            + ["scheduled"] * extra
            + ["retracted"] * max(1, extra // 2)
        )
        self.status_counts = {
            "published": self.published,
            "draft": 2 * extra,
            "in_review": extra,
            "scheduled": extra,
            "retracted": max(1, extra // 2),
        }
        self.plan = plan
        self.article_start = self._next_id(Article)
        self.article_end = self.article_start + len(plan)

    def _bylines(self) -> None:
        from newsdesk.models import ArticleAuthor

        rng, people = self.rng, self.person_ids

        def rows() -> Iterator[ArticleAuthor]:
            for pk in range(self.article_start, self.article_end):
                for position, person in enumerate(
                    rng.sample(people, rng.randint(1, 3))
                ):
                    yield ArticleAuthor(
                        article_id=pk, person_id=person, position=position
                    )

        self._write(ArticleAuthor, rows())

    def _articles(self) -> None:
        from django.utils.text import slugify

        from newsdesk.models import Article, ArticleStatus
        from newsdesk.rendering import render_markdown

        rng = self.rng
        bodies = [make_body(rng) for _ in range(DISTINCT_BODIES)]
        bodies_html = [render_markdown(body) for body in bodies]
        standfirsts = [
            " ".join(rng.sample(SENTENCES, 2)) for _ in range(DISTINCT_STANDFIRSTS)
        ]
        plan, start = self.plan, self.article_start
        span = datetime.timedelta(days=3650)
        oldest = self.now - span
        step = span / (self.published + 1)
        self.draft_ids: list[int] = []

        def rows() -> Iterator[Article]:
            published_index = 0
            for offset, kind in enumerate(plan):
                pk = start + offset
                body_index = pk % DISTINCT_BODIES
                fields: dict[str, Any] = {}
                if kind == ArticleStatus.PUBLISHED:
                    published_index += 1
                    moment = oldest + step * published_index
                    fields.update(
                        status=ArticleStatus.PUBLISHED,
                        publish_at=moment,
                        first_published_at=moment,
                    )
                    if rng.random() < 0.05:
                        fields["substantive_update_at"] = moment + datetime.timedelta(
                            hours=6
                        )
                    self.published_ids.append(pk)
                elif kind == "scheduled":
                    fields.update(
                        status=ArticleStatus.PUBLISHED,
                        publish_at=self.now
                        + datetime.timedelta(days=rng.randint(1, 30)),
                    )
                elif kind == "retracted":
                    moment = oldest + span * rng.random()
                    fields.update(
                        status=ArticleStatus.RETRACTED,
                        publish_at=moment,
                        first_published_at=moment,
                        retracted_at=moment + datetime.timedelta(days=2),
                        retraction_note="The central claim could not be verified.",
                    )
                else:
                    fields["status"] = kind
                    self.draft_ids.append(pk)
                created = fields.get("publish_at") or self.now - datetime.timedelta(
                    hours=rng.randint(1, 2000)
                )
                created = min(created, self.now)
                headline = make_headline(rng)
                source_id = rng.choice(self.source_ids) if rng.random() < 0.7 else None
                translated = rng.random() < 0.08
                slug = f"{slugify(headline)[:180]}-{pk}"
                yield Article(
                    pk=pk,
                    headline=headline,
                    slug=slug,
                    standfirst=standfirsts[pk % DISTINCT_STANDFIRSTS],
                    body=bodies[body_index],
                    body_html=bodies_html[body_index],
                    language="en",
                    original_language="it" if translated else "",
                    source_id=source_id,
                    original_url=(
                        f"https://www.{self.source_domains[source_id]}/{pk}/"
                        if source_id
                        else ""
                    ),
                    version=1,
                    created_by_id=self.user_id,
                    updated_by_id=self.user_id,
                    created_at=created,
                    updated_at=created,
                    **fields,
                )

        self._write(Article, rows())

    def _article_relations(self) -> None:
        from newsdesk.models import (
            Article,
            Comment,
            CommentStatus,
            Correction,
            CorrectionKind,
            Quote,
            RelatedLink,
        )

        rng = self.rng
        article_ids = range(self.article_start, self.article_end)
        people, topics = self.person_ids, self.topic_ids

        through = Article.topics.through

        def article_topics() -> Iterator[Any]:
            for pk in article_ids:
                for topic in rng.sample(topics, rng.randint(1, 3)):
                    yield through(article_id=pk, topic_id=topic)

        self._write(through, article_topics(), label="newsdesk.Article_topics")

        def quotes() -> Iterator[Quote]:
            for pk in article_ids:
                if rng.random() < 0.5:
                    for position in range(rng.randint(1, 2)):
                        yield Quote(
                            article_id=pk,
                            person_id=rng.choice(people),
                            text=rng.choice(QUOTES),
                            attribution=rng.choice(ROLES),
                            position=position,
                        )

        self._write(Quote, quotes())

        published = self.published_ids

        def corrections() -> Iterator[Correction]:
            kinds = [k for k, _ in CorrectionKind.choices]
            for pk in published:
                if rng.random() < 0.03:
                    yield Correction(
                        article_id=pk,
                        kind=rng.choice(kinds),
                        note="An earlier version misstated the number of detainees.",
                        published_at=self.now
                        - datetime.timedelta(minutes=rng.randint(1, 10**6)),
                        created_by_id=self.user_id,
                    )

        self._write(Correction, corrections())

        def comments() -> Iterator[Comment]:
            statuses = [CommentStatus.APPROVED] * 6 + [
                CommentStatus.PENDING,
                CommentStatus.SPAM,
                CommentStatus.REMOVED,
            ]
            for pk in published:
                if rng.random() < 0.3:
                    for _ in range(rng.randint(1, 4)):
                        name = rng.choice(FIRST_NAMES)
                        yield Comment(
                            article_id=pk,
                            name=name,
                            email=f"{name.lower()}{pk}@example.org",
                            body=rng.choice(COMMENT_BODIES),
                            status=rng.choice(statuses),
                        )

        self._write(Comment, comments())

        def related() -> Iterator[RelatedLink]:
            for index, pk in enumerate(published):
                if index and rng.random() < 0.2:
                    yield RelatedLink(
                        article_id=pk, target_id=published[rng.randrange(index)]
                    )

        self._write(RelatedLink, related())
