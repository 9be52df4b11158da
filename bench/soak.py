"""The soak: the traffic mix at 50 connections for minutes, sampled as it runs.

Every `interval` seconds it records each gunicorn worker's resident memory
and the database connections open to the archive (`pg_stat_activity`, this
process's own left out). Passes with no errors (socket errors and 5xx), each
worker's memory at the end within 10 % of where it stood after the first
minute, and no more open connections at the end than at the start.
"""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from bench.load import run_wrk, wait_idle
from bench.support import children_of, log, proc_status

MEMORY_GROWTH_LIMIT = 10.0
SETTLE_SECONDS = 60.0


def db_connections() -> int | None:
    """Connections open to the archive's database, this process's left out."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return cursor.fetchone()[0]
    except Exception:
        connection.close()
        return None


class Sampler(threading.Thread):
    """Samples worker memory and database connections until stopped."""

    def __init__(self, master: int | None, interval: float) -> None:
        super().__init__(daemon=True)
        self.master, self.interval = master, interval
        self.stopping = threading.Event()
        self.samples: list[dict[str, Any]] = []
        self.started = time.monotonic()

    def sample(self) -> None:
        workers = children_of(self.master) if self.master else []
        self.samples.append(
            {
                "t": round(time.monotonic() - self.started, 1),
                "rss_kb": {pid: proc_status(pid).get("VmRSS", 0) for pid in workers},
                "db_connections": db_connections(),
            }
        )

    def run(self) -> None:
        from django.db import connection

        try:
            self.sample()
            while not self.stopping.wait(self.interval):
                self.sample()
            self.sample()
        finally:
            connection.close()


def _memory(samples: list[dict[str, Any]]) -> dict[str, Any]:
    """Each worker's memory after the settling minute and at the end."""
    settled = next(
        (s for s in samples if s["t"] >= SETTLE_SECONDS),
        samples[0] if samples else None,
    )
    last = samples[-1] if samples else None
    if not settled or not last:
        return {"growth_percent": None, "workers": {}}
    workers = {}
    for pid, start in settled["rss_kb"].items():
        end = last["rss_kb"].get(pid)
        series = [s["rss_kb"].get(pid) for s in samples if s["rss_kb"].get(pid)]
        workers[pid] = {
            "settled_kb": start,
            "end_kb": end,
            "max_kb": max(series) if series else None,
            "growth_percent": round((end - start) / start * 100, 1)
            if start and end
            else None,
        }
    growths = [
        w["growth_percent"] for w in workers.values() if w["growth_percent"] is not None
    ]
    replaced = set(last["rss_kb"]) != set(samples[0]["rss_kb"])
    return {
        "growth_percent": max(growths) if growths else None,
        "workers": workers,
        "replaced": replaced,
    }


def soak(
    base: str,
    stream_file: Path,
    *,
    seconds: int,
    connections: int,
    server: subprocess.Popen | None,
    warmup: int = 0,
    start: int = 0,
    interval: float = 10.0,
) -> dict[str, Any]:
    """`seconds` of the mix at `connections`: errors, memory and connections, sampled."""
    if warmup:
        log(f"soak: {warmup} s warm-up")
        run_wrk(
            base + "/",
            duration=warmup,
            connections=connections,
            threads=2,
            paths=[f"@{stream_file}", f"start={start}", "stride=2"],
        )
        wait_idle(base)
    log(f"soak: {seconds} s at {connections} connections")
    sampler = Sampler(server.pid if server else None, interval)
    sampler.start()
    run = run_wrk(
        base + "/",
        duration=seconds,
        connections=connections,
        threads=2,
        paths=[f"@{stream_file}", f"start={start}", "stride=2"],
    )
    wait_idle(base)
    sampler.stopping.set()
    sampler.join(timeout=60)
    samples = sampler.samples
    memory = _memory(samples)
    counts = [s["db_connections"] for s in samples if s["db_connections"] is not None]
    errors = run["error_count"] + sum(
        n for status, n in run["statuses"].items() if str(status).startswith("5")
    )
    growth = memory["growth_percent"]
    connections_flat = not counts or counts[-1] <= counts[0]
    ok = (
        errors == 0
        and (growth is None or growth <= MEMORY_GROWTH_LIMIT)
        and connections_flat
        and not memory.get("replaced")
    )
    rss = [
        f"{w['settled_kb'] / 1024:.0f} → {w['end_kb'] / 1024:.0f} MB"
        for w in memory["workers"].values()
        if w["settled_kb"] and w["end_kb"]
    ]
    line = (
        f"{seconds} s at {connections} connections: {run['requests']:,} requests "
        f"({run['rps']:.0f} req/s, p50 {run['latency_ms']['p50']} ms, p99 "
        f"{run['latency_ms']['p99']} ms), {errors} errors, statuses {run['statuses']}; "
        f"worker RSS after the first minute → end: {', '.join(rss) or 'n/a'} "
        f"(max growth {growth} %); open database connections "
        + (
            f"{counts[0]} → {counts[-1]} (max {max(counts)}, {len(counts)} samples)"
            if counts
            else "n/a (SQLite)"
        )
        + f" — {'flat, passed' if ok else 'FAILED'}"
    )
    return {
        "seconds": seconds,
        "connections": connections,
        "run": run,
        "samples": samples,
        "memory": memory,
        "db_connections": counts,
        "errors": errors,
        "ok": ok,
        "line": line,
    }
