"""Varnish (deploy/varnish/default.vcl) in front of gunicorn: purged by tag, never personal.

Starts gunicorn and varnishd on free loopback ports over a fresh SQLite
database, then publishes through the API as an editor would.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.edge, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
VCL = ROOT / "deploy" / "varnish" / "default.vcl"
VARNISHD = shutil.which("varnishd") or (
    "/usr/sbin/varnishd" if os.path.exists("/usr/sbin/varnishd") else None
)

if VARNISHD is None:
    pytest.skip(
        "varnishd is not installed: run scripts/ensure-varnish "
        "(apt-get install varnish varnish-modules)",
        allow_module_level=True,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds} s")


class Answer:
    def __init__(self, status: int, headers, body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body
        self.text = body.decode("utf-8", "replace")

    @property
    def edge(self) -> str:
        return self.headers.get("X-Edge-Cache", "")


def _request(url: str, method: str = "GET", headers=None, data=None) -> Answer:
    request = urllib.request.Request(
        url, method=method, headers=headers or {}, data=data
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as answer:
            return Answer(answer.status, answer.headers, answer.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read())


@pytest.fixture(scope="module")
def edge(tmp_path_factory):
    """gunicorn behind varnishd; yields their addresses and the newsroom."""
    work = tmp_path_factory.mktemp("edge")
    app_port, edge_port = _free_port(), _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.edge.settings",
        "DATABASE_URL": f"sqlite:///{work / 'edge.sqlite3'}",
        "NEWSDESK_EDGE_BACKEND": "varnish",
        "NEWSDESK_VARNISH_URLS": f"http://127.0.0.1:{edge_port}/",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=600,
    )
    made = subprocess.run(
        [
            python,
            "manage.py",
            "shell",
            "-c",
            (ROOT / "tests/edge/setup_desk.py").read_text(),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    desk = json.loads(made.stdout.strip().splitlines()[-1])

    vcl = work / "default.vcl"
    vcl.write_text(
        re.sub(r'\.port = "\d+";', f'.port = "{app_port}";', VCL.read_text(), count=1)
    )
    # One worker: the app's own cache is per process without Redis.
    gunicorn = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "newsdesk.wsgi",
            "--bind",
            f"127.0.0.1:{app_port}",
            "--workers",
            "1",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    varnish = subprocess.Popen(
        [
            VARNISHD,
            "-F",
            "-j",
            "none",
            "-n",
            str(work / "varnish"),
            "-a",
            f"127.0.0.1:{edge_port}",
            "-T",
            "none",
            "-s",
            "malloc,32m",
            "-f",
            str(vcl),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _wait_for(f"http://127.0.0.1:{app_port}/robots.txt")
        _wait_for(f"http://127.0.0.1:{edge_port}/robots.txt")
        yield {
            "app": f"http://127.0.0.1:{app_port}",
            "edge": f"http://127.0.0.1:{edge_port}",
            **desk,
        }
    finally:
        for process in (varnish, gunicorn):
            os.killpg(process.pid, signal.SIGTERM)
        for process in (varnish, gunicorn):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def _get(edge, path: str, **headers) -> Answer:
    return _request(edge["edge"] + path, headers=headers)


def _warm(edge, path: str) -> Answer:
    _get(edge, path)
    answer = _get(edge, path)
    assert answer.status == 200, (path, answer.status)
    assert answer.edge == "HIT", (path, answer.edge)
    return answer


def test_publishing_purges_exactly_its_pages_at_the_edge(edge):
    purged = [
        "/",
        "/topics/prisons/",
        "/feeds/topics/prisons/rss/",
        "/feeds/latest/rss/",
    ]
    # A client paging through the API: the first page changes, the second
    # (an older window of the list, behind a cursor) does not.
    first_page = "/api/v1/articles/?page_size=1"
    second_page = _path(json.loads(_get(edge, first_page).body)["next"])
    purged.append(first_page)
    kept = [edge["other"], edge["lead"] + "?utm_source=newsletter", second_page]
    for path in purged + kept:
        assert "Breaking at the prison" not in _warm(edge, path).text

    published = _request(
        f"{edge['app']}/api/v1/articles/{edge['draft_id']}/publish/",
        method="POST",
        headers={
            "Authorization": f"Token {edge['token']}",
            "Content-Type": "application/json",
        },
        data=b"{}",
    )
    assert published.status == 200, published.text
    page = urlsplit(json.loads(published.body)["page_url"]).path

    for path in purged:
        answer = _get(edge, path)
        assert answer.edge == "MISS", path
        assert "Breaking at the prison" in answer.text, path
    story = _get(edge, page)
    assert story.status == 200 and "Breaking at the prison" in story.text
    for path in kept:
        assert _get(edge, path).edge == "HIT", path


def test_head_is_answered_without_a_body_through_the_edge(edge):
    head = _request(edge["app"] + edge["lead"], method="HEAD")
    get = _request(edge["app"] + edge["lead"])
    assert head.status == get.status == 200
    assert head.body == b""
    assert head.headers["Content-Type"] == get.headers["Content-Type"]
    assert head.headers["ETag"] == get.headers["ETag"]


def test_drafts_previews_staff_and_cookies_are_never_stored(edge):
    never = [
        ({}, edge["secret"], 404),
        ({}, edge["share"], 200),
        ({"Cookie": f"sessionid={edge['session']}"}, edge["lead"], 200),
        ({"Cookie": f"sessionid={edge['session']}"}, edge["secret"], 200),
        ({}, "/edge-probe/cookie/", 200),
    ]
    for headers, path, status in never:
        for _ in range(3):
            answer = _get(edge, path, **headers)
            assert answer.status == status, (path, answer.status)
            assert answer.edge != "HIT", (path, headers)
    # The signed-in reader's page did not leak into what anonymous readers get.
    anonymous = _get(edge, edge["secret"])
    assert anonymous.status == 404 and "Still a secret draft" not in anonymous.text
    cookie = _get(edge, "/edge-probe/cookie/")
    assert "chosen=yes" in cookie.headers.get("Set-Cookie", "")


def test_tracking_parameters_share_the_clean_answer_and_unknown_ones_redirect(edge):
    clean = edge["other"]
    _warm(edge, clean)
    for query in (
        "utm_source=twitter&utm_medium=social&utm_campaign=share-1",
        "fbclid=IwAR0000002a",
        "utm_source=newsletter&utm_medium=email&mc_cid=00002b&mc_eid=002b",
        "gclid=Cj0K0000002c",
        "UTM_Source=x&ref=home",
    ):
        answer = _get(edge, f"{clean}?{query}")
        assert (answer.status, answer.edge) == (200, "HIT"), query
    # A parameter no page reads is answered with the clean address, never a
    # page of its own per value.
    for n in range(3):
        moved = _get(edge, f"{clean}?x={n}&utm_source=y")
        assert moved.status == 301, n
        assert urlsplit(moved.headers["Location"]).path == clean
        assert "x=" not in moved.headers["Location"]


def test_readers_languages_fold_to_the_sites_own_so_one_copy_serves_each(edge):
    page = edge["other"]
    english = _warm(edge, page)
    assert 'data-format-lang="en"' in english.text
    # Languages the site does not write, and English in any variant, share the
    # English copy.
    for header in ("en-GB,en;q=0.9", "pt-BR,pt;q=0.9", "EN-us", "*"):
        answer = _get(edge, page, **{"Accept-Language": header})
        assert (answer.status, answer.edge) == (200, "HIT"), header
    # The first of the site's languages the reader asks for, wherever it stands.
    french = _get(edge, page, **{"Accept-Language": "pt-BR,pt;q=0.9,fr;q=0.8"})
    assert french.status == 200 and 'data-format-lang="fr"' in french.text
    for header in ("fr-FR,fr;q=0.9,en;q=0.8", "fr", "fr-CA"):
        answer = _get(edge, page, **{"Accept-Language": header})
        assert answer.edge == "HIT", header
        assert 'data-format-lang="fr"' in answer.text, header
