"""Brute-force protection on the admin login, and the proxy-aware client address."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from newsdesk.security import client_ip


def _attempt(client, password, ip="203.0.113.9"):
    return client.post(
        reverse("admin:login"),
        {"username": "eddie-editor", "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


@pytest.mark.django_db
def test_repeated_wrong_passwords_lock_the_account_for_that_address(
    client, editor, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _attempt(client, "wrong").status_code == 200
    locked = _attempt(client, "wrong")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    # Even the right password is refused while locked...
    assert _attempt(client, "correct-horse-battery").status_code == 429
    # ...but the same account from another address still works.
    assert (
        _attempt(client, "correct-horse-battery", ip="198.51.100.7").status_code == 302
    )


@pytest.mark.django_db
def test_a_successful_login_resets_the_count(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _attempt(client, "wrong")
    assert _attempt(client, "correct-horse-battery").status_code == 302
    client.logout()
    assert _attempt(client, "wrong").status_code == 200


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.1.1.1", "10.0.0.2"),  # not behind a proxy: the header is ignored
        (1, "6.6.6.6, 1.1.1.1", "1.1.1.1"),  # the proxy appended the real client last
        (2, "6.6.6.6, 1.1.1.1, 10.0.0.5", "1.1.1.1"),
        (1, "", "10.0.0.2"),
        (1, "not-an-address", "10.0.0.2"),  # garbage never becomes the client
    ],
)
def test_client_ip_trusts_only_our_own_proxies(settings, proxies, forwarded, expected):
    settings.NEWSDESK_TRUSTED_PROXIES = proxies
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded
    )
    assert client_ip(request) == expected


def test_client_ip_is_none_without_an_address(settings):
    settings.NEWSDESK_TRUSTED_PROXIES = 0
    request = RequestFactory().get("/")
    request.META.pop("REMOTE_ADDR", None)
    assert client_ip(request) is None
