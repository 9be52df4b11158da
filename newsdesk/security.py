"""Who is asking: the client address, trusted only as far as our own proxies."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """Return the client's IP address.

    Behind `NEWSDESK_TRUSTED_PROXIES` load balancers, the address is read from
    X-Forwarded-For, counting from the right, so a client cannot forge its own
    entry; otherwise REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    hops = settings.NEWSDESK_TRUSTED_PROXIES
    if hops <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < hops:
        return remote
    return forwarded[-hops]
