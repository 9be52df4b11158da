"""The same races against the production stack: gunicorn workers, a SQLite file, Redis.

`test_concurrency.py` races against pytest-django's live server, which needs
PostgreSQL for parallel writes; here several gunicorn processes share one
SQLite database file (WAL, immediate transactions) and one Redis, as a
single-machine deployment on the embedded database would.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("NEWSDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")

pytestmark = [
    pytest.mark.slow,
    # The PostgreSQL run races against the live server in test_concurrency.py.
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
        reason="the SQLite deployment's races; PostgreSQL's run in test_concurrency",
    ),
]

SETUP = """
import json
from django.conf import settings
from django.test import Client
from rest_framework.authtoken.models import Token
from newsdesk.roles import roles_sync
from tests import factories as f
roles_sync()
out = {"tokens": [], "sessions": []}
for n in range(10):
    user = f.UserFactory(username=f"editor-{n}", role="editor")
    out["tokens"].append(Token.objects.get_or_create(user=user)[0].key)
    client = Client()
    client.force_login(user)
    out["sessions"].append(client.cookies[settings.SESSION_COOKIE_NAME].value)
out["articles"] = [f.ArticleFactory(headline=f"Original {n}").pk for n in range(4)]
published = f.ArticleFactory(published=True)
out["published_url"] = published.get_absolute_url()
print(json.dumps(out))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_available() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:
        return False
    return True


