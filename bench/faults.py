"""Faults survived: Redis stopped, PostgreSQL restarted, a worker killed, under load.

    python -m bench.faults                 # all four, about three minutes
    python -m bench.faults --only redis    # or postgresql, postgresql-down, worker

Everything runs on throwaway services on free loopback ports: a PostgreSQL
cluster made with initdb in a temporary directory, a redis-server, and
gunicorn with the production settings (`bench.settings`). Reader threads
request pages and API answers while a writer creates drafts through the API;
mid-run one service is stopped, restarted or killed (`postgresql-down` stops
the database for 5 s: reads answer 503 with Retry-After, never 500, and the
cached ones keep answering 200). Each fault is reported
as "N requests, M errors, 0 lost writes": a write is lost when the API
acknowledged it (201) and the database lacks it, half-done when the article
exists without its byline or topics. Results go to `bench/results/faults.*`.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.load import start_gunicorn, stop
from bench.support import (
    PROJECT_DIR,
    RESULTS_DIR,
    child_env,
    children_of,
    collect_static,
    free_port,
)
from bench.support import log as say

WRITE_PREFIX = "Fault write"
SETUP = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from bench.generator import generate
generate(articles=300)
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from newsdesk.models import Article, Person, Topic
from newsdesk.roles import EDITOR, roles_sync
from django.contrib.auth.models import Group
roles_sync()
user = get_user_model().objects.create_user("fault-editor", is_staff=True)
user.groups.add(Group.objects.get(name=EDITOR))
articles = Article.objects.published().order_by("-publish_at")[:40]
print(json.dumps({
    "token": Token.objects.create(user=user).key,
    "person": Person.objects.first().pk,
    "topic": Topic.objects.first().pk,
    "articles": [a.get_absolute_url() for a in articles],
    "ids": [a.pk for a in articles],
}))
"""


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [
        shutil.which(name)
    ]
    if not found[-1]:
        raise SystemExit(f"{name} not found (PostgreSQL server binaries)")
    return found[-1]


def _as_owner() -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the postgres user then."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def _wait_port(port: int, limit: float = 20.0) -> None:
    import socket

    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


