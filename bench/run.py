"""Run the benchmark: generate archives, serve them with gunicorn, load them with wrk.

    python -m bench.run            # 1,000 and 100,000 articles, SQLite and PostgreSQL
    python -m bench.run --quick    # small smoke run, a couple of minutes

Each database and size runs in its own process (Django's settings are fixed
per process): it builds a fresh database, counts SQL queries per scenario
with Django's test client, starts gunicorn with the production settings
(`bench.settings`: DEBUG off, whitenoise) and drives every scenario with wrk
at a fixed concurrency after a warm-up. Results go to `bench/results/`.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
WRK_SCRIPT = BENCH_DIR / "wrk.lua"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/nd_bench"
SETTINGS_MODULE = "bench.settings"
SEARCH_TERM = "prison"

# What each real endpoint is compared with.
BASELINE_OF = {
    "api_articles_20": "baseline_articles_20",
    "api_articles_100": "baseline_articles_100",
    "api_incidents": "baseline_incidents",
    "article": "baseline_article",
    "api_articles_20_fresh": "baseline_articles_20",
    "api_incidents_fresh": "baseline_incidents",
    "article_fresh": "baseline_article",
}
# A query parameter no view reads: the response cache steps aside for it, so
# these scenarios measure a full rendering on every request.
FRESH_PARAM = "fresh=1"

SCENARIO_LABELS = {
    "home": "Home page",
    "article": "Article page",
    "article_304": "Article page, conditional GET (304)",
    "incident": "Incident page",
    "api_articles_20": "Article list API, 20 per page",
    "api_articles_100": "Article list API, 100 per page",
    "api_incidents": "Incident list API, 20 per page",
    "geojson": "Incidents GeoJSON",
    "recommendations_csv": "Recommendations CSV",
    "search_page": "Search page",
    "search_api": "Search API",
    "rss": "RSS feed (latest)",
    "sitemap": "sitemap.xml",
    "admin_changelist": "Admin article changelist (logged in)",
    "article_fresh": "Article page, rendered every time",
    "api_articles_20_fresh": "Article list API, 20, rendered every time",
    "api_incidents_fresh": "Incident list API, 20, rendered every time",
    "search_page_fresh": "Search page, searched every time",
    "search_api_fresh": "Search API, searched every time",
    "baseline_articles_20": "Baseline: article list, 20",
    "baseline_articles_100": "Baseline: article list, 100",
    "baseline_incidents": "Baseline: incident list, 20",
    "baseline_article": "Baseline: article page",
}


@dataclass
class Options:
    sizes: list[int]
    databases: list[str]
    duration: int = 5
    warmup: int = 2
    connections: int = 8
    threads: int = 1
    workers: int = 0
    soak_seconds: int = 60
    soak_connections: int = 50
    import_files: int = 10_000
    pg_url: str = DEFAULT_PG_URL
    workdir: str = ""
    reuse: bool = False
    only: list[str] = field(default_factory=list)
    output: str = "latest"
    redis_url: str = ""


# --- Small helpers -----------------------------------------------------------


def log(message: str) -> None:
    stamp = datetime.datetime.now().strftime("%H:%M:%S")
    print(f"[{stamp}] {message}", file=sys.stderr, flush=True)


def child_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    env["DATABASE_URL"] = database_url
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(PROJECT_DIR), env.get("PYTHONPATH")])
    )
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak RSS) of a process, in kB."""
    values = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in {"VmRSS", "VmHWM"}:
                values[key] = int(rest.split()[0])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return values


def children_of(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except FileNotFoundError:
            continue
    return sorted(found)


def pg_admin_url(url: str) -> tuple[str, str]:
    """Return (URL of the maintenance database, database name) for a PostgreSQL URL."""
    base, _, name = url.rpartition("/")
    return f"{base}/postgres", name


def pg_database_url(pg_url: str, size: int) -> str:
    base, _, name = pg_url.rpartition("/")
    return f"{base}/{name}_{size}"


def pg_recreate(url: str) -> None:
    import psycopg

    admin_url, name = pg_admin_url(url)
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise SystemExit(f"Refusing an unusual database name: {name!r}")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def pg_exists(url: str) -> bool:
    import psycopg

    admin_url, name = pg_admin_url(url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        return bool(
            conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
        )


def run_wrk(
    url: str,
    *,
    duration: int,
    connections: int,
    threads: int,
    headers: dict[str, str] | None = None,
    paths: list[str] | None = None,
) -> dict[str, Any]:
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(WRK_SCRIPT),
    ]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    if paths:
        command += ["--", *paths]
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=duration + 60, check=False
    )
    for line in completed.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            data = json.loads(line.removeprefix("BENCH_JSON "))
            seconds = data["duration_us"] / 1e6
            data["rps"] = round(data["requests"] / seconds, 1) if seconds else 0.0
            latency = data.pop("latency_us")
            # With no completed request wrk's histogram is empty, not zero.
            data["latency_ms"] = {
                k: round(v / 1000, 2) if data["requests"] else None
                for k, v in latency.items()
            }
            data["error_count"] = sum(data["errors"].values())
            return data
    raise RuntimeError(f"wrk gave no result: {completed.stdout}\n{completed.stderr}")


# --- One database and size (runs in its own process) -------------------------


