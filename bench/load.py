"""Serving the app with gunicorn and loading it with wrk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from bench.support import PROJECT_DIR, WRK_SCRIPT, child_env, children_of


def run_wrk(
    url: str,
    *,
    duration: int,
    connections: int,
    threads: int,
    headers: dict[str, str] | None = None,
    paths: list[str] | None = None,
    rate: float = 0.0,
) -> dict[str, Any]:
    """wrk's result; with `rate`, an open-loop load of that many requests per second."""
    env = None
    if rate:
        env = {**os.environ, "WRK_PACE_RPS": f"{rate / threads:.3f}"}
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
        command,
        capture_output=True,
        text=True,
        timeout=duration + 60,
        check=False,
        env=env,
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


def start_gunicorn(
    spec: dict[str, Any],
    port: int,
    log_path: Path,
    *,
    app_log: Path | None = None,
    extra_args: list[str] | None = None,
) -> subprocess.Popen:
    """gunicorn with `spec`'s workers; the app's own log goes to `app_log` if given."""
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
        *(extra_args or []),
    ]
    process = subprocess.Popen(
        command,
        cwd=PROJECT_DIR,
        env=child_env(spec["database_url"]),
        stdout=subprocess.DEVNULL,
        stderr=app_log.open("ab") if app_log else subprocess.DEVNULL,
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
