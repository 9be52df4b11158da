"""Redis away: pages and the API answer from the database, and recover when it returns.

The first tests point the cache at a port nobody listens on; the last starts a
throwaway redis-server, stops it mid-run and starts it again.
"""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import time

import pytest

from newsdesk import resilient_cache
from newsdesk.resilient_cache import ResilientRedisCache
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_cache_settings(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "newsdesk.resilient_cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
            "KEY_PREFIX": "newsdesk-outage-test",
        }
    }


@pytest.fixture
def warnings_now(monkeypatch):
    """Every degraded call may warn again (the interval is per process)."""
    monkeypatch.setattr(ResilientRedisCache, "_warned_at", float("-inf"))


def test_an_unreachable_redis_answers_like_an_empty_cache(caplog, warnings_now):
    cache = ResilientRedisCache(f"redis://127.0.0.1:{_free_port()}/0", {})
    with caplog.at_level(logging.WARNING, logger="newsdesk.cache"):
        assert cache.get("key", "default") == "default"
        assert cache.get_many(["a", "b"]) == {}
        assert cache.add("key", 1) is False
        cache.set("key", 1)
        assert cache.set_many({"a": 1}) == ["a"]
        assert cache.incr("counter") == 1
        assert cache.has_key("key") is False
        assert cache.delete("key") is False
    assert "Cache unavailable" in caplog.text
    assert len(caplog.records) == 1, "one warning, not one per call"


def test_pages_and_api_answer_without_redis(client, settings, caplog, warnings_now):
    settings.CACHES = _redis_cache_settings(_free_port())
    article = ArticleFactory(published=True, headline="Still served")
    with caplog.at_level(logging.WARNING, logger="newsdesk.cache"):
        for url in ("/", article.get_absolute_url(), "/api/v1/articles/"):
            for _ in range(2):
                response = client.get(url)
                assert response.status_code == 200, url
        assert "Still served" in client.get("/").content.decode()
    assert "Cache unavailable" in caplog.text


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server")
def test_pages_keep_answering_while_redis_stops_and_hit_again_once_back(
    client, settings, warnings_now
):
    port = _free_port()

    def start() -> subprocess.Popen:
        server = subprocess.Popen(
            ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    return server
            time.sleep(0.05)
        server.kill()
        raise RuntimeError("redis-server did not start")

    settings.CACHES = _redis_cache_settings(port)
    article = ArticleFactory(published=True)
    urls = ["/", article.get_absolute_url(), "/api/v1/articles/"]
    server = start()
    try:
        for url in urls:
            client.get(url)
            assert client.get(url).get("X-Cache") == "HIT", url
        server.terminate()
        server.wait(timeout=10)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.get("X-Cache") != "HIT", url
        server = start()
        for url in urls:
            assert client.get(url).status_code == 200
            assert client.get(url).get("X-Cache") == "HIT", url
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert resilient_cache.ResilientRedisCache._warned_at > float("-inf")
