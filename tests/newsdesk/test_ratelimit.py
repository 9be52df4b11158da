"""One rate-limit mechanism: fixed windows in the shared cache, for comments and the API."""

from types import SimpleNamespace

import pytest

from newsdesk import ratelimit
from newsdesk.ratelimit import rate_limit_hit
from newsdesk.views import COMMENT_RATE_LIMIT, COMMENT_RATE_WINDOW
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_a_window_allows_exactly_its_limit_then_starts_again():
    start = 1_000_000 * 60
    hits = [
        rate_limit_hit(key="k", limit=2, window=60, now=start + i) for i in range(3)
    ]
    assert [h.allowed for h in hits] == [True, True, False]
    assert hits[-1].retry_after == 58
    assert rate_limit_hit(key="k", limit=2, window=60, now=start + 60).allowed
    assert rate_limit_hit(key="other", limit=2, window=60, now=start + 2).allowed


def test_comments_and_api_both_count_with_it(client, api_client, settings, monkeypatch):
    """Both answer 429 with the seconds left in the same kind of window."""
    moment = COMMENT_RATE_WINDOW * 3000 + COMMENT_RATE_WINDOW - 42
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: moment))
    article = ArticleFactory(published=True)
    url = f"{article.get_absolute_url()}comments/"
    form = {"name": "Ann", "email": "ann@example.org", "body": "Thank you."}
    for _ in range(COMMENT_RATE_LIMIT):
        assert client.post(url, form).status_code == 302
    refused = client.post(url, form)
    assert (refused.status_code, refused["Retry-After"]) == (429, "42")

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute", "user": "1000/minute"},
    }
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "timer", lambda self: moment)
    assert api_client.get("/api/v1/topics/").status_code == 200
    throttled = api_client.get("/api/v1/topics/")
    assert (throttled.status_code, throttled["Retry-After"]) == (429, "42")
