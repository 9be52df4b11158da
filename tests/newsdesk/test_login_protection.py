"""Brute-force protection on the admin login, and the proxy-aware client address."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from newsdesk.security import client_ip


def _attempt(client, password, ip="203.0.113.9", username="eddie-editor"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


@pytest.mark.django_db
def test_one_address_guessing_many_usernames_is_locked_out(client, editor, settings):
    threshold = settings.NEWSDESK_LOGIN_ADDRESS_FAILURE_LIMIT
    assert threshold > settings.AXES_FAILURE_LIMIT
    for n in range(threshold - 1):
        assert _attempt(client, "wrong", username=f"guess-{n}").status_code == 200
    # Below the address's threshold the real account still signs in from there.
    assert _attempt(client, "correct-horse-battery").status_code == 302
    client.logout()

    locked = _attempt(client, "wrong", username="one-more-guess")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    # Now every username from that address is refused, even with its password...
    assert _attempt(client, "correct-horse-battery").status_code == 429
    # ...and the same account from another address is not.
    assert (
        _attempt(client, "correct-horse-battery", ip="198.51.100.7").status_code == 302
    )


@pytest.mark.django_db
def test_a_success_does_not_clear_an_address_guesses_at_other_accounts(
    client, editor, settings
):
    threshold = settings.NEWSDESK_LOGIN_ADDRESS_FAILURE_LIMIT
    for n in range(threshold - 1):
        _attempt(client, "wrong", username=f"guess-{n}")
    assert _attempt(client, "correct-horse-battery").status_code == 302
    client.logout()
    assert _attempt(client, "wrong", username="guess-last").status_code == 429


@pytest.mark.django_db
def test_a_few_typos_from_a_shared_address_lock_only_that_account(
    client, editor, reporter, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, "wrong")
    assert _attempt(client, "correct-horse-battery").status_code == 429
    assert (
        _attempt(
            client, "correct-horse-battery", username=reporter.username
        ).status_code
        == 302
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
