"""Real traffic on a generated archive: the mix readers, API clients and an editor make.

    python -m bench.traffic --database-url postgres://…/nd_bench_100000 \\
        --redis-url redis://127.0.0.1:6379/8 --edge            # app alone, then behind Varnish
    python -m bench.traffic --database-url … --soak 300        # 5 minutes at 50 connections

The archive comes from `bench.run --reuse` or `bench.generate`. Requests
follow one seeded stream (`bench/mix.py`): article pages drawn from a Zipf
distribution over every published article, newest first (a few hot stories,
a long tail), 30 % of them with tracking parameters as links from social
media and newsletters carry; the home page; topic pages; API clients paging
through the article and incident lists. While it runs, an editor publishes a
new article or corrects a published one every 10 s through the API (purging
the app's cache and the edge). The app is served by gunicorn with
`bench.settings`; `--edge` starts varnishd with `deploy/varnish/default.vcl`
in front of it, the app purging it by tag.

Each target is warmed up on the start of the stream and measured on the
stretch that follows: first at saturation (closed loop, `--connections`),
then open-loop at shares of that throughput (`--paced`, Poisson arrivals),
so reader latency at a load below saturation is reported beside the
queueing at saturation. The edge is primed with everything the app was
asked and measured on the stretch after the app's; both are asked under
one public host. Each stretch, with the editor's writes at the times they
happened, is replayed through a model of the old global-version design and
of an ideal cache that never invalidates (the ceiling). Reported:
throughput, p50/p99, hit ratios (the app's `X-Cache`, the edge's
`X-Edge-Cache` and varnishstat), every status, which kinds of URL missed,
the server's time for hits and misses of each kind and what the slowest
1 % of requests were. The soak samples each worker's memory and the open database
connections while it runs. Results go to `bench/results/traffic.*`;
nothing here runs in CI.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench import mix
from bench.edge import Varnish, hit_ratio
from bench.load import run_wrk, start_gunicorn, stop, wait_idle
from bench.soak import soak
from bench.support import RESULTS_DIR, collect_static, free_port, log

EDITOR_INTERVAL = 10.0
API_PAGES = 5
THREADS = 2
# The app's per-request log: request line, the app's cache verdict, status,
# the time the worker took (microseconds) and the reader's Accept-Language.
ACCESS_FORMAT = "%(r)s\t-\t%({x-cache}o)s\t%(s)s\t%(D)s\t%({accept-language}i)s"
# Columns of both per-request logs (the app's and varnishncsa's).
TIME_COLUMN, LANGUAGE_COLUMN = 4, 5
PRIME_MODES = ("stream", "sitemap")
# Shares of the saturation throughput offered open-loop after it.
PACED = (0.5, 0.8)


def archive_sample(database_url: str) -> dict[str, Any]:
    """Article and topic URLs (newest first) and an editor's API token."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    # A copied archive may predate the checkout's newest migrations.
    call_command("migrate", verbosity=0, interactive=False)
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
            response = requests.get(url, timeout=60)
            if response.status_code != 200:
                break
            pages.append(url.removeprefix(base))
            url = (response.json() or {}).get("next")
            if not url:
                break
            url = base + url[url.index("/api/") :]
    return pages