def scenario_candidates(sample: dict[str, str]) -> dict[str, list[str]]:
    """Every scenario with the URLs it may live at, first match wins."""
    from django.urls import NoReverseMatch, reverse

    def named(*names: str) -> list[str]:
        urls = []
        for name in names:
            try:
                urls.append(reverse(name))
            except NoReverseMatch:
                continue
        return urls

    q = f"q={SEARCH_TERM}"
    return {
        "home": ["/"],
        "article": [sample["article_url"]],
        "incident": [sample["incident_url"]],
        "api_articles_20": ["/api/v1/articles/?page_size=20"],
        "api_articles_100": ["/api/v1/articles/?page_size=100"],
        "api_incidents": ["/api/v1/incidents/?page_size=20"],
        "geojson": ["/api/v1/incidents.geojson", "/api/v1/incidents/?format=geojson"],
        "recommendations_csv": [
            "/api/v1/recommendations.csv",
            "/api/v1/recommendations/?format=csv",
        ],
        "search_page": [f"{u}?{q}" for u in named("newsdesk:search", "search")]
        + [f"/search/?{q}"],
        "search_api": [
            f"/api/v1/articles/?{q}",
            f"/api/v1/search/?{q}",
        ],
        "rss": named(
            "newsdesk:feed_latest",
            "newsdesk:latest_feed",
            "newsdesk:feed",
            "newsdesk:rss",
            "newsdesk:latest_rss",
            "feeds:latest",
            "feeds:latest_rss",
        )
        + ["/feeds/latest/", "/feeds/latest/rss/", "/feed/", "/rss/", "/feeds/rss/"],
        "sitemap": ["/sitemap.xml"],
        "admin_changelist": ["/admin/newsdesk/article/"],
        "article_fresh": [f"{sample['article_url']}?{FRESH_PARAM}"],
        "api_articles_20_fresh": [f"/api/v1/articles/?page_size=20&{FRESH_PARAM}"],
        "api_incidents_fresh": [f"/api/v1/incidents/?page_size=20&{FRESH_PARAM}"],
        "search_page_fresh": [f"/search/?{q}&{FRESH_PARAM}"],
        "search_api_fresh": [f"/api/v1/articles/?{q}&{FRESH_PARAM}"],
        "baseline_articles_20": ["/bench/baseline/articles/?page_size=20"],
        "baseline_articles_100": ["/bench/baseline/articles/?page_size=100"],
        "baseline_incidents": ["/bench/baseline/incidents/?page_size=20"],
        "baseline_article": [f"/bench/baseline/articles/{sample['article_slug']}/"],
    }


