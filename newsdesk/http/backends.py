"""Edge purge backends: Varnish (xkey), Fastly and Cloudflare purge by tag.

`NEWSDESK_EDGE_BACKEND` names one (`varnish`, `fastly`, `cloudflare`; empty
for none); each reads its own settings. A failed purge is logged and never
fails the write that caused it: the edge then serves the old copy until its
`s-maxage` runs out.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("newsdesk.http.purge")

BACKENDS = {
    "varnish": "newsdesk.http.backends.VarnishBackend",
    "fastly": "newsdesk.http.backends.FastlyBackend",
    "cloudflare": "newsdesk.http.backends.CloudflareBackend",
}


class PurgeBackend:
    """Purges tagged answers at the edge; subclasses send `purge_batch` requests."""

    #: Most tags one request may name (the provider's limit).
    batch_size = 100
    timeout = 5.0

    def purge(self, tags: Iterable[str]) -> bool:
        """Purge every answer carrying any of `tags`; False if any request failed."""
        tags = sorted(set(tags))
        ok = True
        for start in range(0, len(tags), self.batch_size):
            batch = tags[start : start + self.batch_size]
            try:
                self.purge_batch(batch)
            except (OSError, urllib.error.URLError, ValueError) as error:
                ok = False
                logger.warning(
                    "Edge purge of %d tag(s) through %s failed: %s",
                    len(batch),
                    type(self).__name__,
                    error,
                )
        return ok

    def purge_batch(self, tags: Sequence[str]) -> None:
        raise NotImplementedError

    def _send(self, request: urllib.request.Request) -> bytes:
        with urllib.request.urlopen(request, timeout=self.timeout) as answer:
            if not 200 <= answer.status < 300:
                raise ValueError(f"{request.full_url} answered {answer.status}")
            return answer.read()


@dataclass
class VarnishBackend(PurgeBackend):
    """HTTP `PURGE` with an `xkey-purge` header to every Varnish of the edge.

    The VCL in `deploy/varnish/default.vcl` accepts it from its purgers ACL.
    """

    urls: Sequence[str] = field(
        default_factory=lambda: settings.NEWSDESK_VARNISH_URLS or ()
    )
    soft: bool = field(default_factory=lambda: settings.NEWSDESK_EDGE_SOFT_PURGE)

    def purge_batch(self, tags: Sequence[str]) -> None:
        header = "xkey-softpurge" if self.soft else "xkey-purge"
        for url in self.urls:
            self._send(
                urllib.request.Request(
                    url, method="PURGE", headers={header: " ".join(tags)}
                )
            )


@dataclass
class FastlyBackend(PurgeBackend):
    """Fastly's purge by surrogate key: `POST /service/{id}/purge`, 256 keys a call."""

    batch_size = 256
    api_url: str = field(default_factory=lambda: settings.NEWSDESK_FASTLY_API_URL)
    service_id: str = field(default_factory=lambda: settings.NEWSDESK_FASTLY_SERVICE)
    token: str = field(default_factory=lambda: settings.NEWSDESK_FASTLY_TOKEN)
    soft: bool = field(default_factory=lambda: settings.NEWSDESK_EDGE_SOFT_PURGE)

    def purge_batch(self, tags: Sequence[str]) -> None:
        headers = {
            "Fastly-Key": self.token,
            "Surrogate-Key": " ".join(tags),
            "Accept": "application/json",
        }
        if self.soft:
            headers["Fastly-Soft-Purge"] = "1"
        self._send(
            urllib.request.Request(
                f"{self.api_url.rstrip('/')}/service/{self.service_id}/purge",
                method="POST",
                headers=headers,
            )
        )


@dataclass
class CloudflareBackend(PurgeBackend):
    """Cloudflare's purge by cache tag: `POST /zones/{id}/purge_cache`, 30 tags a call."""

    batch_size = 30
    api_url: str = field(default_factory=lambda: settings.NEWSDESK_CLOUDFLARE_API_URL)
    zone_id: str = field(default_factory=lambda: settings.NEWSDESK_CLOUDFLARE_ZONE)
    token: str = field(default_factory=lambda: settings.NEWSDESK_CLOUDFLARE_TOKEN)

    def purge_batch(self, tags: Sequence[str]) -> None:
        body = self._send(
            urllib.request.Request(
                f"{self.api_url.rstrip('/')}/zones/{self.zone_id}/purge_cache",
                method="POST",
                data=json.dumps({"tags": list(tags)}).encode(),
                headers={
                    "Authorization": f"Bearer {self.token}",
                    "Content-Type": "application/json",
                },
            )
        )
        if not json.loads(body or b"{}").get("success", False):
            raise ValueError(f"Cloudflare refused the purge: {body[:200]!r}")


def edge_backend() -> PurgeBackend | None:
    """The configured purge backend, or None when no edge cache is in front."""
    name = settings.NEWSDESK_EDGE_BACKEND
    if not name:
        return None
    return import_string(BACKENDS.get(name, name))()