class Editor(threading.Thread):
    """Publishes a new article or corrects a published one every 10 s, via the API.

    A correction stages the live article's pending changes and publishes them.
    """

    def __init__(self, base: str, sample: dict[str, Any]) -> None:
        super().__init__(daemon=True)
        self.base, self.sample = base, sample
        self.stopping = threading.Event()
        self.done: list[tuple[float, str]] = []
        self.failed: list[str] = []

    def _act(self, n: int) -> str:
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
            return "published"
        listing = requests.get(f"{api}?page_size=1", headers=headers, timeout=30)
        listing.raise_for_status()
        article = listing.json()["results"][0]
        detail = requests.get(f"{api}{article['id']}/", headers=headers, timeout=30)
        # A live article's edit is staged as pending changes, then published.
        staged = requests.patch(
            f"{api}{article['id']}/",
            json={"standfirst": f"Corrected at {time.time():.0f}."},
            headers={**headers, "If-Match": detail.headers.get("ETag", "")},
            timeout=30,
        )
        staged.raise_for_status()
        if staged.status_code == 202:
            requests.post(
                f"{api}{article['id']}/publish/",
                json={},
                headers={**headers, "If-Match": staged.headers.get("ETag", "")},
                timeout=30,
            ).raise_for_status()
        return "corrected"

    def run(self) -> None:
        for n in itertools.count():
            if self.stopping.wait(EDITOR_INTERVAL):
                return
            try:
                self.done.append((time.time(), self._act(n)))
            except Exception as error:
                self.failed.append(f"{type(error).__name__}: {error}"[:200])

    def writes(self) -> list[float]:
        return [moment for moment, _ in self.done]


def _wrk(
    url: str,
    stream_file: Path,
    *,
    start: int,
    seconds: int,
    connections: int,
    rate: float = 0.0,
    headers: dict[str, str] | None = None,
):
    began = time.time()
    result = run_wrk(
        url + "/",
        duration=seconds,
        connections=connections,
        threads=THREADS,
        headers=headers,
        paths=[f"@{stream_file}", f"start={start}", f"stride={THREADS}"],
        rate=rate,
    )
    result["started"], result["ended"] = began, time.time()
    return result


