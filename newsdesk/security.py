"""Who is asking: the client address, trusted only as far as our own proxies."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """Return the client's IP address, or None when the request carries none.

    Behind `NEWSDESK_TRUSTED_PROXIES` load balancers, the address is read from
    X-Forwarded-For, counting from the right, so a client cannot forge its own
    entry; otherwise REMOTE_ADDR. Anything that is not an IP address is ignored.
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR") or "")
    hops = settings.NEWSDESK_TRUSTED_PROXIES
    if hops <= 0:
        return remote
    forwarded = [
        part
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < hops:
        return remote
    return _valid_ip(forwarded[-hops]) or remote
