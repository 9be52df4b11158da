"""Real parallel requests: no lost update, no duplicate import, limits that hold.

These run against `live_server` with threads. Requests that write in
parallel need a database where each server thread has its own connection
(PostgreSQL, as in production); SQLite's in-memory test database is one
shared connection, so those tests run on PostgreSQL here, and the SQLite
deployment's races run against gunicorn in `test_concurrency_server.py`.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, override_settings
from rest_framework.authtoken.models import Token

from newsdesk import models as nm
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]

needs_real_connections = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="parallel writes need one database connection per thread (PostgreSQL)",
)


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    from newsdesk.roles import roles_sync

    roles_sync()  # transactional tests start from an emptied database


def session_for(user) -> requests.Session:
    """An HTTP session logged in as `user`, as a browser would be."""
    client = Client()
    client.force_login(user)
    session = requests.Session()
    session.cookies.set(
        settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value
    )
    return session


def form_data(html: str, form_id: str) -> dict[str, list[str]]:
    """What a browser would submit for the form `form_id`, unchanged."""
    form = BeautifulSoup(html, "html5lib").find("form", id=form_id)
    data: dict[str, list[str]] = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("disabled") is not None:
            continue
        kind = (field.get("type") or "").lower()
        if field.name == "input":
            if kind in ("submit", "button", "file", "image", "reset"):
                continue
            if kind in ("checkbox", "radio") and field.get("checked") is None:
                continue
            data.setdefault(name, []).append(
                field.get("value", "on" if kind == "checkbox" else "")
            )
        elif field.name == "textarea":
            data.setdefault(name, []).append(field.text.lstrip("\n"))
        else:
            chosen = [
                o.get("value", o.text)
                for o in field.find_all("option")
                if o.get("selected") is not None
            ]
            if not chosen and field.get("multiple") is None:
                first = field.find("option")
                chosen = [first.get("value", first.text)] if first else []
            data.setdefault(name, []).extend(chosen)
    return data


def _race_admin_against_api(live_server, admin_editor, token: str, round_no: int):
    """One admin save and one API save from the same version, at the same moment."""
    article = f.ArticleFactory(headline=f"Original {round_no}")
    version = article.version
    browser = session_for(admin_editor)
    change_url = f"{live_server.url}/admin/newsdesk/article/{article.pk}/change/"
    page = browser.get(change_url)
    assert page.status_code == 200
    data = form_data(page.text, "article_form")
    data["headline"] = [f"Admin wins {round_no}"]
    data["_save"] = ["Save"]
    data["csrfmiddlewaretoken"] = data.get("csrfmiddlewaretoken") or [
        browser.cookies["csrftoken"]
    ]
    barrier = threading.Barrier(2)

    def save_in_admin():
        barrier.wait()
        return browser.post(change_url, data=data, allow_redirects=False)

    def save_in_api():
        barrier.wait()
        return requests.patch(
            f"{live_server.url}/api/v1/articles/{article.pk}/",
            json={"headline": f"API wins {round_no}"},
            headers={"Authorization": f"Token {token}", "If-Match": str(version)},
        )

    with ThreadPoolExecutor(2) as pool:
        admin_future, api_future = pool.submit(save_in_admin), pool.submit(save_in_api)
        admin_response, api_response = admin_future.result(), api_future.result()
    article.refresh_from_db()
    return article, version, browser, change_url, admin_response, api_response


@needs_real_connections
@pytest.mark.slow
def test_admin_and_api_editors_saving_the_same_version(live_server, transactional_db):
    admin_editor = f.UserFactory(username="admin-editor", role="editor")
    api_editor = f.UserFactory(username="api-editor", role="editor")
    token = Token.objects.create(user=api_editor).key
    for round_no in range(4):
        article, version, browser, change_url, admin_response, api_response = (
            _race_admin_against_api(live_server, admin_editor, token, round_no)
        )
        location = admin_response.headers.get("Location", "")
        admin_won = admin_response.status_code == 302 and not location.endswith(
            "/change/"
        )
        api_won = api_response.status_code == 200
        assert admin_won != api_won, (
            admin_response.status_code,
            api_response.status_code,
        )
        assert article.version == version + 1
        if admin_won:
            assert api_response.status_code == 412
            assert article.headline == f"Admin wins {round_no}"
        else:
            # Refused: the form again with the conflict message, or a redirect
            # back to the form that shows it.
            assert admin_response.status_code in (200, 302), admin_response.status_code
            shown = admin_response.text
            if admin_response.status_code == 302:
                shown = browser.get(change_url).text
            assert "after you opened it" in shown
            assert article.headline == f"API wins {round_no}"


@needs_real_connections
def test_ten_api_editors_racing_on_one_version(live_server, transactional_db):
    editors = [f.UserFactory(username=f"racer-{n}", role="editor") for n in range(10)]
    tokens = [Token.objects.create(user=user).key for user in editors]
    article = f.ArticleFactory(headline="Original")
    barrier = threading.Barrier(len(tokens))

    def save(n: int) -> int:
        barrier.wait()
        return requests.patch(
            f"{live_server.url}/api/v1/articles/{article.pk}/",
            json={"headline": f"Editor {n}"},
            headers={
                "Authorization": f"Token {tokens[n]}",
                "If-Match": str(article.version),
            },
        ).status_code

    with ThreadPoolExecutor(len(tokens)) as pool:
        codes = list(pool.map(save, range(len(tokens))))
    assert sorted(codes) == [200] + [412] * (len(tokens) - 1), codes
    winner = codes.index(200)
    article.refresh_from_db()
    assert article.headline == f"Editor {winner}"
    assert article.version == 2


@needs_real_connections
def test_parallel_imports_of_the_same_files_create_each_article_once(transactional_db):
    files = sorted(str(p) for p in (ROOT / "seeds").glob("*.txt"))
    assert files
    barrier = threading.Barrier(4)

    def run() -> None:
        from django.db import connections

        barrier.wait()
        try:
            call_command("import_articles", *files, verbosity=0)
        except Exception:
            pass
        finally:
            connections.close_all()

    with ThreadPoolExecutor(4) as pool:
        for future in [pool.submit(run) for _ in range(4)]:
            future.result()
    assert nm.Article.objects.count() == len(files)
    assert nm.Source.objects.count() <= len(files)
    hashes = list(nm.Article.objects.values_list("content_hash", flat=True))
    assert len(set(hashes)) == len(hashes) == len(files)


def _away_from_a_minute_boundary() -> None:
    """A per-minute window may roll over mid-burst; start the burst well inside one."""
    if time.time() % 60 > 50:
        time.sleep(61 - time.time() % 60)


RESET = "reset"


def _fire(url: str, count: int, **kwargs) -> list[int | str]:
    """Send `count` requests at once; a connection the server reset counts as RESET."""
    barrier = threading.Barrier(count)
    method = kwargs.pop("method", "get")

    def one(_):
        barrier.wait()
        try:
            response = getattr(requests, method)(
                url, allow_redirects=False, timeout=60, **kwargs
            )
        except requests.ConnectionError:
            return RESET
        return response.status_code

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))


def test_comment_rate_limit_holds_under_50_concurrent_posts(
    live_server, transactional_db
):
    from newsdesk.views import COMMENT_RATE_LIMIT

    article = f.ArticleFactory(published=True)
    cache.clear()
    codes = _fire(
        f"{live_server.url}{article.get_absolute_url()}comments/",
        50,
        method="post",
        data={"name": "Reader", "email": "reader@mail.example", "body": "Thanks."},
    )
    assert codes.count(302) == COMMENT_RATE_LIMIT, codes
    # The development server may reset a refused POST whose body it never
    # read; either way the request was refused, as the row count shows.
    assert codes.count(429) + codes.count(RESET) == 50 - COMMENT_RATE_LIMIT, codes
    assert nm.Comment.objects.count() == COMMENT_RATE_LIMIT


def test_api_anonymous_throttle_holds_under_50_concurrent_requests(
    live_server, transactional_db
):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "10/minute"}
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        cache.clear()
        _away_from_a_minute_boundary()
        codes = _fire(f"{live_server.url}/api/v1/topics/", 50)
    assert codes.count(200) == 10, codes
    assert codes.count(429) == 40, codes
