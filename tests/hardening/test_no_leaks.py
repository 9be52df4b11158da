"""Nothing unpublished reaches an anonymous reader, on any surface, in any format."""

from __future__ import annotations

import datetime
import json
import re
from contextlib import suppress
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsdesk import models as nm
from newsdesk import services
from tests import factories as f
from tests.hardening.newsroom import (
    ARTICLE_STATES,
    COMMENT_STATES,
    EMAIL,
    HIDDEN_ID_RE,
    LEAK,
    PUBLIC,
    SHARED_WORD,
    ArticleSpec,
    Newsroom,
    build_newsroom,
)
from tests.hardening.surfaces import public_urls

article_specs = st.builds(
    ArticleSpec,
    state=st.sampled_from(ARTICLE_STATES),
    incident=st.sampled_from((None, "published", "draft")),
    comment_states=st.lists(st.sampled_from(COMMENT_STATES), max_size=3).map(tuple),
    figure=st.booleans(),
    recommendation=st.booleans(),
    correction=st.booleans(),
    quote=st.booleans(),
    related_to=st.one_of(st.none(), st.integers(min_value=0, max_value=20)),
    topic=st.integers(min_value=0, max_value=1),
    source=st.integers(min_value=0, max_value=1),
    author=st.integers(min_value=0, max_value=1),
)

EVERY_STATE = [
    ArticleSpec(
        state=state,
        incident=("published", "draft", None)[n % 3],
        comment_states=COMMENT_STATES,
        figure=True,
        recommendation=True,
        correction=True,
        quote=True,
        related_to=n + 1,
        topic=n % 2,
        source=(n // 2) % 2,
        author=n % 2,
    )
    for n, state in enumerate(ARTICLE_STATES * 2)
]


def _body(response) -> str:
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    return raw.decode("utf-8", errors="replace")


def _hidden_article_by_path(room: Newsroom) -> dict[str, nm.Article]:
    return {a.get_absolute_url(): a for a in room.hidden_articles}


def _check_counts(url: str, payload, room: Newsroom) -> None:
    """`article_count`/`incident_count` in API lists count public rows only."""
    path = urlsplit(url).path
    kind = {
        "/api/v1/topics/": ("topic", "article_count"),
        "/api/v1/sources/": ("source", "article_count"),
        "/api/v1/people/": ("person", "article_count"),
        "/api/v1/actors/": ("actor", "incident_count"),
        "/api/v1/places/": ("place", "incident_count"),
    }.get(path)
    if kind is None or not isinstance(payload, dict):
        return
    expected = room.expected_counts[kind[0]]
    for row in payload.get("results", []):
        if row.get("id") in expected and kind[1] in row:
            assert row[kind[1]] == expected[row["id"]], (url, row)


def _check_article_lists(url: str, payload, room: Newsroom) -> None:
    parts = urlsplit(url)
    if parts.path != "/api/v1/articles/" or not isinstance(payload, dict):
        return
    query = parse_qs(parts.query)
    ids = {row["id"] for row in payload["results"]}
    public_ids = {a.pk for a in room.public_articles}
    if "q" in query and query["q"][0] != SHARED_WORD:
        assert ids == set(), url
    else:
        assert ids == public_ids, url


def sweep(client, room: Newsroom) -> int:
    """Fetch every public URL anonymously and assert nothing hidden shows."""
    surfaces = public_urls(extra_queries=(SHARED_WORD, *room.hidden_tokens[:3]))
    assert not surfaces.unhandled, (
        "Public routes the leak sweep cannot fill in; teach tests/hardening/"
        f"surfaces.py about them: {surfaces.unhandled}"
    )
    hidden_paths = _hidden_article_by_path(room)
    for url in surfaces.urls:
        response = client.get(url)
        body = _body(response)
        assert response.status_code < 500, (url, response.status_code, body[:500])
        path = urlsplit(url).path
        query = parse_qs(urlsplit(url).query).get("q", [""])[0]
        if query:
            # The page repeats what was searched for; that is not a leak.
            body = body.replace(query, "")
        if path in hidden_paths:
            article = hidden_paths[path]
            if article.was_retracted_after_publishing():
                # The retraction notice names the article, nothing more.
                assert response.status_code == 410, url
            else:
                # Retracted before it went live: as if it never existed.
                assert response.status_code == 404, (url, response.status_code)
        assert LEAK not in body, (url, body[max(0, body.find(LEAK) - 300) :][:600])
        assert EMAIL not in body, (url, "a commenter's email is shown")
        headers = " ".join(f"{k}: {v}" for k, v in response.items())
        assert LEAK not in headers, (url, headers)
        found = HIDDEN_ID_RE.search(body)
        assert found is None, (
            url,
            found and body[found.start() - 200 : found.end() + 50],
        )
        if path.startswith("/api/v1/") and response.status_code == 200:
            content_type = response.get("Content-Type", "")
            if "json" in content_type:
                payload = json.loads(body)
                _check_counts(url, payload, room)
                _check_article_lists(url, payload, room)
    return len(surfaces.urls)


@pytest.mark.slow
@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=(
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ),
)
@example(specs=EVERY_STATE)
@given(specs=st.lists(article_specs, min_size=1, max_size=6))
def test_nothing_unpublished_reaches_any_public_surface(client, db, specs):
    cache.clear()
    with transaction.atomic():
        room = build_newsroom(specs)
        fetched = sweep(client, room)
        assert fetched > 30
        transaction.set_rollback(True)
    cache.clear()


