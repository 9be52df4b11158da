"""Paths, logging, processes and PostgreSQL databases shared by the benchmark's parts."""

from __future__ import annotations

import datetime
import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
WRK_SCRIPT = BENCH_DIR / "wrk.lua"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/nd_bench"
SETTINGS_MODULE = "bench.settings"


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
    """A free local port: any, or the first free one of `BENCH_PORTS` ("8100-8109")."""
    first, _, last = os.environ.get("BENCH_PORTS", "").partition("-")
    candidates = range(int(first), int(last or first) + 1) if first else [0]
    for candidate in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise OSError(f"No free port in BENCH_PORTS={os.environ['BENCH_PORTS']}")


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


def worker_memory(master: int) -> dict[str, Any]:
    workers = children_of(master)
    stats = {pid: proc_status(pid) for pid in workers}
    return {
        "workers": len(workers),
        "rss_kb": [s.get("VmRSS", 0) for s in stats.values()],
        "peak_rss_kb": [s.get("VmHWM", 0) for s in stats.values()],
        "pids": workers,
    }


def collect_static(database_url: str) -> None:
    """`collectstatic` for `bench.settings`: whitenoise serves from its manifest."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=PROJECT_DIR,
        env=child_env(database_url),
        check=True,
    )
