"""Edge purge backends, each against a local fake of its provider's HTTP API."""

import logging
import threading

import pytest
from django.db import transaction

from newsdesk.http import backends, purge
from tests.factories import ArticleFactory

TAGS = ["article:42", "list:articles", "topic:syria"]


def test_varnish_sends_an_xkey_purge_to_every_edge_node(fake_edge):
    backend = backends.VarnishBackend(urls=[fake_edge.url + "/", fake_edge.url + "/"])
    assert backend.purge(TAGS)
    assert [r["method"] for r in fake_edge.requests] == ["PURGE", "PURGE"]
    assert fake_edge.requests[0]["headers"]["xkey-purge"] == " ".join(sorted(TAGS))


def test_varnish_soft_purge_uses_its_own_header(fake_edge):
    backends.VarnishBackend(urls=[fake_edge.url], soft=True).purge(TAGS)
    assert "xkey-softpurge" in fake_edge.requests[0]["headers"]


def test_fastly_purges_by_surrogate_key(fake_edge):
    backend = backends.FastlyBackend(
        api_url=fake_edge.url, service_id="SVC1", token="secret-token", soft=True
    )
    assert backend.purge(TAGS)
    (request,) = fake_edge.requests
    assert request["method"] == "POST"
    assert request["path"] == "/service/SVC1/purge"
    assert request["headers"]["fastly-key"] == "secret-token"
    assert request["headers"]["surrogate-key"].split() == sorted(TAGS)
    assert request["headers"]["fastly-soft-purge"] == "1"


def test_cloudflare_purges_by_cache_tag_in_batches_of_thirty(fake_edge):
    backend = backends.CloudflareBackend(
        api_url=fake_edge.url, zone_id="ZONE9", token="cf-token"
    )
    many = [f"article:{n}" for n in range(45)]
    assert backend.purge(many)
    assert [r["path"] for r in fake_edge.requests] == ["/zones/ZONE9/purge_cache"] * 2
    sent = [tag for r in fake_edge.requests for tag in r["body"]["tags"]]
    assert sorted(sent) == sorted(many)
    assert [len(r["body"]["tags"]) for r in fake_edge.requests] == [30, 15]
    assert fake_edge.requests[0]["headers"]["authorization"] == "Bearer cf-token"


def test_cloudflare_refusal_is_reported(fake_edge, caplog):
    fake_edge.body = {"success": False, "errors": [{"message": "bad token"}]}
    backend = backends.CloudflareBackend(api_url=fake_edge.url, zone_id="Z", token="t")
    with caplog.at_level(logging.WARNING, logger="newsdesk.http.purge"):
        assert not backend.purge(TAGS)
    assert "refused" in caplog.text


def test_an_unreachable_or_failing_edge_never_raises(fake_edge, caplog):
    fake_edge.status = 503
    with caplog.at_level(logging.WARNING, logger="newsdesk.http.purge"):
        assert not backends.VarnishBackend(urls=[fake_edge.url]).purge(TAGS)
        closed = backends.VarnishBackend(urls=["http://127.0.0.1:9/"])
        closed.timeout = 0.5
        assert not closed.purge(TAGS)
    assert caplog.text.count("Edge purge") == 2


@pytest.mark.parametrize(
    ("name", "cls"),
    [
        ("varnish", backends.VarnishBackend),
        ("fastly", backends.FastlyBackend),
        ("cloudflare", backends.CloudflareBackend),
    ],
)
def test_the_backend_is_chosen_by_settings(settings, name, cls):
    settings.NEWSDESK_EDGE_BACKEND = name
    assert isinstance(backends.edge_backend(), cls)
    settings.NEWSDESK_EDGE_BACKEND = ""
    assert backends.edge_backend() is None


@pytest.mark.django_db(transaction=True)
def test_a_write_purges_the_edge_once_after_commit(settings, fake_edge):
    settings.NEWSDESK_EDGE_BACKEND = "varnish"
    settings.NEWSDESK_VARNISH_URLS = [fake_edge.url]
    with transaction.atomic():
        article = ArticleFactory(published=True)
        article.headline = "Edited in the same transaction"
        article.save()
        assert fake_edge.requests == []  # nothing leaves before the commit
    (request,) = fake_edge.requests
    sent = set(request["headers"]["xkey-purge"].split())
    assert {f"article:{article.pk}", "list:articles"} <= sent


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_purges_nothing_at_the_edge(settings, fake_edge):
    settings.NEWSDESK_EDGE_BACKEND = "varnish"
    settings.NEWSDESK_VARNISH_URLS = [fake_edge.url]
    with pytest.raises(RuntimeError), transaction.atomic():
        ArticleFactory(published=True)
        raise RuntimeError("rolled back")
    assert fake_edge.requests == []
    purge.invalidate(["list:topics"])
    (request,) = fake_edge.requests
    assert "list:topics" in request["headers"]["xkey-purge"]


@pytest.mark.django_db(transaction=True)
def test_the_edge_is_purged_again_once_a_render_begun_before_the_commit_has_ended(
    settings, fake_edge
):
    # A reader's render that read the old rows can reach the edge after the
    # first purge and be stored; the second purge, a moment later, clears it.
    settings.NEWSDESK_EDGE_BACKEND = "varnish"
    settings.NEWSDESK_VARNISH_URLS = [fake_edge.url]
    settings.NEWSDESK_EDGE_REPURGE_SECONDS = 0.2
    with transaction.atomic():
        article = ArticleFactory(published=True)
    (first,) = fake_edge.requests
    assert f"article:{article.pk}" in first["headers"]["xkey-purge"].split()
    for timer in threading.enumerate():
        if timer.name == "edge-repurge":
            timer.join(timeout=5)
    first_again, second = fake_edge.requests
    assert second["headers"]["xkey-purge"] == first["headers"]["xkey-purge"]


@pytest.mark.django_db
def test_no_second_edge_purge_when_its_delay_is_zero(settings, fake_edge):
    settings.NEWSDESK_EDGE_BACKEND = "varnish"
    settings.NEWSDESK_VARNISH_URLS = [fake_edge.url]
    settings.NEWSDESK_EDGE_REPURGE_SECONDS = 0
    purge.purge_now({"list:topics"})
    assert not [t for t in threading.enumerate() if t.name == "edge-repurge"]
    assert len(fake_edge.requests) == 1