class Server:
    def __init__(self, tmp: Path) -> None:
        self.database = tmp / "newsroom.sqlite3"
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="newsdesk.settings_test",
            DATABASE_URL=f"sqlite:///{self.database}",
            REDIS_URL=REDIS_URL,
            DJANGO_CACHE_PREFIX=f"hardening-{self.port}",
            NEWSDESK_API_ANON_RATE="10/minute",
            PYTHONPATH=str(ROOT),
        )
        self.process: subprocess.Popen | None = None

    def manage(self, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def start(self) -> None:
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
        self.process = subprocess.Popen(
            [
                gunicorn or "gunicorn",
                "newsdesk.wsgi",
                "--workers=3",
                "--threads=8",
                f"--bind=127.0.0.1:{self.port}",
                "--backlog=256",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(300):
            try:
                requests.get(f"{self.url}/robots.txt", timeout=10)
                return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not _redis_available():
        pytest.skip("Redis is not running")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    server = Server(tmp_path_factory.mktemp("server"))
    result = server.manage("migrate", "--noinput", "-v0")
    assert result.returncode == 0, result.stderr
    result = server.manage("shell", "-c", SETUP)
    assert result.returncode == 0, result.stderr
    server.data = json.loads(result.stdout.strip().splitlines()[-1])
    server.start()
    yield server
    server.stop()


def _query(server: Server, code: str) -> object:
    result = server.manage("shell", "-c", f"import json; print(json.dumps({code}))")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _away_from_a_minute_boundary() -> None:
    """A per-minute window may roll over mid-burst; start the burst well inside one."""
    if time.time() % 60 > 50:
        time.sleep(61 - time.time() % 60)


def _at_once(count: int, work) -> list:
    barrier = threading.Barrier(count)

    def run(n: int):
        barrier.wait()
        return work(n)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_ten_editors_saving_one_version_through_gunicorn(server):
    pk = server.data["articles"][0]
    tokens = server.data["tokens"]

    def save(n: int) -> int:
        return requests.patch(
            f"{server.url}/api/v1/articles/{pk}/",
            json={"headline": f"Editor {n}"},
            headers={"Authorization": f"Token {tokens[n]}", "If-Match": "1"},
            timeout=60,
        ).status_code

    codes = _at_once(len(tokens), save)
    assert sorted(codes) == [200] + [412] * (len(tokens) - 1), codes
    headline, version = _query(
        server,
        "list(__import__('newsdesk.models').models.Article.objects"
        f".filter(pk={pk}).values_list('headline', 'version').get())",
    )
    assert headline == f"Editor {codes.index(200)}"
    assert version == 2


def test_admin_and_api_editors_race_through_gunicorn(server):
    from bs4 import BeautifulSoup

    from tests.hardening.test_concurrency import form_data

    for pk in server.data["articles"][1:]:
        browser = requests.Session()
        browser.cookies.set("sessionid", server.data["sessions"][0])
        change_url = f"{server.url}/admin/newsdesk/article/{pk}/change/"
        page = browser.get(change_url, timeout=60)
        assert page.status_code == 200
        assert BeautifulSoup(page.text, "html5lib").find("form", id="article_form")
        data = form_data(page.text, "article_form")
        data["headline"] = ["Admin wins"]
        data["_save"] = ["Save"]

        def race(n: int, browser=browser, change_url=change_url, data=data, pk=pk):
            if n == 0:
                return browser.post(change_url, data=data, allow_redirects=False)
            return requests.patch(
                f"{server.url}/api/v1/articles/{pk}/",
                json={"headline": "API wins"},
                headers={
                    "Authorization": f"Token {server.data['tokens'][1]}",
                    "If-Match": "1",
                },
                timeout=60,
            )

        admin_response, api_response = _at_once(2, race)
        location = admin_response.headers.get("Location", "")
        admin_won = admin_response.status_code == 302 and not location.endswith(
            "/change/"
        )
        api_won = api_response.status_code == 200
        assert admin_response.status_code != 500, "conflict must not be a server error"
        assert admin_won != api_won, (
            admin_response.status_code,
            api_response.status_code,
        )
        headline = _query(
            server,
            "__import__('newsdesk.models').models.Article.objects"
            f".values_list('headline', flat=True).get(pk={pk})",
        )
        assert headline == ("Admin wins" if admin_won else "API wins")


def test_parallel_imports_through_separate_processes(server):
    files = sorted(str(p) for p in (ROOT / "seeds").glob("*.txt"))
    before = _query(
        server, "__import__('newsdesk.models').models.Article.objects.count()"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", "import_articles", *files],
            cwd=ROOT,
            env=server.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(4)
    ]
    for process in processes:
        process.communicate(timeout=300)
    after = _query(
        server, "__import__('newsdesk.models').models.Article.objects.count()"
    )
    assert after - before == len(files)


def test_comment_rate_limit_is_shared_by_every_worker(server):
    from newsdesk.views import COMMENT_RATE_LIMIT

    url = f"{server.url}{server.data['published_url']}comments/"

    def post(_: int) -> int | str:
        try:
            return requests.post(
                url,
                data={"name": "Reader", "email": "r@mail.example", "body": "Thanks."},
                allow_redirects=False,
                timeout=60,
            ).status_code
        except requests.ConnectionError:
            return "reset"

    codes = _at_once(50, post)
    assert codes.count(302) == COMMENT_RATE_LIMIT, codes
    assert codes.count(429) == 50 - COMMENT_RATE_LIMIT, codes


def test_api_anonymous_throttle_is_shared_by_every_worker(server):
    def get(_: int) -> int:
        return requests.get(f"{server.url}/api/v1/topics/", timeout=60).status_code

    _away_from_a_minute_boundary()
    codes = _at_once(50, get)
    assert codes.count(200) == 10, codes
    assert codes.count(429) == 40, codes


def test_login_lockout_holds_under_50_concurrent_guesses(server):
    login_url = f"{server.url}/admin/login/"
    browser = requests.Session()
    page = browser.get(login_url, timeout=60)
    token = browser.cookies["csrftoken"]
    cookies = browser.cookies.get_dict()

    def guess(n: int) -> int | str:
        try:
            return requests.post(
                login_url,
                data={
                    "username": "editor-9",
                    "password": f"wrong-{n}",
                    "csrfmiddlewaretoken": token,
                },
                cookies=cookies,
                allow_redirects=False,
                timeout=60,
            ).status_code
        except requests.ConnectionError:
            return "reset"

    assert page.status_code == 200
    codes = _at_once(50, guess)
    assert 302 not in codes, codes
    right = requests.post(
        login_url,
        data={
            "username": "editor-9",
            "password": "correct-horse-battery",
            "csrfmiddlewaretoken": token,
        },
        cookies=cookies,
        allow_redirects=False,
        timeout=60,
    )
    assert right.status_code != 302, "a locked account must not log in"
    assert "locked" in right.text.lower()
