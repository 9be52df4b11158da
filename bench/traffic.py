"""Real traffic on a generated archive: the mix readers, API clients and an editor make.

    python -m bench.traffic --database-url sqlite:///bench/.data/bench-100000.sqlite3
    python -m bench.traffic --database-url postgres://…/nd_bench_100000 --redis-url redis://…
    python -m bench.traffic --database-url … --varnish http://127.0.0.1:6081   # also via the edge
    python -m bench.traffic --database-url … --soak 300        # 5 minutes at 50 connections

The archive comes from `bench.run --reuse` or `bench.generate`. Requests
follow a fixed, seeded mix (`MIX`): article pages drawn from a Zipf
distribution over every published article, newest first (a few hot stories, a
long tail), 30 % of them with tracking parameters as links from social media
and newsletters carry; the home page; topic pages; API clients paging through
the article and incident lists. While it runs, an editor publishes a new
article or corrects a published one every 10 s through the API. The app is
served by gunicorn with `bench.settings` on a free port (or `--base` names a
server already running); `--varnish` repeats the run through an edge cache
in front of that app. Reported: throughput, p50/p99, the cache hit ratio
(`X-Cache: HIT`, or `Age` above 0 from the edge) and every status. The soak
also compares worker memory, open sockets and database connections before
and after. Results go to `bench/results/traffic.*`; nothing here runs in CI.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import os
import random
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.load import run_wrk, start_gunicorn, stop, wait_idle
from bench.support import (
    RESULTS_DIR,
    children_of,
    collect_static,
    free_port,
    log,
    worker_memory,
)

# Share of requests per kind; article reads split again by TRACKED_SHARE.
MIX = {"article": 0.70, "home": 0.10, "topic": 0.08, "api": 0.12}
TRACKED_SHARE = 0.30
ZIPF_EXPONENT = 1.1
MIX_LENGTH = 60_000
EDITOR_INTERVAL = 10.0
API_PAGES = 5
TRACKING = (
    "utm_source=twitter&utm_medium=social&utm_campaign=share-{n}",
    "fbclid=IwAR{n:08x}",
    "utm_source=newsletter&utm_medium=email&mc_cid={n:06x}&mc_eid={n:04x}",
    "gclid=Cj0K{n:08x}",
)


def archive_sample(database_url: str) -> dict[str, Any]:
    """Article and topic URLs (newest first) and an editor's API token."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from newsdesk.models import Article, Person, Topic
    from newsdesk.roles import EDITOR, roles_sync

    articles = [
        a.get_absolute_url()
        for a in Article.objects.published()
        .order_by("-publish_at", "-id")
        .only("slug", "publish_at", "created_at")
        .iterator(chunk_size=5000)
    ]
    roles_sync()
    user, _ = get_user_model().objects.get_or_create(
        username="traffic-editor", defaults={"is_staff": True}
    )
    user.groups.add(Group.objects.get(name=EDITOR))
    return {
        "articles": articles,
        "topics": [t.get_absolute_url() for t in Topic.objects.order_by("id")],
        "token": Token.objects.get_or_create(user=user)[0].key,
        "person": Person.objects.order_by("id").values_list("pk", flat=True).first(),
    }


def api_pages(base: str) -> list[str]:
    """The first pages of the API lists, as a client paging through them asks."""
    import requests

    pages = []
    for start in ("/api/v1/articles/?page_size=20", "/api/v1/incidents/?page_size=20"):
        url = base + start
        for _ in range(API_PAGES):
            response = requests.get(url, timeout=30)
            if response.status_code != 200:
                break
            pages.append(url.removeprefix(base))
            url = (response.json() or {}).get("next")
            if not url:
                break
            url = base + url[url.index("/api/") :]
    return pages