def prime(
    url: str,
    paths: list[str],
    connections: int,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Request each of `paths` once, `connections` at a time (the cache's warm-up)."""
    import requests

    todo = iter(paths)
    lock = threading.Lock()
    statuses: Counter = Counter()
    began = time.time()

    def work() -> None:
        session = requests.Session()
        session.headers.update(headers or {})
        while True:
            with lock:
                item = next(todo, None)
                done = sum(statuses.values())
            if item is None:
                return
            if done and done % 5000 == 0:
                log(f"  primed {done:,} of {len(paths):,}")
            path, language = mix.parts(item)
            try:
                answer = session.get(
                    url + path,
                    timeout=60,
                    headers={"Accept-Language": language} if language else None,
                )
                outcome = str(answer.status_code)
            except requests.RequestException as error:
                outcome = type(error).__name__
                session = requests.Session()
                session.headers.update(headers or {})
            with lock:
                statuses[outcome] += 1

    threads = [threading.Thread(target=work) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ended = time.time()
    return {
        "requests": len(paths),
        "statuses": dict(statuses),
        "seconds": round(ended - began, 1),
        "started": began,
        "ended": ended,
    }


def warm_from_sitemaps(
    name: str, url: str, args: argparse.Namespace, headers: dict[str, str] | None
) -> dict[str, Any]:
    """Prime as a deploy would: `manage.py warm_cache`'s walk of the sitemaps.

    Every page in English, the first `--warm-extra-limit` (the front page and
    the newest articles) in each of the site's other languages.
    """
    from newsdesk.warming import warm

    log(f"{name}: warming from the sitemaps, {args.warm_concurrency} at a time")
    began = time.time()
    report = warm(
        url,
        host=(headers or {}).get("Host", ""),
        languages=["", *mix.SITE_LANGUAGES[1:]],
        extra_limit=args.warm_extra_limit,
        limit=args.warm_limit,
        concurrency=args.warm_concurrency,
        rate=0,
        timeout=60,
        progress=lambda r: log(f"  warmed {r.requested:,} in {r.seconds:.0f} s"),
        progress_every=10_000,
    )
    log(f"{name}: {report.summary()}")
    statuses = {str(k): v for k, v in report.statuses.items()}
    statuses.update(report.errors)
    return {
        "requests": report.requested,
        "statuses": statuses,
        "seconds": report.seconds,
        "started": began,
        "ended": time.time(),
        "summary": report.summary(),
        "warmed": [mix.clean(path, language) for path, language in report.warmed],
    }


def _log_rows(name: str, access_log: Path | None, edge_log: Path) -> list:
    log_file = edge_log if name == "edge" else access_log
    if log_file is None or not log_file.exists():
        return []
    if name == "edge":
        time.sleep(2)  # varnishncsa writes a moment after the answer
    return mix.read_log(log_file, last=0)


def run_target(
    name: str,
    url: str,
    stream: list[str],
    stream_file: Path,
    args: argparse.Namespace,
    *,
    start: int,
    edge: Varnish | None,
    access_log: Path | None,
    workdir: Path,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Prime with the stream up to `start`, then measure the stretch after it.

    First at saturation (`--connections`, closed loop), then open-loop at
    each share of `PACED` of the throughput measured, each run continuing
    the stream where the last stopped.
    """
    warm = stream[:start]
    edge_log = workdir / f"edge-{name}.log"
    if edge is not None and name == "edge":
        edge.log_to(edge_log)
    if args.prime == "sitemap":
        primed = warm_from_sitemaps(name, url, args, headers)
        distinct = primed.pop("warmed")
    else:
        distinct = list(dict.fromkeys(mix.clean(path) for path in warm))
        log(
            f"{name}: priming with the {len(distinct):,} distinct URLs of the first "
            f"{len(warm):,} requests of the stream"
        )
        primed = prime(url, distinct, args.connections, headers)
    log(f"{name}: primed in {primed['seconds']} s, statuses {primed['statuses']}")
    wait_idle(url)
    phases = [
        {"paths": distinct, "started": primed["started"], "ended": primed["ended"]}
    ]
    position = len(warm)
    runs = []
    plan = [("saturation", 0.0)] + [
        (f"{share:.0%} of saturation", share) for share in args.paced
    ]
    for label, share in plan:
        rate = round(share * runs[0]["rps"], 1) if share else 0.0
        connections = args.paced_connections if share else args.connections
        log(
            f"{name}: {args.duration} s "
            + (
                f"open-loop at {rate} req/s over {connections} connections"
                if rate
                else f"at {connections} connections"
            )
        )
        before = edge.stats() if edge is not None and name == "edge" else None
        logged = len(_log_rows(name, access_log, edge_log))
        run = _wrk(
            url,
            stream_file,
            start=position,
            seconds=args.duration,
            connections=connections,
            rate=rate,
            headers=headers,
        )
        wait_idle(url)
        run["load"] = label
        run["connections"] = connections
        if rate:
            run["offered_rps"] = rate
        requests_done = run["requests"] or 1
        run["hit_ratio"] = round(run["app_hits"] / requests_done, 4)
        if name == "edge":
            run["edge_hit_ratio"] = round(run["edge_hits"] / requests_done, 4)
            run["hit_ratio"] = run["edge_hit_ratio"]
        if before is not None:
            run["varnishstat"] = hit_ratio(before, edge.stats())
        n_run = run["requests"]
        measured = [stream[(position + i) % len(stream)] for i in range(n_run)]
        phases.append(
            {"paths": measured, "started": run["started"], "ended": run["ended"]}
        )
        run["_phases"] = list(phases)
        rows = _log_rows(name, access_log, edge_log)
        if rows:
            column = 1 if name == "edge" else 2
            run["misses"] = mix.explain(
                rows[logged:],
                verdict=column,
                earlier=rows[:logged],
                seconds=TIME_COLUMN,
                language=LANGUAGE_COLUMN,
            )
        position += n_run
        run["wrapped"] = position > len(stream)
        runs.append(run)
        log(
            _line(
                name,
                run,
                warm_requests=len(warm),
                primed=len(distinct),
                mode=args.prime,
            )
        )
    if edge is not None and name == "edge":
        edge.stop_log()
    result = runs[0]
    result["warmup"] = {
        "mode": args.prime,
        "stream_requests": 0 if args.prime == "sitemap" else len(warm),
        **{
            k: primed[k]
            for k in ("requests", "seconds", "statuses", "summary")
            if k in primed
        },
    }
    result["paced"] = runs[1:]
    result["position"] = position
    return result


def _line(
    name: str, r: dict, *, warm_requests: int, primed: int, mode: str = "stream"
) -> str:
    lat = r["latency_ms"]
    load = r.get("load", "saturation")
    if r.get("offered_rps"):
        load = (
            f"open-loop {r['offered_rps']} req/s offered ({load}), "
            f"{r['connections']} connections"
        )
    else:
        load = f"{load}, {r.get('connections', '?')} connections closed-loop"
    text = (
        f"{name} [{load}]: {r['rps']:.0f} req/s, p50 {lat['p50']} ms, "
        f"p99 {lat['p99']} ms, hit ratio {r['hit_ratio']:.1%}"
    )
    if "varnishstat" in r and r["varnishstat"].get("ratio") is not None:
        stat = r["varnishstat"]
        text += f" (varnishstat {stat['ratio']:.1%}"
        if "objects" in stat:
            text += (
                f"; {stat['objects']:,} objects in {stat['stored_bytes'] / 2**20:,.0f} MiB, "
                f"{stat.get('n_lru_nuked', 0):,} evicted"
            )
        text += ")"
    if "models" in r:
        text += (
            f"; same stretch: ideal cache {r['models']['ideal']['hit_ratio']:.1%}, "
            f"old global-version design {r['models']['global_version']['hit_ratio']:.1%}"
        )
    if r.get("late"):
        text += (
            f"; {r['late']:,} sends late (every connection busy), "
            f"at most {r['max_late_ms']:.0f} ms"
        )
    if mode == "sitemap":
        primed_with = (
            f"warming {primed:,} pages and languages from the sitemaps (warm_cache)"
        )
    else:
        primed_with = (
            f"priming with {primed:,} distinct URLs (the first {warm_requests:,} "
            "requests of the stream)"
        )
    return (
        text + f"; {r['requests']:,} requests after {primed_with}, "
        f"{r['error_count']} socket errors, statuses {r['statuses']}"
    )


def flush_app_cache(redis_url: str) -> None:
    """Empty the app's shared cache (the benchmark's own Redis database)."""
    if redis_url:
        import redis

        redis.Redis.from_url(redis_url).flushdb()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument(
        "--redis-url",
        default="",
        help="the app's shared cache; its database is flushed before the runs",
    )
    parser.add_argument("--edge", action="store_true", help="also run behind varnishd")
    parser.add_argument("--port", type=int, default=0, help="the app's port (free one)")
    parser.add_argument("--edge-port", type=int, default=0)
    parser.add_argument(
        "--edge-memory", default="2g", help="varnishd's malloc storage (default 2g)"
    )
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument(
        "--warm-requests",
        type=int,
        default=400_000,
        help="stream requests whose URLs prime the caches (about one s-maxage "
        "of traffic at 110 req/s)",
    )
    parser.add_argument(
        "--prime",
        choices=PRIME_MODES,
        default="stream",
        help="stream: request the distinct URLs of the stream before the measured "
        "stretch (the traffic that came before); sitemap: warm every page the "
        "sitemaps list, as warm_cache does after a deploy",
    )
    parser.add_argument("--warm-concurrency", type=int, default=8)
    parser.add_argument(
        "--warm-limit",
        type=int,
        default=0,
        help="most sitemap pages to warm, newest first (default: all)",
    )
    parser.add_argument(
        "--warm-extra-limit",
        type=int,
        default=2000,
        help="pages warmed in each language besides English (newest first)",
    )
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--paced",
        type=lambda text: [float(x) for x in text.split(",") if x.strip()],
        default=list(PACED),
        help="shares of the saturation throughput to offer open-loop after it, "
        "each for --duration (default 0.5,0.8; empty for none)",
    )
    parser.add_argument("--paced-connections", type=int, default=64)
    parser.add_argument("--stream-length", type=int, default=0, help="default: enough")
    parser.add_argument("--soak", type=int, default=0, help="soak seconds")
    parser.add_argument("--soak-connections", type=int, default=50)
    parser.add_argument("--label", default="", help="a note on the machine's state")
    parser.add_argument("--output", default="traffic", help="results file stem")
    args = parser.parse_args(argv)
    if args.redis_url:
        os.environ["REDIS_URL"] = args.redis_url
    workdir = Path(tempfile.mkdtemp(prefix="traffic-"))
    os.environ["BENCH_STATIC_ROOT"] = str(workdir / "static")
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    edge = None
    if args.edge:
        edge = Varnish(
            workdir, args.edge_port or free_port(), port, memory=args.edge_memory
        )
        os.environ["NEWSDESK_EDGE_BACKEND"] = "varnish"
        os.environ["NEWSDESK_VARNISH_URLS"] = edge.url + "/"

    collect_static(args.database_url)
    log("sampling the archive")
    sample = archive_sample(args.database_url)
    access_log = workdir / "access.log"
    spec = {"workers": args.workers, "database_url": args.database_url}
    server = None
    results: dict[str, Any] = {
        "articles": len(sample["articles"]),
        "label": args.label,
        "machine": f"{os.cpu_count()} cores, load average at start "
        f"{os.getloadavg()[0]:.2f}, {platform.node()}",
        "database": args.database_url.split(":", 1)[0],
        "redis": bool(args.redis_url),
        "mix": mix.MIX,
        "tracked_share": mix.TRACKED_SHARE,
        "prime": args.prime,
        "languages": {
            header or "(none)": share for header, share in mix.READER_LANGUAGES
        },
        "zipf_exponent": mix.ZIPF_EXPONENT,
        "connections": args.connections,
        "runs": {},
    }
    editor = None
    try:
        if edge is not None:
            edge.start()
        server = start_gunicorn(
            spec,
            port,
            workdir / "gunicorn.log",
            app_log=workdir / "app.log",
            extra_args=["--access-logfile", str(access_log)]
            + ["--access-logformat", ACCESS_FORMAT],
        )
        results["workers"] = args.workers or os.cpu_count()
        stream = mix.build_stream(
            sample["articles"],
            sample["topics"],
            api_pages(base),
            length=args.stream_length or args.warm_requests + 600_000,
        )
        stream_file = workdir / "stream.txt"
        stream_file.write_text("\n".join(stream) + "\n")
        flush_app_cache(args.redis_url)
        editor = Editor(base, sample)
        editor.start()
        targets = {"app": base, **({"edge": edge.url} if edge else {})}
        # Readers ask for one public host: the app alone is asked under the
        # edge's, so what it stored serves the edge's misses as it would in
        # production (the app's cache is keyed by host).
        public = {"Host": urlsplit(edge.url).netloc} if edge else None
        position = args.warm_requests
        for name, url in targets.items():
            # The edge is primed with everything the app was asked, and
            # measured on the stretch of the stream after it.
            results["runs"][name] = run_target(
                name,
                url,
                stream,
                stream_file,
                args,
                start=position,
                edge=edge,
                access_log=access_log,
                workdir=workdir,
                headers=public if name == "app" else None,
            )
            position = results["runs"][name]["position"]
        if args.soak:
            results["soak"] = soak(
                base,
                stream_file,
                seconds=args.soak,
                connections=args.soak_connections,
                server=server,
                warmup=0,
                start=position,
            )
            log(f"soak: {results['soak']['line']}")
    finally:
        if editor is not None:
            editor.stopping.set()
            editor.join(timeout=30)
        if server is not None:
            stop(server)
        if edge is not None:
            edge.stop()
    for target in results["runs"].values():
        for run in (target, *target["paced"]):
            phases = run.pop("_phases")
            run["models"] = mix.replay(
                mix.timeline(phases),
                editor.writes(),
                measured_from=phases[-1]["started"],
            )
    results["load_end"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    results["editor"] = {
        "done": [action for _, action in editor.done],
        "failed": editor.failed,
    }
    write(results, args.output)
    soak_failed = (results.get("soak") or {}).get("ok") is False
    return 1 if editor.failed or soak_failed else 0


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def _languages(results: dict[str, Any]) -> str:
    shares = results.get("languages")
    if not shares:
        return "not sent"
    folded: Counter = Counter()
    for header, share in shares.items():
        folded[mix.fold_language("" if header == "(none)" else header)] += share
    return ", ".join(f"{code} {share:.0%}" for code, share in folded.most_common())


def _prime_text(results: dict[str, Any]) -> str:
    if results.get("prime") == "sitemap":
        return "warm_cache's walk of the sitemaps (every page in English, the newest in the other languages)"
    return "the distinct URLs of the stream before the measured stretch"


def _variant(key: str) -> str:
    path, language = mix.parts(key)
    return f"{path} ({language})" if language else path


def _miss_table(run: dict[str, Any]) -> list[str]:
    misses = run.get("misses")
    if not misses:
        return []
    lines = [
        "",
        "| kind | requests | hits | first request | repeated | server ms, hit p50/p99 | miss p50/p99 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, c in misses["kinds"].items():
        t = misses["times"].get(kind, {})
        lines.append(
            f"| {kind} | {c.get('requests', 0):,} | {c.get('hit', 0):,} | "
            f"{c.get('miss, first request', 0):,} | {c.get('miss, repeated', 0):,} | "
            f"{_ms(t.get('hit_p50'))} / {_ms(t.get('hit_p99'))} | "
            f"{_ms(t.get('miss_p50'))} / {_ms(t.get('miss_p99'))} |"
        )
    slow = misses.get("slowest")
    if slow and slow["requests"]:
        lines += [
            "",
            f"The slowest 1 % ({slow['requests']:,} requests, {slow['from_ms']:,.0f} ms "
            "and more as the server timed them): "
            + ", ".join(f"{what} {n:,}" for what, n in slow["by_kind"]),
        ]
    if misses["repeated_misses"]:
        lines += [
            "",
            "Missed again most often: "
            + ", ".join(
                f"`{_variant(path)}` ×{n}" for path, n in misses["repeated_misses"]
            ),
        ]
    return lines


def write(results: dict[str, Any], stem: str) -> None:
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / f"{stem}.json").write_text(json.dumps(results, indent=2) + "\n")
    label = f" — {results['label']}" if results["label"] else ""
    lines = [
        f"# Traffic mix{label}",
        "",
        f"{results['articles']:,} published articles on {results['database']} "
        f"({'Redis' if results['redis'] else 'per-process'} app cache), "
        f"{results.get('workers')} gunicorn workers, {results['connections']} "
        f"connections; {results['machine']}. Mix {results['mix']}, "
        f"{results['tracked_share']:.0%} of article reads with tracking parameters, "
        f"Zipf exponent {results['zipf_exponent']}; readers' Accept-Language "
        f"{_languages(results)}; primed by {_prime_text(results)}; editor: "
        f"{len(results['editor']['done'])} writes, "
        f"{len(results['editor']['failed'])} failed. Load average at the end "
        f"{results.get('load_end', '?')}.",
    ]
    for name, run in results["runs"].items():
        warm = {
            "warm_requests": run["warmup"]["stream_requests"],
            "primed": run["warmup"]["requests"],
            "mode": run["warmup"].get("mode", "stream"),
        }
        for each in (run, *run.get("paced", ())):
            lines += ["", f"- {_line(name, each, **warm)}", *_miss_table(each)]
    if results.get("soak"):
        lines += ["", f"- soak: {results['soak']['line']}"]
    (RESULTS_DIR / f"{stem}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    raise SystemExit(main())
