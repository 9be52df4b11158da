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
import json
import os
import shutil
import time
from pathlib import Path

from bench.report import write_results
from bench.runner import Options, orchestrate, run_import, run_phase
from bench.support import DEFAULT_PG_URL, PROJECT_DIR, SETTINGS_MODULE, log


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