def test_hidden_api_details_answer_404_to_every_method(client, db):
    room = build_newsroom(EVERY_STATE)
    # OPTIONS describes the endpoint; it must say the same for any id.
    nowhere = client.options("/api/v1/articles/999999999/")
    for article in room.hidden_articles:
        url = f"/api/v1/articles/{article.pk}/"
        for method in ("get", "head"):
            response = getattr(client, method)(url)
            assert response.status_code == 404, (method, url, response.status_code)
            assert LEAK not in _body(response)
        options = client.options(url)
        assert (options.status_code, options.content) == (
            nowhere.status_code,
            nowhere.content,
        )


def test_old_addresses_of_hidden_articles_redirect_nowhere(client, db):
    room = build_newsroom(EVERY_STATE)
    for article in room.public_articles + room.hidden_articles:
        nm.ArticleRedirect.objects.create(
            article=article, old_path=f"/articles/2020/01/{article.slug}-old/"
        )
    for article in room.hidden_articles:
        response = client.get(f"/articles/2020/01/{article.slug}-old/")
        assert response.status_code in (404, 410), response.status_code
        assert LEAK not in response.get("Location", "")
        assert LEAK not in _body(response).replace(article.slug + "-old", "")
    for article in room.public_articles:
        response = client.get(f"/articles/2020/01/{article.slug}-old/")
        assert response.status_code == 301
        assert response["Location"].endswith(article.get_absolute_url())


def test_the_sweep_sees_every_public_article(client, db):
    """Guards against a vacuous sweep: public content does show."""
    room = build_newsroom(EVERY_STATE)
    home = _body(client.get("/"))
    for article in room.public_articles:
        assert article.headline in home
        page = client.get(article.get_absolute_url())
        assert page.status_code == 200
    feed = _body(client.get("/feeds/latest/rss/"))
    assert all(a.slug in feed for a in room.public_articles)


def test_filtering_by_a_hidden_id_is_the_same_as_by_no_such_id(client, db):
    """`?article=<draft id>` or `?incident=<draft id>` must not reveal links."""
    from django.core.cache import cache as shared_cache
    from django_filters import filters as df

    from incidents import models as im
    from tests.hardening.test_bad_input import _view_filterset, api_list_urls

    room = build_newsroom(EVERY_STATE)
    hidden_ids = [a.pk for a in room.hidden_articles] + list(
        im.Incident.objects.exclude(status="published").values_list("pk", flat=True)
    )
    checked = 0
    for url in api_list_urls():
        filterset = _view_filterset(url)
        if filterset is None:
            continue
        for name, filter_ in filterset.base_filters.items():
            if not isinstance(filter_, df.NumberFilter):
                continue
            shared_cache.clear()
            nowhere = client.get(url, {name: 999_999_999})
            for pk in hidden_ids:
                shared_cache.clear()
                response = client.get(url, {name: pk})
                assert response.status_code == nowhere.status_code, (url, name, pk)
                if response.status_code == 200:
                    assert response.json()["results"] == nowhere.json()["results"], (
                        url,
                        name,
                        pk,
                    )
                checked += 1
    assert checked > 20


# --- Embargoes: whatever the desk does before release, readers learn nothing ---

EMBARGOED = 3
desk_steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("schedule"),
            st.integers(0, EMBARGOED - 1),
            st.sampled_from((0.5, 2, 30)),
        ),
        st.tuples(
            st.sampled_from(("publish", "retract", "unschedule", "edit", "return")),
            st.integers(0, EMBARGOED - 1),
        ),
        st.tuples(st.just("wait"), st.sampled_from((1, 3))),
    ),
    min_size=1,
    max_size=8,
)