class Postgres:
    """A throwaway cluster: initdb, pg_ctl start/restart/stop, on its own port."""

    def __init__(self, root: Path, port: int = 0) -> None:
        home = root / "pg"
        home.mkdir()
        if os.geteuid() == 0:
            root.chmod(0o755)
            shutil.chown(home, "postgres", "postgres")
        self.data, self.port = home / "data", port or free_port()
        self.log = home / "postgres.log"
        subprocess.run(
            [*_as_owner(), _bin("initdb"), "-D", str(self.data), "-U", "postgres"]
            + ["--auth=trust"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.options = (
            f"-p {self.port} -k {home} -c listen_addresses=127.0.0.1 -c fsync=off"
        )

    def pg_ctl(self, *args: str) -> None:
        subprocess.run(
            [*_as_owner(), _bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log)]
            + ["-w", *args],
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start(self) -> None:
        self.pg_ctl("-o", self.options, "start")

    def restart(self) -> None:
        self.pg_ctl("-m", "fast", "-o", self.options, "restart")

    def stop(self) -> None:
        self.pg_ctl("-m", "immediate", "stop")

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


class Redis:
    def __init__(self, port: int = 0) -> None:
        self.port, self.process = port or free_port(), None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        _wait_port(self.port)

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@dataclass
class Load:
    """Readers and one writer against `base` until stopped; counts everything."""

    base: str
    paths: list[str]
    write: dict[str, Any]
    readers: int = 6
    stopping: threading.Event = field(default_factory=threading.Event)
    statuses: Counter = field(default_factory=Counter)
    errors: list[tuple[float, str]] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    cache_hits: list[float] = field(default_factory=list)
    retry_after: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    started: float = field(default_factory=time.monotonic)

    def _record(self, outcome: str, hit: bool = False) -> None:
        with self.lock:
            self.statuses[outcome] += 1
            moment = time.monotonic() - self.started
            if not outcome.isdigit() or outcome.startswith("5"):
                self.errors.append((round(moment, 2), outcome))
            if hit:
                self.cache_hits.append(moment)

    def _reader(self, offset: int) -> None:
        import requests

        session, n = requests.Session(), offset
        while not self.stopping.is_set():
            path = self.paths[n % len(self.paths)]
            n += 1
            try:
                response = session.get(self.base + path, timeout=10)
                self._record(
                    str(response.status_code), response.headers.get("X-Cache") == "HIT"
                )
                if response.status_code == 503 and response.headers.get("Retry-After"):
                    with self.lock:
                        self.retry_after += 1
            except requests.RequestException as error:
                self._record(type(error).__name__)
                session = requests.Session()

    def _writer(self) -> None:
        import requests

        session, n = requests.Session(), 0
        headers = {"Authorization": f"Token {self.write['token']}"}
        while not self.stopping.is_set():
            n += 1
            headline = f"{WRITE_PREFIX} {n:05d}"
            body = {
                "headline": headline,
                "body": f"Written under load, number {n}.",
                "authors": [self.write["person"]],
                "topics": [self.write["topic"]],
            }
            try:
                response = session.post(
                    f"{self.base}/api/v1/articles/",
                    json=body,
                    headers=headers,
                    timeout=10,
                )
                self._record(str(response.status_code))
                if response.status_code == 503 and response.headers.get("Retry-After"):
                    with self.lock:
                        self.retry_after += 1
                if response.status_code == 201:
                    with self.lock:
                        self.acknowledged.append(headline)
            except requests.RequestException as error:
                self._record(type(error).__name__)
                session = requests.Session()
            time.sleep(0.02)

    def run(self, seconds: float, fault: Any, at: float) -> dict[str, Any]:
        threads = [
            threading.Thread(target=self._reader, args=(k * 7,), daemon=True)
            for k in range(self.readers)
        ] + [threading.Thread(target=self._writer, daemon=True)]
        for thread in threads:
            thread.start()
        time.sleep(at)
        fault_started = time.monotonic() - self.started
        note = fault()
        fault_ended = time.monotonic() - self.started
        time.sleep(max(0.0, seconds - (time.monotonic() - self.started)))
        self.stopping.set()
        for thread in threads:
            thread.join(timeout=15)
        return {
            "fault_window_s": [round(fault_started, 2), round(fault_ended, 2)],
            "note": note,
        }


def _writes_in_database(url: str) -> dict[str, tuple[int, int]]:
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT a.headline,"
            " (SELECT count(*) FROM newsdesk_articleauthor b WHERE b.article_id = a.id),"
            " (SELECT count(*) FROM newsdesk_article_topics t WHERE t.article_id = a.id)"
            " FROM newsdesk_article a WHERE a.headline LIKE %s",
            [f"{WRITE_PREFIX} %"],
        ).fetchall()
    return {headline: (authors, topics) for headline, authors, topics in rows}


def _clear_writes(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        ids = "SELECT id FROM newsdesk_article WHERE headline LIKE %s"
        pattern = [f"{WRITE_PREFIX} %"]
        for table in ("newsdesk_articleauthor", "newsdesk_article_topics"):
            conn.execute(f"DELETE FROM {table} WHERE article_id IN ({ids})", pattern)
        conn.execute(
            f"DELETE FROM newsdesk_historicalarticle WHERE id IN ({ids})", pattern
        )
        conn.execute("DELETE FROM newsdesk_article WHERE headline LIKE %s", pattern)


def _summary(name: str, load: Load, outcome: dict, database_url: str) -> dict:
    stored = _writes_in_database(database_url)
    lost = [h for h in load.acknowledged if h not in stored]
    half = [h for h, counts in stored.items() if counts != (1, 1)]
    requests_made = sum(load.statuses.values())
    after = outcome["fault_window_s"][1] + outcome.get("grace_s", 1.0)
    errors_after = [e for e in load.errors if e[0] > after]
    result = {
        "fault": name,
        "requests": requests_made,
        "errors": len(load.errors),
        "errors_after_recovery": len(errors_after),
        "statuses": dict(load.statuses),
        "first_errors": load.errors[:5],
        "writes_acknowledged": len(load.acknowledged),
        "writes_stored": len(stored),
        "lost_writes": len(lost),
        "half_done_writes": len(half),
        **outcome,
    }
    kinds = Counter(outcome for _, outcome in load.errors)
    result["error_kinds"] = dict(kinds)
    result["retry_after_503s"] = load.retry_after
    shown = ", ".join(
        f"{n} × {k}" + (f", {load.retry_after} with Retry-After" if k == "503" else "")
        for k, n in kinds.most_common()
    )
    result["line"] = (
        f"{name}: {requests_made} requests, {len(load.errors)} errors"
        f"{f' ({shown})' if shown else ''}, "
        f"{len(errors_after)} after recovery, {len(lost)} lost writes, "
        f"{len(half)} half-done ({len(load.acknowledged)} writes acknowledged)"
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="redis,postgresql,postgresql-down,worker")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--ports-from",
        type=int,
        default=0,
        help="gunicorn on this port, Redis and PostgreSQL on the next two (free ones)",
    )
    args = parser.parse_args(argv)
    faults = [f for f in args.only.split(",") if f]
    if not shutil.which("redis-server"):
        raise SystemExit("redis-server is not installed (Debian: redis-server)")

    root = Path(tempfile.mkdtemp(prefix="newsdesk-faults-"))
    first = args.ports_from
    postgres = Postgres(root, first + 2 if first else 0)
    redis = Redis(first + 1 if first else 0)
    server = None
    results: list[dict[str, Any]] = []
    try:
        postgres.start()
        redis.start()
        import psycopg

        with psycopg.connect(postgres.url(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE newsroom")
        database_url = postgres.url("newsroom")
        os.environ["REDIS_URL"] = f"redis://127.0.0.1:{redis.port}/0"
        os.environ["BENCH_STATIC_ROOT"] = str(root / "static")
        env = child_env(database_url)
        say("migrating and generating a 300-article archive")
        collect_static(database_url)
        done = subprocess.run(
            [sys.executable, "-c", SETUP],
            cwd=PROJECT_DIR,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        setup = json.loads(done.stdout.strip().splitlines()[-1])
        paths = ["/", "/api/v1/articles/?page_size=20", "/incidents/", "/sitemap.xml"]
        # A few hot pages, so the cache has something to hit before and after.
        paths += setup["articles"][:8] + [
            f"/api/v1/articles/{pk}/" for pk in setup["ids"][:8]
        ]
        port = args.ports_from or free_port()
        base = f"http://127.0.0.1:{port}"
        app_log = root / "app.log"
        spec = {"workers": args.workers, "database_url": database_url}
        server = start_gunicorn(spec, port, root / "gunicorn.log", app_log=app_log)

        def redis_outage() -> str:
            redis.stop()
            time.sleep(5)
            redis.start()
            return "redis-server stopped for 5 s, then started again"

        def postgres_restart() -> str:
            postgres.restart()
            return "pg_ctl restart -m fast (open connections closed)"

        def postgres_outage() -> str:
            postgres.pg_ctl("-m", "fast", "stop")
            time.sleep(5)
            postgres.start()
            return "PostgreSQL stopped for 5 s (pg_ctl stop -m fast), then started"

        def worker_kill() -> str:
            victims = children_of(server.pid)
            os.kill(victims[0], signal.SIGKILL)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                now = children_of(server.pid)
                if len(now) >= args.workers and victims[0] not in now:
                    return f"worker {victims[0]} killed with SIGKILL; replaced"
                time.sleep(0.1)
            return f"worker {victims[0]} killed; NOT replaced within 30 s"

        plan = {
            "redis": redis_outage,
            "postgresql": postgres_restart,
            "postgresql-down": postgres_outage,
            "worker": worker_kill,
        }
        for name in faults:
            _clear_writes(database_url)
            say(f"{name}: {args.seconds:.0f} s of load, fault at 5 s")
            load = Load(base=base, paths=paths, write=setup)
            outcome = load.run(args.seconds, plan[name], at=5.0)
            if name in {"redis", "postgresql-down"}:
                start, end = outcome["fault_window_s"]
                outcome["cache_hits"] = {
                    "before": sum(1 for t in load.cache_hits if t < start),
                    "during": sum(1 for t in load.cache_hits if start <= t <= end),
                    "after": sum(1 for t in load.cache_hits if t > end),
                }
                log_text = app_log.read_text(errors="replace")
                outcome["warning_logged"] = (
                    "Cache unavailable" if name == "redis" else "Database unavailable"
                ) in log_text
            result = _summary(name, load, outcome, database_url)
            results.append(result)
            say(result["line"])
    finally:
        if server is not None:
            stop(server)
        redis.stop()
        with suppress(subprocess.CalledProcessError):
            postgres.stop()
        shutil.rmtree(root, ignore_errors=True)

    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "faults.json").write_text(json.dumps(results, indent=2) + "\n")
    lines = [
        "# Faults survived",
        "",
        f"`python -m bench.faults` ({args.seconds:.0f} s each, "
        f"{args.workers} gunicorn workers, 6 readers and 1 writer).",
        "",
    ]
    for r in results:
        extra = ""
        if "cache_hits" in r:
            hits = r["cache_hits"]
            extra = (
                f"; cache hits before/during/after the outage {hits['before']}/"
                f"{hits['during']}/{hits['after']}, warning logged: "
                f"{'yes' if r['warning_logged'] else 'no'}"
            )
        lines.append(f"- {r['line']}; {r.get('note', '')}{extra}")
    (RESULTS_DIR / "faults.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    failed = [
        r
        for r in results
        if r["lost_writes"]
        or r["half_done_writes"]
        or r["errors_after_recovery"]
        or "500" in r["error_kinds"]
    ]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
