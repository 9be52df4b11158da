"""Finding each scenario's URL and counting its SQL queries with the test client."""

from __future__ import annotations

import time
from typing import Any

from bench.scenarios.catalog import BASELINE_OF, pick_sample, scenario_candidates

REQUEST_TIME_LIMIT = 15.0
SLOW_REQUEST = 3.0
_deadline = [float("inf")]


def _limit_new_connection(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Abort any SQL statement still running after the current deadline."""
    if connection.vendor == "sqlite":
        connection.connection.set_progress_handler(
            lambda: int(time.monotonic() > _deadline[0]), 10_000
        )
    elif connection.vendor == "postgresql":
        # On the driver's connection, so that it is not counted as the view's query.
        connection.connection.execute(
            f"SET statement_timeout = {int(REQUEST_TIME_LIMIT * 1000)}"
        )


def timed_get(client: Any, url: str, headers: dict[str, str]) -> tuple[Any, float]:
    """GET through the test client within REQUEST_TIME_LIMIT; (response, seconds)."""
    from django.db import connection

    _deadline[0] = time.monotonic() + REQUEST_TIME_LIMIT
    if connection.connection is not None:
        _limit_new_connection(None, connection)
    started = time.monotonic()
    try:
        return client.get(url, headers=headers), time.monotonic() - started
    finally:
        _deadline[0] = float("inf")


def count_queries(
    client: Any, url: str, headers: dict[str, str], *, clear_cache: bool = True
) -> tuple[int, int, Any, float]:
    """Queries of a cold request (empty cache) and of a warm one.

    Returns (cold, warm, warm response, seconds the warm request took).
    """
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if clear_cache:
        cache.clear()
    with CaptureQueriesContext(connection) as cold:
        timed_get(client, url, headers)
    with CaptureQueriesContext(connection) as warm:
        response, seconds = timed_get(client, url, headers)
    return len(cold), len(warm), response, seconds


REVISED_HISTORY = 40


def give_history(article_id: int, user: Any) -> None:
    """Give the revised sample a busy live story's history: edits staged and
    published in turn, then pending changes sent back once with a comment and
    resubmitted. Kept when the database is reused (nothing added then)."""
    from newsdesk import review
    from newsdesk.models import Article, ArticleRevision
    from newsdesk.revisions import services as revisions

    article = Article.objects.get(pk=article_id)
    if ArticleRevision.objects.filter(article=article).count() >= REVISED_HISTORY:
        return
    base = article.standfirst
    for n in range(REVISED_HISTORY):
        revisions.article_save_pending(
            article=article, snapshot={"standfirst": f"{base} (update {n})"}, user=user
        )
        revisions.article_publish_changes(article=article, user=user)
    revisions.article_save_pending(
        article=article, snapshot={"standfirst": f"{base} (pending)"}, user=user
    )
    review.article_submit_changes(article=article, user=user)
    review.article_request_pending_changes(
        article=article, user=user, comment="Name the source of the figure."
    )
    revisions.article_save_pending(
        article=article,
        snapshot={"standfirst": f"{base} (pending, sourced)"},
        user=user,
    )
    review.article_submit_changes(article=article, user=user)


def discover_scenarios(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Find each scenario's URL, check it answers, and count its SQL queries."""
    from django.contrib.auth import get_user_model
    from django.db.backends.signals import connection_created
    from django.test import Client

    from bench.generator import BENCH_USERNAME

    connection_created.connect(_limit_new_connection, dispatch_uid="bench_time_limit")
    sample = pick_sample()
    # A failing view is reported as "not available", not raised.
    client = Client(raise_request_exception=False)
    admin_client = Client(raise_request_exception=False)
    user = get_user_model().objects.get(username=BENCH_USERNAME)
    admin_client.force_login(user)
    session_cookie = admin_client.cookies["sessionid"].value
    if not spec["only"] or "admin_change_form_revised" in spec["only"]:
        give_history(int(sample["revised_id"]), user)

    scenarios: dict[str, dict[str, Any]] = {}
    for name, candidates in scenario_candidates(sample).items():
        urls = list(dict.fromkeys(candidates))
        if (
            spec["only"]
            and name not in spec["only"]
            and name not in BASELINE_OF.values()
        ):
            continue
        is_admin = name.startswith("admin_")
        use = admin_client if is_admin else client
        found = None
        statuses = []
        for url in urls:
            try:
                response, seconds = timed_get(use, url, {})
                status = response.status_code
            except Exception as error:
                status, seconds = type(error).__name__, 0.0
            if seconds >= REQUEST_TIME_LIMIT:
                status = f"over {REQUEST_TIME_LIMIT:.0f} s per request"
            statuses.append(f"{url} → {status}")
            if status == 200:
                found = url
                break
        if not found:
            scenarios[name] = {"available": False, "reason": "; ".join(statuses)}
            continue
        headers = {"Cookie": f"sessionid={session_cookie}"} if is_admin else {}
        cold, warm, response, seconds = count_queries(use, found, {})
        scenarios[name] = {
            "available": True,
            "url": found,
            "headers": headers,
            "queries": warm,
            "queries_cold": cold,
            "single_request_ms": round(seconds * 1000, 1),
            "bytes": len(response.content),
            "content_type": response.get("Content-Type", ""),
        }
        if seconds > SLOW_REQUEST:
            # Loading it would only queue every connection behind it.
            scenarios[name]["skip_load"] = (
                f"one request takes {seconds:.1f} s; not loaded"
            )

    # The conditional GET replays the article page's own validator.
    article = scenarios.get("article", {})
    if article.get("available") and (not spec["only"] or "article_304" in spec["only"]):
        response = client.get(article["url"])
        validators = {}
        if response.get("ETag"):
            validators["If-None-Match"] = response["ETag"]
        if response.get("Last-Modified"):
            validators["If-Modified-Since"] = response["Last-Modified"]
        if validators:
            cold, warm, answer, seconds = count_queries(
                client, article["url"], validators, clear_cache=False
            )
            scenarios["article_304"] = {
                "available": answer.status_code == 304,
                "reason": f"conditional GET answered {answer.status_code}",
                "url": article["url"],
                "headers": validators,
                "queries": warm,
                "queries_cold": cold,
                "single_request_ms": round(seconds * 1000, 1),
                "bytes": len(answer.content),
            }
        else:
            scenarios["article_304"] = {
                "available": False,
                "reason": "the article page sends neither ETag nor Last-Modified",
            }
    return scenarios
