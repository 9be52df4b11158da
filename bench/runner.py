"""One phase per database and size, each in its own process, and the orchestrator over them."""

from __future__ import annotations

import datetime
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.load import (
    check_live,
    prepare_conditional,
    run_wrk,
    start_gunicorn,
    stop,
    wait_idle,
)
from bench.paint import measure_paint
from bench.scenarios import BASELINE_OF, discover_scenarios, site_search
from bench.support import (
    BENCH_DIR,
    DEFAULT_PG_URL,
    PROJECT_DIR,
    SETTINGS_MODULE,
    child_env,
    collect_static,
    free_port,
    log,
    pg_admin_url,
    pg_database_url,
    pg_exists,
    pg_recreate,
    worker_memory,
)
from bench.targets import evaluate_targets


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


def run_phase(spec: dict[str, Any]) -> dict[str, Any]:
    """Build (or reuse) one database, measure every scenario, return the results."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.generator import generate, rebuild_search_index

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
            if name in site_search.SINGLE_CONNECTION:
                scenario["single"] = run_single(url, spec)
                wait_idle(base)
            log(
                f"  {name}: {measured['rps']:.0f} req/s, p50 {measured['latency_ms']['p50']} ms, "
                f"p95 {measured['latency_ms']['p95']} ms, {scenario['queries']} queries, "
                f"{measured['error_count']} errors, HTTP {status}, "
                f"statuses {measured.get('statuses')}"
            )
        result["memory_after_scenarios"] = worker_memory(server.pid)
        if not spec["only"] or "paint" in spec["only"]:
            result["paint"] = paint_phase(base, scenarios)
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


def run_single(url: str, spec: dict[str, Any]) -> dict[str, Any]:
    """The scenario one connection at a time: a single reader's wait, no queue."""
    measured = run_wrk(url, duration=spec["duration"], connections=1, threads=1)
    log(
        f"    one connection: p50 {measured['latency_ms']['p50']} ms, "
        f"p95 {measured['latency_ms']['p95']} ms"
    )
    return {
        "rps": measured["rps"],
        "requests": measured["requests"],
        "latency_ms": measured["latency_ms"],
        "error_count": measured["error_count"],
    }


def paint_phase(base: str, scenarios: dict[str, Any]) -> dict[str, Any]:
    """LCP and page weight of the home page and the sample article (Chromium)."""
    pages = {"home": "/"}
    if scenarios.get("article", {}).get("available"):
        pages["article"] = scenarios["article"]["url"]
    paint = measure_paint(base, pages)
    for name, page in paint.get("pages", {}).items():
        log(
            f"  paint {name}: LCP {page['lcp_ms']} ms (worst {page['lcp_worst_ms']}), "
            f"{page['compressed_bytes']} bytes HTML+CSS+JS compressed"
        )
    if not paint["available"]:
        log(f"  paint: not available ({paint['reason']})")
    return paint


def import_accuracy(held_out: bool = False) -> dict[str, dict[str, float]]:
    from bench.importing import CORPUS, HELD_OUT, accuracy

    return accuracy(HELD_OUT if held_out else CORPUS)


def run_import(spec: dict[str, Any]) -> dict[str, Any]:
    """Time `import_articles` on generated scraped files, into a fresh SQLite file."""
    import django

    django.setup()
    from django.core.management import call_command, get_commands

    from bench.generator import write_scraped_files

    if "import_articles" not in get_commands():
        return {
            "available": False,
            "reason": "manage.py import_articles does not exist yet",
        }
    call_command("migrate", verbosity=0, interactive=False)
    with tempfile.TemporaryDirectory(prefix="scraped-") as directory:
        files = write_scraped_files(Path(directory), spec["files"])
        command = [sys.executable, "manage.py", "import_articles", directory]
        # The importer's CPU time (its worker processes' included: it waits for
        # them) and the machine's load beside the wall time: on a busy machine
        # the wall time says more about the neighbours than about the import.
        load_before = os.getloadavg()[0]
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
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
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        load_after = os.getloadavg()[0]
    cpu_seconds = (cpu_after.ru_utime - cpu_before.ru_utime) + (
        cpu_after.ru_stime - cpu_before.ru_stime
    )
    from newsdesk.models import Article

    created = Article.objects.count()
    return {
        "available": True,
        "files": len(files),
        "created": created,
        "seconds": round(seconds, 1),
        "files_per_second": round(created / seconds, 1) if seconds else None,
        "cpu_seconds": round(cpu_seconds, 1),
        "cpu_ms_per_file": round(cpu_seconds * 1000 / created, 2) if created else None,
        "cores": os.cpu_count(),
        "load_average": [round(load_before, 2), round(load_after, 2)],
        "exit_status": completed.returncode,
        "summary": completed.stdout.strip().splitlines()[-5:],
        "stderr_tail": completed.stderr.strip().splitlines()[-3:],
        "accuracy": import_accuracy(),
        "accuracy_held_out": import_accuracy(held_out=True),
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
    collect_static(sqlite_url)
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
