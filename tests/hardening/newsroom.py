"""A newsroom of articles in every state, with everything that hangs off them.

Whatever readers must never see carries the marker `qzleak` in each text
field and an id from a reserved range, so that a leak anywhere is a substring
(or a number) in some response. An article retracted after publishing may be
named (marker `qzgone` in headline and slug) but never read; what cited it stays
on record, marked.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils import timezone

from incidents import models as im
from newsdesk import models as nm
from tests import factories as f

LEAK = "qzleak"
PUBLIC = "qzok"
# Headline and slug of an article retracted after readers saw it: it may be
# named where what cited it is shown, its text never.
GONE = "qzgone"
# Every commenter's email carries this; emails are never shown or exported.
EMAIL = "qzmail"
# Ids of hidden rows: 7_1xx_xxx articles, 7_2xx_xxx incidents, and so on.
HIDDEN_ID_BASE = {
    "article": 7_100_000,
    "incident": 7_200_000,
    "comment": 7_300_000,
    "figure": 7_400_000,
    "recommendation": 7_500_000,
    "correction": 7_600_000,
    "quote": 7_700_000,
    "related": 7_800_000,
}
PUBLIC_ID_BASE = 1_000_000
HIDDEN_ID_RE = re.compile(r"(?<![\w.\-])7[1-8]\d{5}(?![\w.])")

ARTICLE_STATES = (
    "draft",
    "in_review",
    "published_past",
    "published_now",
    "scheduled_soon",
    "scheduled_later",
    "retracted",
    "retracted_unreleased",
)
COMMENT_STATES = tuple(nm.CommentStatus.values)
# A word every article shares, so one search matches them all.
SHARED_WORD = "ghwayran"


@dataclass
class ArticleSpec:
    state: str
    incident: str | None  # None, "published" or "draft"
    comment_states: tuple[str, ...] = ()
    figure: bool = False
    recommendation: bool = False
    correction: bool = False
    quote: bool = False
    related_to: int | None = None  # index of another article
    topic: int = 0
    source: int = 0
    author: int = 0


@dataclass
class Newsroom:
    public_articles: list[nm.Article] = field(default_factory=list)
    hidden_articles: list[nm.Article] = field(default_factory=list)
    expected_counts: dict[str, dict[int, int]] = field(default_factory=dict)
    hidden_tokens: list[str] = field(default_factory=list)


class _Ids:
    def __init__(self) -> None:
        self.counters: dict[str, int] = {}

    def next(self, kind: str, hidden: bool) -> int:
        key = f"{kind}:{hidden}"
        n = self.counters.get(key, 0) + 1
        self.counters[key] = n
        if hidden:
            return HIDDEN_ID_BASE[kind] + n
        return PUBLIC_ID_BASE + list(HIDDEN_ID_BASE).index(kind) * 10_000 + n


def _publish_at(state: str, now: datetime.datetime) -> datetime.datetime | None:
    return {
        "draft": None,
        "in_review": None,
        "published_past": now - datetime.timedelta(days=3),
        "published_now": now,
        "scheduled_soon": now + datetime.timedelta(hours=1),
        "scheduled_later": now + datetime.timedelta(days=30),
        "retracted": now - datetime.timedelta(days=5),
        # Retracted while still scheduled: never public, so never named.
        "retracted_unreleased": now + datetime.timedelta(days=1),
    }[state]


def _status(state: str) -> str:
    if state in ("draft", "in_review", "retracted"):
        return state
    if state == "retracted_unreleased":
        return nm.ArticleStatus.RETRACTED
    return nm.ArticleStatus.PUBLISHED


def build_newsroom(specs: list[ArticleSpec]) -> Newsroom:
    """Create the articles of `specs` and their satellites; return what is public."""
    now = timezone.now()
    ids = _Ids()
    room = Newsroom()
    topics = [f.TopicFactory(name=f"Topic {PUBLIC} {n}") for n in range(2)]
    sources = [
        f.SourceFactory(name=f"Source {PUBLIC} {n}", domain=f"src{n}.example")
        for n in range(2)
    ]
    people = [f.PersonFactory(name=f"Person {PUBLIC} {n}") for n in range(2)]
    place = f.PlaceFactory(name=f"Place {PUBLIC}")
    actor = f.ActorFactory(name=f"Actor {PUBLIC}")

    articles: list[nm.Article] = []
    for index, spec in enumerate(specs):
        at = _publish_at(spec.state, now)
        public = spec.state in ("published_past", "published_now")
        # What cited an article retracted after publishing stays shown.
        on_record = public or spec.state == "retracted"
        mark = f"{LEAK}{index:03d}" if not public else f"{PUBLIC}{index:03d}"
        name = f"{GONE}{index:03d}" if spec.state == "retracted" else mark
        if not public:
            room.hidden_tokens.append(mark)
        article = nm.Article.objects.create(
            pk=ids.next("article", not public),
            headline=f"Headline {name} {SHARED_WORD}",
            slug=f"{name}-slug",
            standfirst=f"Standfirst {mark}",
            body=f"Body {mark} about {SHARED_WORD} prison.\n\nMore {mark}.",
            status=_status(spec.state),
            publish_at=at,
            first_published_at=at,
            retraction_note=(
                "Retracted for cause." if spec.state.startswith("retracted") else ""
            ),
            retracted_at=now if spec.state.startswith("retracted") else None,
            source=sources[spec.source],
            original_url=f"https://src{spec.source}.example/{mark}",
            lead_image_caption=f"Caption {mark}",
        )
        article.topics.set([topics[spec.topic]])
        nm.ArticleAuthor.objects.create(
            article=article, person=people[spec.author], position=0
        )
        (room.public_articles if public else room.hidden_articles).append(article)
        articles.append(article)

        incident = None
        if spec.incident:
            incident_public = spec.incident == "published"
            imark = (
                f"{PUBLIC}i{index:03d}" if incident_public else f"{LEAK}i{index:03d}"
            )
            if not incident_public:
                room.hidden_tokens.append(imark)
            incident = im.Incident.objects.create(
                pk=ids.next("incident", not incident_public),
                title=f"Incident {imark}",
                slug=f"{imark}-incident",
                summary=f"Summary {imark}",
                start_date=datetime.date(2022, 1, 20),
                place=place,
                status=spec.incident,
            )
            im.IncidentActor.objects.create(
                incident=incident, actor=actor, role=im.ActorRole.PERPETRATOR
            )
            incident.articles.add(article)

        for n, comment_state in enumerate(spec.comment_states):
            shown = public and comment_state == nm.CommentStatus.APPROVED
            cmark = f"{PUBLIC}c{index:03d}{n}" if shown else f"{LEAK}c{index:03d}{n}"
            nm.Comment.objects.create(
                pk=ids.next("comment", not shown),
                article=article,
                name=f"Name {cmark}",
                email=f"{EMAIL}{index:03d}{n}@mail.example",
                body=f"Comment {cmark}",
                status=comment_state,
            )
        if spec.figure and incident is not None:
            shown = on_record and incident.status == im.IncidentStatus.PUBLISHED
            fmark = f"{PUBLIC}f{index:03d}" if shown else f"{LEAK}f{index:03d}"
            im.Figure.objects.create(
                pk=ids.next("figure", not shown),
                incident=incident,
                metric=im.Metric.KILLED,
                low=10 + index,
                high=20 + index,
                claimant=f"Claimant {fmark}",
                article=article,
                url=f"https://example.org/{fmark}",
                excerpt=f"Excerpt {fmark}",
                note=f"Note {fmark}",
            )
        if spec.recommendation:
            shown = on_record and (
                incident is None or incident.status == im.IncidentStatus.PUBLISHED
            )
            rmark = f"{PUBLIC}r{index:03d}" if shown else f"{LEAK}r{index:03d}"
            im.Recommendation.objects.create(
                pk=ids.next("recommendation", not shown),
                action=im.RecommendationAction.REPATRIATE,
                statement=f"Statement {rmark}",
                addressed_to_group=f"Group {rmark}",
                made_in=article,
                incident=incident,
            )
        if spec.correction:
            kmark = f"{PUBLIC}k{index:03d}" if on_record else f"{LEAK}k{index:03d}"
            nm.Correction.objects.create(
                pk=ids.next("correction", not on_record),
                article=article,
                note=f"Correction {kmark}",
            )
        if spec.quote:
            qmark = f"{PUBLIC}q{index:03d}" if on_record else f"{LEAK}q{index:03d}"
            nm.Quote.objects.create(
                pk=ids.next("quote", not on_record),
                article=article,
                person=people[spec.author],
                text=f"Quote {qmark}",
                attribution=f"Attribution {qmark}",
            )

    public_ids = {a.pk for a in room.public_articles}
    for index, spec in enumerate(specs):
        if spec.related_to is None:
            continue
        target = articles[spec.related_to % len(articles)]
        if target.pk == articles[index].pk:
            continue
        hidden = target.pk not in public_ids or articles[index].pk not in public_ids
        nm.RelatedLink.objects.create(
            pk=ids.next("related", hidden),
            article=articles[index],
            target=target,
        )

    room.expected_counts = {
        "topic": _count(public_ids, (s.topic for s in specs), articles),
        "source": _count(public_ids, (s.source for s in specs), articles),
        "person": _count(public_ids, (s.author for s in specs), articles),
    }
    room.expected_counts["topic"] = {
        topics[k].pk: v for k, v in room.expected_counts["topic"].items()
    }
    room.expected_counts["source"] = {
        sources[k].pk: v for k, v in room.expected_counts["source"].items()
    }
    room.expected_counts["person"] = {
        people[k].pk: v for k, v in room.expected_counts["person"].items()
    }
    published_incidents = im.Incident.objects.filter(status=im.IncidentStatus.PUBLISHED)
    room.expected_counts["actor"] = {actor.pk: published_incidents.count()}
    room.expected_counts["place"] = {place.pk: published_incidents.count()}
    return room


def _count(public_ids, keys, articles) -> dict[int, int]:
    counts: dict[int, int] = {0: 0, 1: 0}
    for key, article in zip(keys, articles, strict=True):
        if article.pk in public_ids:
            counts[key] += 1
    return counts