def pick_sample() -> dict[str, str]:
    """A typical published article (a quarter into the archive, covering an
    incident) and a published incident with figures; a few indexed queries."""
    from django.db.models import Exists, OuterRef

    from incidents.models import Figure, Incident
    from newsdesk.models import Article

    through = Incident.articles.through
    linked = sorted(
        through.objects.filter(incident__status="published").values_list(
            "article_id", flat=True
        ),
        reverse=True,
    )
    article = None
    for pk in linked[len(linked) // 4 :][:50]:
        article = Article.objects.published().filter(pk=pk).first()
        if article:
            break
    article = article or Article.objects.published().first()
    incident = (
        Incident.objects.published()
        .filter(Exists(Figure.objects.filter(incident=OuterRef("pk"))))
        .order_by("-start_date", "-id")
        .first()
    )
    return {
        "article_url": article.get_absolute_url(),
        "article_slug": article.slug,
        "incident_url": incident.get_absolute_url()
        if incident
        else "/incidents/missing/",
    }


REQUEST_TIME_LIMIT = 15.0
SLOW_REQUEST = 3.0
_deadline = [float("inf")]


def _limit_new_connection(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Abort any SQL statement still running after the current deadline."""
    if connection.vendor == "sqlite":
        connection.connection.set_progress_handler(
            lambda: int(time.monotonic() > _deadline[0]), 10_000
        )
    elif connection.vendor == "postgresql":
        # On the driver's connection, so that it is not counted as the view's query.
        connection.connection.execute(
            f"SET statement_timeout = {int(REQUEST_TIME_LIMIT * 1000)}"
        )


def timed_get(client: Any, url: str, headers: dict[str, str]) -> tuple[Any, float]:
    """GET through the test client within REQUEST_TIME_LIMIT; (response, seconds)."""
    from django.db import connection

    _deadline[0] = time.monotonic() + REQUEST_TIME_LIMIT
    if connection.connection is not None:
        _limit_new_connection(None, connection)
    started = time.monotonic()
    try:
        return client.get(url, headers=headers), time.monotonic() - started
    finally:
        _deadline[0] = float("inf")


def count_queries(
    client: Any, url: str, headers: dict[str, str], *, clear_cache: bool = True
) -> tuple[int, int, Any, float]:
    """Queries of a cold request (empty cache) and of a warm one.

    Returns (cold, warm, warm response, seconds the warm request took).
    """
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if clear_cache:
        cache.clear()
    with CaptureQueriesContext(connection) as cold:
        timed_get(client, url, headers)
    with CaptureQueriesContext(connection) as warm:
        response, seconds = timed_get(client, url, headers)
    return len(cold), len(warm), response, seconds


def discover_scenarios(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Find each scenario's URL, check it answers, and count its SQL queries."""
    from django.contrib.auth import get_user_model
    from django.db.backends.signals import connection_created
    from django.test import Client

    from bench.generate import BENCH_USERNAME

    connection_created.connect(_limit_new_connection, dispatch_uid="bench_time_limit")
    sample = pick_sample()
    # A failing view is reported as "not available", not raised.
    client = Client(raise_request_exception=False)
    admin_client = Client(raise_request_exception=False)
    user = get_user_model().objects.get(username=BENCH_USERNAME)
    admin_client.force_login(user)
    session_cookie = admin_client.cookies["sessionid"].value

    scenarios: dict[str, dict[str, Any]] = {}
    for name, candidates in scenario_candidates(sample).items():
        urls = list(dict.fromkeys(candidates))
        if (
            spec["only"]
            and name not in spec["only"]
            and name not in BASELINE_OF.values()
        ):
            continue
        is_admin = name == "admin_changelist"
        use = admin_client if is_admin else client
        found = None
        statuses = []
        for url in urls:
            try:
                response, seconds = timed_get(use, url, {})
                status = response.status_code
            except Exception as error:
                status, seconds = type(error).__name__, 0.0
            if seconds >= REQUEST_TIME_LIMIT:
                status = f"over {REQUEST_TIME_LIMIT:.0f} s per request"
            statuses.append(f"{url} → {status}")
            if status == 200:
                found = url
                break
        if not found:
            scenarios[name] = {"available": False, "reason": "; ".join(statuses)}
            continue
        headers = {"Cookie": f"sessionid={session_cookie}"} if is_admin else {}
        cold, warm, response, seconds = count_queries(use, found, {})
        scenarios[name] = {
            "available": True,
            "url": found,
            "headers": headers,
            "queries": warm,
            "queries_cold": cold,
            "single_request_ms": round(seconds * 1000, 1),
            "bytes": len(response.content),
            "content_type": response.get("Content-Type", ""),
        }
        if seconds > SLOW_REQUEST:
            # Loading it would only queue every connection behind it.
            scenarios[name]["skip_load"] = (
                f"one request takes {seconds:.1f} s; not loaded"
            )

    # The conditional GET replays the article page's own validator.
    article = scenarios.get("article", {})
    if article.get("available") and (not spec["only"] or "article_304" in spec["only"]):
        response = client.get(article["url"])
        validators = {}
        if response.get("ETag"):
            validators["If-None-Match"] = response["ETag"]
        if response.get("Last-Modified"):
            validators["If-Modified-Since"] = response["Last-Modified"]
        if validators:
            cold, warm, answer, seconds = count_queries(
                client, article["url"], validators, clear_cache=False
            )
            scenarios["article_304"] = {
                "available": answer.status_code == 304,
                "reason": f"conditional GET answered {answer.status_code}",
                "url": article["url"],
                "headers": validators,
                "queries": warm,
                "queries_cold": cold,
                "single_request_ms": round(seconds * 1000, 1),
                "bytes": len(answer.content),
            }
        else:
            scenarios["article_304"] = {
                "available": False,
                "reason": "the article page sends neither ETag nor Last-Modified",
            }
    return scenarios


def start_gunicorn(spec: dict[str, Any], port: int, log_path: Path) -> subprocess.Popen:
    workers = spec["workers"] or os.cpu_count() or 2
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "newsdesk.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--backlog",
        "2048",
        "--timeout",
        "60",
        "--error-logfile",
        str(log_path),
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(
        command,
        cwd=PROJECT_DIR,
        env=child_env(spec["database_url"]),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited; see {log_path}")
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/robots.txt", timeout=5
            ):
                pass
        except urllib.error.HTTPError:
            pass  # any HTTP answer means the workers are serving
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
            continue
        if len(children_of(process.pid)) >= workers:
            return process
        time.sleep(0.3)
    process.terminate()
    raise RuntimeError("gunicorn did not start within 60 seconds")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def check_live(base: str, scenario: dict[str, Any]) -> int | str:
    request = urllib.request.Request(
        base + scenario["url"], headers=scenario.get("headers", {})
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
        return type(error).__name__


def wait_idle(base: str, limit: float = 60.0) -> float:
    """Wait until the workers have finished the requests still queued from the
    last load (wrk stops sending, but accepted requests still run). Returns
    the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        probe = time.monotonic()
        try:
            with urllib.request.urlopen(base + "/robots.txt", timeout=limit):
                pass
        except urllib.error.HTTPError:
            pass
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            continue
        if time.monotonic() - probe < 0.5:
            break
    return round(time.monotonic() - started, 1)


def live_validators(base: str, path: str) -> dict[str, str]:
    with urllib.request.urlopen(base + path, timeout=30) as response:
        headers = {}
        if response.headers.get("ETag"):
            headers["If-None-Match"] = response.headers["ETag"]
        if response.headers.get("Last-Modified"):
            headers["If-Modified-Since"] = response.headers["Last-Modified"]
        return headers


def prepare_conditional(
    base: str, scenario: dict[str, Any], spec: dict[str, Any]
) -> None:
    """Take the page's validators from the live server, when every worker agrees.

    Validators derive from a content version each worker keeps in its own
    cache (unless Redis is shared) and roll over every minute, so the run
    must start and end inside one validator interval, with every worker on
    the same ETag.
    """
    needed = spec["warmup"] + spec["duration"] + 3
    for _ in range(3):
        if 60 - time.time() % 60 < needed:
            time.sleep(60 - time.time() % 60 + 1)
        seen = [live_validators(base, scenario["url"]) for _ in range(8)]
        if all(v == seen[0] for v in seen) and 60 - time.time() % 60 >= needed:
            scenario["headers"] = seen[0]
            return
        time.sleep(60 - time.time() % 60 + 1)
    scenario["headers"] = live_validators(base, scenario["url"])


def worker_memory(master: int) -> dict[str, Any]:
    workers = children_of(master)
    stats = {pid: proc_status(pid) for pid in workers}
    return {
        "workers": len(workers),
        "rss_kb": [s.get("VmRSS", 0) for s in stats.values()],
        "peak_rss_kb": [s.get("VmHWM", 0) for s in stats.values()],
        "pids": workers,
    }


def run_phase(spec: dict[str, Any]) -> dict[str, Any]:
    """Build (or reuse) one database, measure every scenario, return the results."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.generate import generate, rebuild_search_index

    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    result: dict[str, Any] = {
        "database": connection.vendor,
        "articles": spec["articles"],
    }
    if spec["generate"]:
        t0 = time.monotonic()
        counts = generate(articles=spec["articles"], log=log)
        result["generate_seconds"] = round(time.monotonic() - t0, 1)
        result["rows"] = counts
    else:
        rebuild_search_index(missing_only=True)
        result["generate_seconds"] = None
    connection.close()

    scenarios = discover_scenarios(spec)
    connection.close()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = (
        Path(spec["workdir"]) / f"gunicorn-{connection.vendor}-{spec['articles']}.log"
    )
    server = start_gunicorn(spec, port, log_path)
    try:
        result["memory_start"] = worker_memory(server.pid)
        for name, scenario in scenarios.items():
            if not scenario["available"]:
                log(f"  {name}: not available ({scenario.get('reason', '')})")
                continue
            if scenario.get("skip_load"):
                log(f"  {name}: {scenario['skip_load']}")
                continue
            if name == "article_304":
                prepare_conditional(base, scenario, spec)
            status = check_live(base, scenario)
            scenario["live_status"] = status
            url = base + scenario["url"]
            options = {
                "connections": spec["connections"],
                "threads": spec["threads"],
                "headers": scenario.get("headers"),
            }
            run_wrk(url, duration=spec["warmup"], **options)
            wait_idle(base)
            measured = run_wrk(url, duration=spec["duration"], **options)
            scenario.update(measured)
            scenario["drain_seconds"] = wait_idle(base)
            log(
                f"  {name}: {measured['rps']:.0f} req/s, p50 {measured['latency_ms']['p50']} ms, "
                f"p95 {measured['latency_ms']['p95']} ms, {scenario['queries']} queries, "
                f"{measured['error_count']} errors, HTTP {status}, "
                f"statuses {measured.get('statuses')}"
            )
        result["memory_after_scenarios"] = worker_memory(server.pid)
        if spec["soak_seconds"]:
            paths = [
                s["url"]
                for n, s in scenarios.items()
                if s["available"]
                and not s.get("headers")
                and not s.get("skip_load")
                and not n.startswith("baseline")
            ]
            before = worker_memory(server.pid)
            log(
                f"  soak: {spec['soak_seconds']}s at {spec['soak_connections']} connections"
            )
            soak = run_wrk(
                base + "/",
                duration=spec["soak_seconds"],
                connections=spec["soak_connections"],
                threads=spec["threads"],
                paths=paths,
            )
            after = worker_memory(server.pid)
            growth = [
                round((a - b) / b * 100, 1) if b else None
                for b, a in zip(before["rss_kb"], after["rss_kb"], strict=False)
            ]
            result["soak"] = {
                "seconds": spec["soak_seconds"],
                "connections": spec["soak_connections"],
                "paths": paths,
                "rps": soak["rps"],
                "requests": soak["requests"],
                "errors": soak["errors"],
                "error_count": soak["error_count"],
                "latency_ms": soak["latency_ms"],
                "rss_before_kb": before["rss_kb"],
                "rss_after_kb": after["rss_kb"],
                "same_workers": before["pids"] == after["pids"],
                "growth_percent": growth,
                "max_growth_percent": max(
                    (g for g in growth if g is not None), default=None
                ),
            }
            log(
                f"  soak: {soak['rps']:.0f} req/s, errors {soak['error_count']}, growth {growth}%"
            )
        result["memory_end"] = worker_memory(server.pid)
    finally:
        stop(server)
    for name, baseline in BASELINE_OF.items():
        real, floor = scenarios.get(name, {}), scenarios.get(baseline, {})
        if real.get("rps") and floor.get("rps"):
            real["baseline"] = baseline
            real["ratio_to_baseline"] = round(real["rps"] / floor["rps"], 2)
    result["scenarios"] = scenarios
    result["seconds"] = round(time.monotonic() - started, 1)
    return result


def run_import(spec: dict[str, Any]) -> dict[str, Any]:
    """Time `import_articles` on generated scraped files, into a fresh SQLite file."""
    import django

    django.setup()
    from django.core.management import call_command, get_commands

    from bench.generate import write_scraped_files

    if "import_articles" not in get_commands():
        return {
            "available": False,
            "reason": "manage.py import_articles does not exist yet",
        }
    call_command("migrate", verbosity=0, interactive=False)
    with tempfile.TemporaryDirectory(prefix="scraped-") as directory:
        files = write_scraped_files(Path(directory), spec["files"])
        command = [sys.executable, "manage.py", "import_articles", directory]
        t0 = time.monotonic()
        completed = subprocess.run(
            command,
            cwd=PROJECT_DIR,
            env=child_env(spec["database_url"]),
            capture_output=True,
            text=True,
            timeout=3600,
            check=False,
        )
        seconds = time.monotonic() - t0
    from newsdesk.models import Article

    created = Article.objects.count()
    return {
        "available": True,
        "files": len(files),
        "created": created,
        "seconds": round(seconds, 1),
        "files_per_second": round(len(files) / seconds, 1),
        "exit_status": completed.returncode,
        "summary": completed.stdout.strip().splitlines()[-5:],
        "stderr_tail": completed.stderr.strip().splitlines()[-3:],
    }


# --- The orchestrator ---------------------------------------------------------


def machine_info(options: Options) -> dict[str, Any]:
    import sqlite3

    import django

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (FileNotFoundError, StopIteration):
        memory_kb = 0
    wrk_version = subprocess.run(
        ["wrk", "--version"], capture_output=True, text=True, check=False
    ).stdout.splitlines()[:1]
    info = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "load_average_at_start": list(os.getloadavg()),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
        "wrk": wrk_version[0] if wrk_version else "",
    }
    if "postgresql" in options.databases:
        try:
            import psycopg

            admin_url, _ = pg_admin_url(options.pg_url)
            with psycopg.connect(admin_url) as conn:
                info["postgresql"] = conn.execute("SHOW server_version").fetchone()[0]
        except Exception as error:
            info["postgresql"] = f"unavailable: {error}"
    return info


def spawn(kind: str, spec: dict[str, Any], database_url: str) -> dict[str, Any]:
    workdir = Path(spec["workdir"])
    spec_path = workdir / f"{kind}-{spec.get('label', 'x')}.json"
    out_path = spec_path.with_suffix(".out.json")
    spec_path.write_text(
        json.dumps({**spec, "database_url": database_url, "out": str(out_path)})
    )
    completed = subprocess.run(
        [sys.executable, "-m", "bench.run", f"--{kind}", str(spec_path)],
        cwd=PROJECT_DIR,
        env=child_env(database_url),
        timeout=3 * 3600,
        check=False,
    )
    if completed.returncode != 0 or not out_path.exists():
        return {"failed": True, "exit_status": completed.returncode}
    return json.loads(out_path.read_text())


def orchestrate(options: Options) -> dict[str, Any]:
    if options.redis_url:
        os.environ["REDIS_URL"] = options.redis_url
        os.environ.setdefault("DJANGO_CACHE_PREFIX", "newsdesk-bench")
    workdir = Path(options.workdir or BENCH_DIR / ".data")
    workdir.mkdir(parents=True, exist_ok=True)
    datasets_path = workdir / "datasets.json"
    datasets = json.loads(datasets_path.read_text()) if datasets_path.exists() else {}
    sqlite_url = f"sqlite:///{workdir / 'collectstatic.sqlite3'}"

    log("collecting static files")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=PROJECT_DIR,
        env=child_env(sqlite_url),
        check=True,
    )
    results: dict[str, Any] = {
        "machine": machine_info(options),
        "settings": {
            **{
                k: v
                for k, v in asdict(options).items()
                if k not in {"workdir", "output"}
            },
            "workers": options.workers or os.cpu_count(),
            "django_settings": SETTINGS_MODULE,
            "server": "gunicorn, sync workers, DEBUG off, whitenoise",
            "cache": "Redis"
            if os.environ.get("REDIS_URL")
            else "local memory per worker",
            "pg_url": options.pg_url.rsplit("@", 1)[-1],
        },
        "phases": [],
    }
    largest = max(options.sizes)
    soak_database = (
        "postgresql" if "postgresql" in options.databases else options.databases[-1:]
    )
    for database in options.databases:
        for size in options.sizes:
            label = f"{database}-{size}"
            if database == "sqlite":
                path = workdir / f"bench-{size}.sqlite3"
                url = f"sqlite:///{path}"
                exists = path.exists()
            else:
                url = pg_database_url(options.pg_url, size)
                exists = pg_exists(url)
            reuse = options.reuse and exists and datasets.get(label) == size
            if not reuse:
                if database == "sqlite":
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{path}{suffix}").unlink(missing_ok=True)
                else:
                    pg_recreate(url)
                datasets.pop(label, None)
                datasets_path.write_text(json.dumps(datasets))
            log(f"phase {label}: {'reusing' if reuse else 'generating'} the archive")
            spec = {
                "label": label,
                "articles": size,
                "generate": not reuse,
                "workdir": str(workdir),
                "duration": options.duration,
                "warmup": options.warmup,
                "connections": options.connections,
                "threads": options.threads,
                "workers": options.workers,
                "only": options.only,
                "soak_seconds": options.soak_seconds
                if (database in soak_database and size == largest)
                else 0,
                "soak_connections": options.soak_connections,
            }
            phase = spawn("phase", spec, url)
            phase.setdefault("database", database)
            phase.setdefault("articles", size)
            results["phases"].append(phase)
            if not phase.get("failed"):
                datasets[label] = size
                datasets_path.write_text(json.dumps(datasets))

    if options.import_files:
        path = workdir / "bench-import.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        log(f"import: {options.import_files} scraped files into SQLite")
        results["import"] = spawn(
            "import",
            {"label": "sqlite", "files": options.import_files, "workdir": str(workdir)},
            f"sqlite:///{path}",
        )
        log(f"import: {results['import']}")
    results["targets"] = evaluate_targets(results)
    return results


# --- Targets and report ---------------------------------------------------------


def _phase(results: dict[str, Any], database: str, size: int) -> dict[str, Any]:
    for phase in results["phases"]:
        if phase.get("database") == database and phase.get("articles") == size:
            return phase
    return {}


def _latency(scenario: dict[str, Any], key: str) -> float | None:
    """A scenario's latency percentile in ms.

    When the scenario was too slow to load, or no request completed under
    load, the single request's time stands in (a lower bound).
    """
    value = (scenario.get("latency_ms") or {}).get(key)
    if value is not None:
        return value
    if scenario.get("available") and (
        scenario.get("skip_load") or scenario.get("requests") == 0
    ):
        return scenario.get("single_request_ms")
    return None


def evaluate_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target of the benchmark with its measured value and whether it is met."""
    targets: list[dict[str, Any]] = []
    phases = [p for p in results["phases"] if not p.get("failed")]
    if not phases:
        return targets
    sizes = sorted({p["articles"] for p in phases})
    small, large = sizes[0], sizes[-1]

    def add(name: str, value: Any, met: bool | None, where: str) -> None:
        targets.append({"target": name, "where": where, "value": value, "met": met})

    for phase in phases:
        where = f"{phase['database']}, {phase['articles']:,} articles"
        scenarios = phase["scenarios"]
        for name, floor in (
            ("api_articles_20", 0.5),
            ("api_articles_100", 0.5),
            ("api_incidents", 0.4),
            ("article", 0.4),
        ):
            ratio = scenarios.get(name, {}).get("ratio_to_baseline")
            if ratio is not None:
                add(
                    f"{SCENARIO_LABELS[name]} ≥ {floor} × baseline",
                    ratio,
                    ratio >= floor,
                    where,
                )
        # The 304 spares rendering the page, so it is compared with a rendering
        # (the cached page costs about what a 304 does; both are in the tables).
        full = scenarios.get("article_fresh", {})
        if not full.get("rps"):
            full = scenarios.get("article", {})
        cond = scenarios.get("article_304", {})
        if full.get("rps") and cond.get("rps"):
            speedup = round(cond["rps"] / full["rps"], 1)
            answered = cond.get("statuses", {}).get("304", 0)
            share = round(100 * answered / cond["requests"]) if cond["requests"] else 0
            add(
                "304 at least 5 × faster than rendering the full page",
                speedup,
                speedup >= 5 and share >= 99,
                f"{where} ({share} % of answers were 304)",
            )
        p50 = _latency(scenarios.get("admin_changelist", {}), "p50")
        if p50 is not None and phase["articles"] == large:
            add("Admin changelist ≤ 300 ms per request (p50)", p50, p50 <= 300, where)
        if phase["database"] == "postgresql" and phase["articles"] == large:
            for key in ("search_page", "search_api"):
                p95 = _latency(scenarios.get(key, {}), "p95")
                if p95 is not None:
                    add(f"{SCENARIO_LABELS[key]} p95 ≤ 50 ms", p95, p95 <= 50, where)
        if phase.get("soak"):
            soak = phase["soak"]
            growth = soak["max_growth_percent"]
            add(
                "Worker memory growth over the soak ≤ 10 %",
                growth,
                growth is not None and growth <= 10 and soak["same_workers"],
                where,
            )
            add(
                "Soak without errors",
                soak["error_count"],
                soak["error_count"] == 0,
                where,
            )

    for database in sorted({p["database"] for p in phases}):
        a, b = _phase(results, database, small), _phase(results, database, large)
        if not a or not b or a is b:
            continue
        where = f"{database}, {small:,} → {large:,} articles"
        for name, s in b.get("scenarios", {}).items():
            t = a.get("scenarios", {}).get(name, {})
            if not (s.get("available") and t.get("available")):
                continue
            for key in ("queries_cold", "queries"):
                if s.get(key) != t.get(key):
                    add(
                        f"{SCENARIO_LABELS.get(name, name)}: same query count at both sizes",
                        f"{t.get(key)} → {s.get(key)}",
                        False,
                        where,
                    )
            before, after = _latency(t, "p50"), _latency(s, "p50")
            if (
                before is not None
                and after is not None
                and not name.startswith("baseline")
            ):
                growth = round(after / max(before, 0.01), 2)
                add(
                    f"{SCENARIO_LABELS.get(name, name)}: p50 within 1.2 × of the small archive",
                    growth,
                    growth <= 1.2,
                    where,
                )
        same = all(
            s.get(key) == a.get("scenarios", {}).get(n, {}).get(key)
            for n, s in b.get("scenarios", {}).items()
            if s.get("available") and a.get("scenarios", {}).get(n, {}).get("available")
            for key in ("queries_cold", "queries")
        )
        add("No scenario's query count changes with size", same, same, where)

    imported = results.get("import") or {}
    if imported.get("available") and imported.get("files_per_second") is not None:
        rate = imported["files_per_second"]
        add("Import ≥ 200 files/s on SQLite", rate, rate >= 200, "sqlite")
    return targets


def _queries(scenario: dict[str, Any]) -> str:
    """Queries of the first request with an empty cache → of the next one."""
    cold, warm = scenario.get("queries_cold"), scenario.get("queries")
    return f"{cold} → {warm}" if cold is not None and cold != warm else f"{warm}"


def _fmt(value: Any, digits: int = 0) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def render_markdown(results: dict[str, Any]) -> str:
    machine, settings = results["machine"], results["settings"]
    lines = [
        "# Benchmark results",
        "",
        f"Run {machine['date']} on {machine['cpu'] or 'unknown CPU'}, "
        f"{machine['cores']} cores, {machine['memory_gb']} GB RAM, {machine['os']}; "
        f"Python {machine['python']}, Django {machine['django']}, SQLite {machine['sqlite']}"
        + (f", PostgreSQL {machine['postgresql']}" if machine.get("postgresql") else "")
        + f"; {machine['wrk']}. Load average at start: "
        + ", ".join(f"{x:.2f}" for x in machine["load_average_at_start"])
        + ".",
        "",
        f"gunicorn with {settings['workers']} sync workers, `{settings['django_settings']}` "
        f"(DEBUG off, whitenoise); wrk with {settings['connections']} connections, "
        f"{settings['threads']} thread, {settings['warmup']} s warm-up then "
        f"{settings['duration']} s measured per scenario; cache: {settings.get('cache')}. "
        "Latencies in milliseconds.",
        "",
    ]
    for note in results.get("notes", []):
        lines += [f"Note: {note}", ""]
    for phase in results["phases"]:
        title = f"## {phase.get('database')}, {phase.get('articles', 0):,} published articles"
        lines.append(title)
        lines.append("")
        if phase.get("failed"):
            lines += [f"Phase failed (exit status {phase.get('exit_status')}).", ""]
            continue
        if phase.get("generate_seconds") is not None:
            lines += [f"Archive generated in {phase['generate_seconds']} s.", ""]
        lines += [
            "| Scenario | req/s | p50 | p95 | p99 | queries | × baseline | errors |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name, s in phase["scenarios"].items():
            label = SCENARIO_LABELS.get(name, name)
            if not s.get("available"):
                reason = s.get("reason", "").split(";")[-1].strip()
                lines.append(f"| {label} | not available ({reason}) | | | | | | |")
                continue
            if "rps" not in s:
                lines.append(
                    f"| {label} | not loaded: {_fmt(s.get('single_request_ms'), 0)} ms "
                    f"per request | | | | {_queries(s)} | | |"
                )
                continue
            lat = s["latency_ms"]
            lines.append(
                f"| {label} | {_fmt(s['rps'])} | {_fmt(lat['p50'], 1)} | {_fmt(lat['p95'], 1)} "
                f"| {_fmt(lat['p99'], 1)} | {_queries(s)} | {_fmt(s.get('ratio_to_baseline'), 2)} "
                f"| {s['error_count']} |"
            )
        memory = phase.get("memory_end") or {}
        if memory.get("peak_rss_kb"):
            peak = max(memory["peak_rss_kb"]) / 1024
            lines += [
                "",
                f"Peak RSS per worker: {peak:.0f} MB (of {memory['workers']} workers).",
            ]
        soak = phase.get("soak")
        if soak:
            lines += [
                "",
                f"Soak: {soak['seconds']} s at {soak['connections']} connections over "
                f"{len(soak['paths'])} pages, {_fmt(soak['rps'])} req/s, "
                f"{soak['error_count']} errors; worker RSS "
                + ", ".join(
                    f"{b / 1024:.0f} → {a / 1024:.0f} MB"
                    for b, a in zip(
                        soak["rss_before_kb"], soak["rss_after_kb"], strict=False
                    )
                )
                + f" (max growth {_fmt(soak['max_growth_percent'], 1)} %).",
            ]
        lines.append("")
    imported = results.get("import")
    if imported:
        lines += ["## Import", ""]
        if imported.get("available"):
            lines.append(
                f"`import_articles` on {imported['files']:,} generated scraped files into "
                f"SQLite: {imported['seconds']} s, **{imported['files_per_second']} files/s**, "
                f"{imported['created']:,} drafts created, exit status {imported['exit_status']}."
            )
        else:
            lines.append(f"Not available: {imported.get('reason', 'failed')}.")
        lines.append("")
    if results.get("targets"):
        lines += [
            "## Targets",
            "",
            "| Target | Where | Measured | Met |",
            "|---|---|---:|:---:|",
        ]
        for t in results["targets"]:
            met = "yes" if t["met"] else ("no" if t["met"] is False else "–")
            lines.append(
                f"| {t['target']} | {t['where']} | {_fmt(t['value'], 2)} | {met} |"
            )
        lines.append("")
    return "\n".join(lines)


def render_summary(results: dict[str, Any]) -> str:
    """One table across databases and sizes: how each scenario's cost grows."""
    phases = [p for p in results["phases"] if not p.get("failed")]
    databases = sorted({p["database"] for p in phases})
    sizes = sorted({p["articles"] for p in phases})
    if not phases:
        return "No phase completed."
    small, large = sizes[0], sizes[-1]
    machine = results["machine"]
    lines = [
        f"Run {machine['date']}: {machine['cores']} cores ({machine['cpu']}), "
        f"load average at start {machine['load_average_at_start'][0]:.2f}. "
        f"p50 latency in ms at {small:,} → {large:,} published articles, queries per "
        f"request, and req/s and × baseline at {large:,}.",
        "",
    ]
    header = "| Scenario |"
    rule = "|---|"
    for database in databases:
        header += f" {database} p50 | queries | req/s | × baseline |"
        rule += "---:|---:|---:|---:|"
    lines += [header, rule]
    names = [n for n in SCENARIO_LABELS if not n.startswith("baseline")]
    names += [n for n in SCENARIO_LABELS if n.startswith("baseline")]
    for name in names:
        row = f"| {SCENARIO_LABELS[name]} |"
        seen = False
        for database in databases:
            a = _phase(results, database, small).get("scenarios", {}).get(name, {})
            b = _phase(results, database, large).get("scenarios", {}).get(name, {})
            if not b.get("available"):
                row += " not available | | | |"
                continue
            seen = True
            if "rps" not in b:
                row += (
                    f" {_fmt(b.get('single_request_ms'), 0)} (one request, not loaded)"
                    f" | {_queries(b)} | | |"
                )
                continue
            p50_a = a.get("latency_ms", {}).get("p50")
            p50 = f"{_fmt(p50_a, 1)} → " if p50_a is not None else ""
            queries = (
                f"{_queries(a)} / {_queries(b)}"
                if _queries(a) != _queries(b)
                else _queries(b)
            )
            row += (
                f" {p50}{_fmt(b['latency_ms']['p50'], 1)} | {queries} | "
                f"{_fmt(b['rps'])} | {_fmt(b.get('ratio_to_baseline'), 2)} |"
            )
        if seen:
            lines.append(row)
    missed = [t for t in results.get("targets", []) if t["met"] is False]
    met = [t for t in results.get("targets", []) if t["met"]]
    lines += [
        "",
        f"Targets: {len(met)} met, {len(missed)} missed "
        "(details in `results/latest.md`).",
    ]
    imported = results.get("import") or {}
    if imported.get("available"):
        lines.append(
            f"Import: {imported['files_per_second']} files/s on SQLite "
            f"({imported['files']:,} files)."
        )
    return "\n".join(lines)


README_MARKERS = ("<!-- latest-results -->", "<!-- /latest-results -->")


def update_readme(results: dict[str, Any]) -> None:
    """Replace the summary between the README's markers with this run's."""
    readme = BENCH_DIR / "README.md"
    text = readme.read_text()
    start, end = README_MARKERS
    if start not in text or end not in text:
        return
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    readme.write_text(f"{head}{start}\n{render_summary(results)}\n{end}{tail}")


def write_results(results: dict[str, Any], name: str) -> tuple[Path, Path]:
    RESULTS_DIR.mkdir(exist_ok=True)
    json_path, md_path = RESULTS_DIR / f"{name}.json", RESULTS_DIR / f"{name}.md"
    json_path.write_text(json.dumps(results, indent=2, default=str) + "\n")
    md_path.write_text(render_markdown(results))
    if name == "latest":
        update_readme(results)
    return json_path, md_path


def parse_args(argv: list[str] | None) -> tuple[argparse.Namespace, Options]:
    parser = argparse.ArgumentParser(
        description="Load-test Newsdesk against bare baselines."
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, short runs")
    parser.add_argument(
        "--sizes", help="comma-separated article counts (default 1000,100000)"
    )
    parser.add_argument(
        "--databases",
        help="comma-separated: sqlite,postgresql (default both); none: import only",
    )
    parser.add_argument(
        "--duration", type=int, help="seconds measured per scenario (5)"
    )
    parser.add_argument("--warmup", type=int, help="warm-up seconds per scenario (2)")
    parser.add_argument("--connections", type=int, help="wrk connections (8)")
    parser.add_argument(
        "--workers", type=int, default=0, help="gunicorn workers (cores)"
    )
    parser.add_argument("--soak", type=int, help="soak seconds at 50 connections (60)")
    parser.add_argument(
        "--import-files", type=int, help="scraped files to import (10000)"
    )
    parser.add_argument(
        "--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL)
    )
    parser.add_argument("--workdir", default="", help="where databases are kept")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse generated databases"
    )
    parser.add_argument(
        "--redis-url",
        default="",
        help="serve with Redis as the shared cache and throttle store, e.g. "
        "redis://127.0.0.1:6379/9 (default: each worker's local memory)",
    )
    parser.add_argument("--only", default="", help="comma-separated scenario names")
    parser.add_argument("--output", default="", help="results file name (latest)")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--import", dest="import_spec", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    quick = args.quick
    options = Options(
        sizes=[
            int(s)
            for s in (args.sizes or ("300,1500" if quick else "1000,100000")).split(",")
        ],
        databases=[
            d for d in (args.databases or "sqlite,postgresql").split(",") if d != "none"
        ],
        duration=args.duration or (2 if quick else 5),
        warmup=args.warmup or (1 if quick else 2),
        connections=args.connections or 8,
        workers=args.workers,
        soak_seconds=args.soak if args.soak is not None else (5 if quick else 60),
        import_files=(
            args.import_files
            if args.import_files is not None
            else (200 if quick else 10_000)
        ),
        pg_url=args.pg_url,
        workdir=args.workdir,
        reuse=args.reuse,
        only=[s for s in args.only.split(",") if s],
        output=args.output or ("quick" if quick else "latest"),
        redis_url=args.redis_url,
    )
    return args, options


def main(argv: list[str] | None = None) -> int:
    args, options = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    if args.phase or args.import_spec:
        spec = json.loads(Path(args.phase or args.import_spec).read_text())
        result = run_phase(spec) if args.phase else run_import(spec)
        Path(spec["out"]).write_text(json.dumps(result, default=str))
        return 0
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk).")
    started = time.monotonic()
    results = orchestrate(options)
    results["total_seconds"] = round(time.monotonic() - started, 1)
    json_path, md_path = write_results(results, options.output)
    log(
        f"wrote {md_path.relative_to(PROJECT_DIR)} and {json_path.relative_to(PROJECT_DIR)}"
    )
    print(md_path.read_text())
    failed = [p for p in results["phases"] if p.get("failed")]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