def _desk_step(step: tuple, articles: list[nm.Article], editor, clock) -> None:
    verb, *args = step
    if verb == "wait":
        clock.now += datetime.timedelta(hours=args[0])
        return
    article = articles[args[0]]
    article.refresh_from_db()
    mark = article.slug.split("-")[0]
    actions = {
        "schedule": lambda: services.article_publish(
            article=article,
            user=editor,
            publish_at=clock.now + datetime.timedelta(hours=args[-1]),
        ),
        "publish": lambda: services.article_publish(article=article, user=editor),
        "retract": lambda: services.article_retract(
            article=article, user=editor, note=f"Note {mark}"
        ),
        "unschedule": lambda: services.article_unschedule(article=article, user=editor),
        "return": lambda: services.article_return_to_draft(
            article=article, user=editor
        ),
        "edit": lambda: services.article_update(
            article=article,
            user=editor,
            data={
                "headline": f"Headline {mark} v{article.version}",
                "slug": f"{mark}-v{article.version}",
                "standfirst": f"Standfirst {mark} v{article.version}",
            },
            expected_version=article.version,
        ),
    }
    # The workflow may refuse a step (publishing a retracted article...); go on.
    with suppress(ValidationError):
        actions[verb]()


@pytest.mark.slow
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=(HealthCheck.function_scoped_fixture, HealthCheck.too_slow),
)
@example(steps=[("schedule", 0, 2), ("retract", 0)])
@example(steps=[("schedule", 0, 0.5), ("edit", 0), ("wait", 1), ("retract", 0)])
@example(steps=[("schedule", 1, 2), ("unschedule", 1), ("edit", 1), ("wait", 3)])
@given(steps=desk_steps)
def test_an_article_that_never_went_live_leaves_no_trace(client, editor, clock, steps):
    """Random schedule, retract, unschedule, edit and wait sequences, then a sweep."""
    clock.reset()
    cache.clear()
    with transaction.atomic():
        room = build_newsroom(EVERY_STATE[2:4])
        incident = f.IncidentFactory(status="published", title=f"Incident {PUBLIC}")
        live = room.public_articles[0]
        articles = []
        for n in range(EMBARGOED):
            article = f.ArticleFactory(
                pk=7_190_000 + n,
                in_review=True,
                headline=f"Headline qzemb{n} {SHARED_WORD}",
                slug=f"qzemb{n}-slug",
                standfirst=f"Standfirst qzemb{n}",
                body=f"Body qzemb{n} about {SHARED_WORD}.",
                topics=[live.topics.first()],
                authors=[live.byline[0]],
            )
            incident.articles.add(article)
            nm.RelatedLink.objects.create(article=live, target=article)
            articles.append(article)

        went_live: set[int] = set()
        addresses: dict[int, set[str]] = {a.pk: set() for a in articles}
        for step in [("wait", 0), *steps]:
            if step != ("wait", 0):
                _desk_step(step, articles, editor, clock)
            for article in articles:
                article.refresh_from_db()
                addresses[article.pk].add(article.get_absolute_url())
                if article.is_published(clock.now):
                    went_live.add(article.pk)

        unseen = [a for a in articles if a.pk not in went_live]
        marks = [a.slug.split("-")[0] for a in unseen]
        surfaces = public_urls(extra_queries=(SHARED_WORD, *marks))
        urls = list(surfaces.urls)
        for article in unseen:
            addresses[article.pk] |= {
                re.sub(r"/\d{4}/\d{2}/", "/1999/01/", url)
                for url in addresses[article.pk]
            }
            urls += sorted(addresses[article.pk])
        for url in urls:
            response = client.get(url)
            assert response.status_code < 500, (url, response.status_code)
            body = _body(response)
            query = parse_qs(urlsplit(url).query).get("q", [""])[0]
            if query:
                body = body.replace(query, "")
            headers = " ".join(f"{k}: {v}" for k, v in response.items())
            for article, mark in zip(unseen, marks, strict=True):
                if urlsplit(url).path in addresses[article.pk]:
                    assert response.status_code == 404, (steps, url)
                    body = body.replace(urlsplit(url).path, "")
                assert mark not in body, (steps, url, article.status)
                assert mark not in headers.replace(url, ""), (steps, url)
                assert not re.search(rf"(?<!\d){article.pk}(?!\d)", body), (
                    steps,
                    url,
                )
        transaction.set_rollback(True)
    cache.clear()
