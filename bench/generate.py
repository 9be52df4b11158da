"""Fill an empty database with a realistic newsroom archive, fast.

Rows are built in memory in chunks and written with `bulk_create` under
explicit primary keys, so a million articles never sit in memory at once and
no per-row `save()` runs. Each distinct Markdown body is rendered once.

    python -m bench.generate --articles 100000
    python -m bench.generate --articles 1000000      # PostgreSQL
    python -m bench.generate --scraped-files 10000 --out DIR
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bench.generator import generate, reset_content, write_scraped_files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--articles", type=int, default=100_000, help="published articles"
    )
    parser.add_argument("--incidents", type=int, default=None)
    parser.add_argument("--recommendations", type=int, default=None)
    parser.add_argument("--seed", type=int, default=20220120)
    parser.add_argument(
        "--reset", action="store_true", help="delete existing content first"
    )
    parser.add_argument("--migrate", action="store_true", help="run migrations first")
    parser.add_argument(
        "--scraped-files",
        type=int,
        default=0,
        help="write N scraped files to --out instead",
    )
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)

    if args.scraped_files:
        if args.out is None:
            parser.error("--scraped-files needs --out DIR")
        write_scraped_files(args.out, args.scraped_files)
        print(f"wrote {args.scraped_files} files")
        return 0

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    if args.migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
    if args.reset:
        reset_content()

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    counts = generate(
        articles=args.articles,
        incidents=args.incidents,
        recommendations=args.recommendations,
        seed=args.seed,
        log=log,
    )
    for label, count in counts.items():
        print(f"{label:32} {count:>10,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