def build_mix(sample: dict[str, Any], api: list[str], *, seed: int = 13) -> list[str]:
    """`MIX_LENGTH` request paths in a seeded order with the shares of `MIX`."""
    rng = random.Random(seed)
    articles, topics = sample["articles"], sample["topics"] or ["/"]
    weights = list(
        itertools.accumulate(1 / k**ZIPF_EXPONENT for k in range(1, len(articles) + 1))
    )
    topic_weights = list(itertools.accumulate(1 / k for k in range(1, len(topics) + 1)))
    kinds = rng.choices(list(MIX), weights=list(MIX.values()), k=MIX_LENGTH)
    paths = []
    for n, kind in enumerate(kinds):
        if kind == "article":
            index = bisect.bisect(weights, rng.random() * weights[-1])
            path = articles[min(index, len(articles) - 1)]
            if rng.random() < TRACKED_SHARE:
                path += "?" + rng.choice(TRACKING).format(n=n)
        elif kind == "topic":
            path = topics[
                min(
                    bisect.bisect(topic_weights, rng.random() * topic_weights[-1]),
                    len(topics) - 1,
                )
            ]
        elif kind == "api" and api:
            path = rng.choice(api)
        else:
            path = "/"
        paths.append(path)
    return paths


class Editor(threading.Thread):
    """Publishes a new article or corrects a published one every 10 s, via the API."""

    def __init__(self, base: str, sample: dict[str, Any]) -> None:
        super().__init__(daemon=True)
        self.base, self.sample = base, sample
        self.stopping = threading.Event()
        self.done: list[str] = []
        self.failed: list[str] = []

    def _act(self, n: int) -> None:
        import requests

        headers = {"Authorization": f"Token {self.sample['token']}"}
        api = f"{self.base}/api/v1/articles/"
        if n % 2 == 0:
            created = requests.post(
                api,
                json={
                    "headline": f"Breaking: traffic run story {n} {time.time():.0f}",
                    "body": "A new story, published while readers read.",
                    "authors": [self.sample["person"]],
                },
                headers=headers,
                timeout=30,
            )
            created.raise_for_status()
            requests.post(
                f"{api}{created.json()['id']}/publish/",
                json={},
                headers=headers,
                timeout=30,
            ).raise_for_status()
            self.done.append("published")
            return
        listing = requests.get(f"{api}?page_size=1", headers=headers, timeout=30)
        listing.raise_for_status()
        article = listing.json()["results"][0]
        detail = requests.get(f"{api}{article['id']}/", headers=headers, timeout=30)
        requests.patch(
            f"{api}{article['id']}/",
            json={"standfirst": f"Corrected at {time.time():.0f}."},
            headers={**headers, "If-Match": detail.headers.get("ETag", "")},
            timeout=30,
        ).raise_for_status()
        self.done.append("corrected")

    def run(self) -> None:
        for n in itertools.count():
            if self.stopping.wait(EDITOR_INTERVAL):
                return
            try:
                self._act(n)
            except Exception as error:
                self.failed.append(f"{type(error).__name__}: {error}"[:200])


def _sockets(pids: list[int]) -> int:
    count = 0
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").glob("*"):
            try:
                count += os.readlink(fd).startswith("socket:")
            except OSError:
                continue
    return count


def _db_connections() -> int | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        )
        return cursor.fetchone()[0] - 1  # this process's own


def measure(base: str, mix_file: Path, *, seconds: int, connections: int) -> dict:
    """One wrk run of the mix, with the editor at work; throughput, latency, hits."""
    result = run_wrk(
        base + "/",
        duration=seconds,
        connections=connections,
        threads=2,
        paths=[f"@{mix_file}"],
    )
    requests_done = result["requests"] or 1
    result["hit_ratio"] = round(result.get("hits", 0) / requests_done, 3)
    return result


