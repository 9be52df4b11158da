"""Pending changes of live articles never reach a reader, on any surface or format.

Random sequences of edit (stage pending changes), publish changes, discard,
schedule and wait (with the `publish_due` run cron makes) on live articles;
then every public URL is fetched signed out. Text staged but never published
must be nowhere; text published must show on the article's page and API.
"""

from __future__ import annotations

import datetime
import io
from contextlib import suppress
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsdesk import models as nm
from newsdesk.revisions import services as revisions
from newsdesk.revisions.snapshot import article_snapshot
from tests import factories as f
from tests.hardening.newsroom import SHARED_WORD
from tests.hardening.surfaces import public_urls

LIVE = 2

pending_steps = st.lists(
    st.one_of(
        st.tuples(st.just("edit"), st.integers(0, LIVE - 1)),
        st.tuples(st.just("publish"), st.integers(0, LIVE - 1)),
        st.tuples(st.just("discard"), st.integers(0, LIVE - 1)),
        st.tuples(
            st.just("schedule"), st.integers(0, LIVE - 1), st.sampled_from((1, 5))
        ),
        st.tuples(st.just("wait"), st.sampled_from((2, 6))),
    ),
    min_size=1,
    max_size=8,
)


class Desk:
    """The steps' effects, and which staged marks readers may have seen."""

    def __init__(self, articles, editor, clock) -> None:
        self.articles, self.editor, self.clock = articles, editor, clock
        self.count = 0
        self.marks: dict[int, str] = {}  # article id -> mark of its pending changes
        self.shown: set[str] = set()
        self.staged: set[str] = set()

    def edit(self, article: nm.Article) -> None:
        self.count += 1
        mark = f"qzpend{article.pk % 10}x{self.count}"
        live = article_snapshot(article)
        revisions.article_save_pending(
            article=article,
            user=self.editor,
            snapshot={
                "headline": f"Headline {mark}",
                "standfirst": f"Standfirst {mark}",
                "body": f"Body {mark} about {SHARED_WORD}.",
                "quotes": [
                    {"speaker": None, "text": f"Said {mark}", "attribution": ""}
                ],
                "related_links": [
                    *live["related_links"],
                    {
                        "id": None,
                        "label": "",
                        "title": f"Link {mark}",
                        "url": "",
                        "via": None,
                    },
                ],
            },
        )
        self.marks[article.pk] = mark
        self.staged.add(mark)

    def went_live(self, article: nm.Article) -> None:
        self.shown.add(self.marks.pop(article.pk))

    def step(self, step: tuple) -> None:
        verb, *args = step
        if verb == "wait":
            self.clock.now += datetime.timedelta(hours=args[0])
            pending = dict(
                nm.ArticleRevision.objects.due(self.clock.now).values_list(
                    "article_id", "pk"
                )
            )
            call_command("publish_due", stdout=io.StringIO(), stderr=io.StringIO())
            for article_id in pending:
                if (
                    not nm.ArticleRevision.objects.pending()
                    .filter(article_id=article_id)
                    .exists()
                ):
                    self.went_live(nm.Article(pk=article_id))
            return
        article = self.articles[args[0]]
        article.refresh_from_db()
        with suppress(ValidationError, PermissionDenied):
            if verb == "edit":
                self.edit(article)
            elif verb == "publish":
                revisions.article_publish_changes(article=article, user=self.editor)
                self.went_live(article)
            elif verb == "discard":
                revisions.article_discard_changes(article=article, user=self.editor)
                self.marks.pop(article.pk, None)
            elif verb == "schedule":
                revisions.article_publish_changes(
                    article=article,
                    user=self.editor,
                    publish_at=self.clock.now + datetime.timedelta(hours=args[1]),
                )


def _body(response) -> str:
    raw = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    return raw.decode("utf-8", errors="replace")


@pytest.mark.slow
@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=(HealthCheck.function_scoped_fixture, HealthCheck.too_slow),
)
@example(steps=[("edit", 0), ("edit", 1), ("publish", 1), ("edit", 1)])
@example(steps=[("edit", 0), ("schedule", 0, 5), ("wait", 2), ("edit", 1)])
@example(steps=[("edit", 0), ("schedule", 0, 1), ("wait", 2), ("discard", 1)])
@given(steps=pending_steps)
def test_pending_changes_never_reach_a_reader(client, editor, clock, steps):
    clock.reset()
    cache.clear()
    with transaction.atomic():
        topic = f.TopicFactory(name=f"Topic {SHARED_WORD}")
        person = f.PersonFactory(name="Amira Haddad")
        articles = [
            f.ArticleFactory(
                pk=7_290_000 + n,
                published=True,
                headline=f"Live headline {n} {SHARED_WORD}",
                slug=f"live-{n}",
                body=f"Live body {n} about {SHARED_WORD}.",
                topics=[topic],
                authors=[person],
            )
            for n in range(LIVE)
        ]
        f.QuoteFactory(article=articles[0], person=person, text="Live words.")
        desk = Desk(articles, editor, clock)
        # Every page is stored once before the steps: a stale store would show here.
        for article in articles:
            client.get(article.get_absolute_url())
        for step in steps:
            desk.step(step)

        hidden = sorted(desk.staged - desk.shown)
        surfaces = public_urls(extra_queries=(SHARED_WORD, *hidden))
        urls = [
            *surfaces.urls,
            *(f"{a.get_absolute_url()}?preview=forged" for a in articles),
        ]
        for url in urls:
            response = client.get(url)
            assert response.status_code < 500, (url, response.status_code)
            body = _body(response)
            query = parse_qs(urlsplit(url).query).get("q", [""])[0]
            if query:
                body = body.replace(query, "")
            for mark in hidden:
                assert mark not in body, (steps, url, mark)
        # What was published shows at once, on the page and in the API.
        for article in articles:
            article.refresh_from_db()
            current = article.headline.removeprefix("Headline ")
            if current in desk.shown:
                assert current in _body(client.get(article.get_absolute_url()))
                api = client.get(f"/api/v1/articles/{article.pk}/")
                assert current in _body(api), (steps, article.pk)
        transaction.set_rollback(True)
    cache.clear()