def _line(name: str, r: dict) -> str:
    lat = r["latency_ms"]
    return (
        f"{name}: {r['rps']:.0f} req/s, p50 {lat['p50']} ms, p99 {lat['p99']} ms, "
        f"hit ratio {r['hit_ratio']:.1%}, {r['error_count']} socket errors, "
        f"statuses {r['statuses']}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--base", default="", help="a running app (default: start one)")
    parser.add_argument(
        "--varnish", default="", help="an edge cache in front of the app"
    )
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--soak", type=int, default=0, help="soak seconds at 50 connections"
    )
    args = parser.parse_args(argv)
    if args.redis_url:
        os.environ["REDIS_URL"] = args.redis_url

    if not args.base:
        collect_static(args.database_url)
    log("sampling the archive")
    sample = archive_sample(args.database_url)
    server = None
    base = args.base.rstrip("/")
    if not base:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        workdir = Path(tempfile.mkdtemp(prefix="traffic-"))
        spec = {"workers": args.workers, "database_url": args.database_url}
        server = start_gunicorn(
            spec, port, workdir / "gunicorn.log", app_log=workdir / "app.log"
        )
    results: dict[str, Any] = {
        "articles": len(sample["articles"]),
        "mix": MIX,
        "tracked_share": TRACKED_SHARE,
        "zipf_exponent": ZIPF_EXPONENT,
        "runs": {},
    }
    editor = Editor(base, sample)
    try:
        mix_file = Path(tempfile.mkstemp(prefix="mix-", suffix=".txt")[1])
        mix_file.write_text("\n".join(build_mix(sample, api_pages(base))) + "\n")
        targets = {
            "app": base,
            **({"varnish": args.varnish.rstrip("/")} if args.varnish else {}),
        }
        editor.start()
        for name, url in targets.items():
            log(
                f"{name}: warm-up, then {args.duration} s at {args.connections} connections"
            )
            measure(url, mix_file, seconds=5, connections=args.connections)
            wait_idle(url)
            results["runs"][name] = measure(
                url, mix_file, seconds=args.duration, connections=args.connections
            )
            log(_line(name, results["runs"][name]))
        if args.soak:
            results["soak"] = soak(base, mix_file, args.soak, server)
            log(f"soak: {results['soak']['line']}")
    finally:
        editor.stopping.set()
        editor.join(timeout=30)
        if server is not None:
            stop(server)
    results["editor"] = {"done": editor.done, "failed": editor.failed}
    write(results)
    failed = editor.failed or (results.get("soak") or {}).get("ok") is False
    return 1 if failed else 0


def soak(base: str, mix_file: Path, seconds: int, server: Any) -> dict[str, Any]:
    """`seconds` at 50 connections: errors, memory and open connections before and after."""
    pids = children_of(server.pid) if server else []
    before = {
        "memory": worker_memory(server.pid) if server else {},
        "sockets": _sockets(pids),
        "db_connections": _db_connections(),
    }
    run = measure(base, mix_file, seconds=seconds, connections=50)
    wait_idle(base)
    after = {
        "memory": worker_memory(server.pid) if server else {},
        "sockets": _sockets(children_of(server.pid) if server else []),
        "db_connections": _db_connections(),
    }
    rss_before = before["memory"].get("rss_kb", [])
    rss_after = after["memory"].get("rss_kb", [])
    growth = max(
        (
            round((a - b) / b * 100, 1)
            for b, a in zip(rss_before, rss_after, strict=False)
            if b
        ),
        default=None,
    )
    errors = run["error_count"] + sum(
        n for status, n in run["statuses"].items() if str(status).startswith("5")
    )
    ok = (
        errors == 0
        and (growth is None or growth <= 10)
        and after["sockets"] <= before["sockets"] + 2
        and (after["db_connections"] or 0) <= (before["db_connections"] or 0) + 2
    )
    return {
        "seconds": seconds,
        "run": run,
        "before": before,
        "after": after,
        "max_rss_growth_percent": growth,
        "errors": errors,
        "ok": ok,
        "line": (
            f"{run['requests']} requests, {errors} errors, worker RSS growth "
            f"{growth} %, sockets {before['sockets']} → {after['sockets']}, "
            f"database connections {before['db_connections']} → {after['db_connections']}"
        ),
    }


def write(results: dict[str, Any]) -> None:
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "traffic.json").write_text(json.dumps(results, indent=2) + "\n")
    lines = [
        "# Traffic mix",
        "",
        f"{results['articles']:,} published articles; mix {results['mix']}, "
        f"{results['tracked_share']:.0%} of article reads with tracking parameters, "
        f"Zipf exponent {results['zipf_exponent']}; editor: "
        f"{len(results['editor']['done'])} actions, {len(results['editor']['failed'])} failed.",
        "",
    ]
    lines += [f"- {_line(name, run)}" for name, run in results["runs"].items()]
    if results.get("soak"):
        lines.append(
            f"- soak {results['soak']['seconds']} s at 50 connections: {results['soak']['line']}"
        )
    (RESULTS_DIR / "traffic.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    raise SystemExit(main())
