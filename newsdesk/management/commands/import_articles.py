"""`manage.py import_articles PATH...`: scraped articles, pages, wire items and feeds become drafts."""

from __future__ import annotations

import glob
import itertools
import json
import multiprocessing
import os
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from newsdesk.importing.importer import (
    CREATED,
    FAILED,
    UNCHANGED,
    UPDATED,
    WOULD_CREATE,
    WOULD_UPDATE,
    WRITE_BATCH,
    ArticleImporter,
    ImportOutcome,
)
from newsdesk.importing.parser import FileAnalysis
from newsdesk.importing.parser.article import analyse_path, repeated_in_files
from newsdesk.importing.parser.limits import ImportLimits
from newsdesk.importing.worker import exit_with_parent, prepare_file

PROGRESS_MIN_FILES = 20
# Below this many files, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 200
GLOB_CHARS = set("*?[")
# JSON and XML are left out of directories by default: a folder of scraped pages
# may hold other JSON or XML files; name them, or widen --pattern.
DEFAULT_PATTERN = "*.txt,*.html,*.htm"


def expand_paths(
    arguments: list[str], *, pattern: str
) -> tuple[list[Path], list[ImportOutcome]]:
    """Files named by the arguments (files, directories, globs), each once, in order;
    plus a failure for each argument that names nothing."""
    files: list[Path] = []
    missing: list[ImportOutcome] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            files.append(path)

    for argument in arguments:
        path = Path(argument)
        if GLOB_CHARS & set(argument):
            matches = sorted(Path(p) for p in glob.glob(argument, recursive=True))
            matches = [m for m in matches if m.is_file()]
            if not matches:
                missing.append(
                    ImportOutcome(
                        argument, FAILED, reason="No files match this pattern."
                    )
                )
            for match in matches:
                add(match)
        elif path.is_dir():
            matches = sorted(
                {
                    p
                    for each in pattern.split(",")
                    for p in path.rglob(each.strip())
                    if p.is_file()
                    and not any(
                        part.startswith(".") for part in p.relative_to(path).parts
                    )
                }
            )
            if not matches:
                missing.append(
                    ImportOutcome(
                        argument,
                        FAILED,
                        reason=f"The directory has no {pattern} files.",
                    )
                )
            for match in matches:
                add(match)
        elif path.is_file():
            add(path)
        else:
            missing.append(
                ImportOutcome(argument, FAILED, reason="No such file or directory.")
            )
    return files, missing


def analyse_files(
    files: list[Path], *, jobs: int, limits: ImportLimits
) -> Iterator[FileAnalysis]:
    """Parse files in order; in worker processes when the batch is large.

    Blocks that recur across the batch's files are the sites' furniture, so they
    are counted over the whole batch first."""
    paths = [str(path) for path in files]
    repeated = repeated_in_files(paths, limits)
    if jobs < 1 or len(files) < PARALLEL_MIN_FILES:
        for path in paths:
            yield from analyse_path(path, limits, repeated)
        return
    # "spawn" keeps the workers free of this process's database connections.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=exit_with_parent,
        initargs=(os.getpid(),),
    ) as pool:
        for analyses in pool.map(
            partial(prepare_file, limits=limits, repeated=repeated),
            paths,
            chunksize=16,
        ):
            yield from analyses


class Command(BaseCommand):
    help = (
        "Import scraped articles (text, saved HTML pages, ninjs items, RSS/Atom "
        "feeds; files, directories or globs) as drafts with their source, quotes, "
        "related links and candidate figures."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths", nargs="+", help="Files, directories or glob patterns."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what would be imported; write nothing.",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="Print a machine-readable report on stdout.",
        )
        parser.add_argument(
            "--pattern",
            default=DEFAULT_PATTERN,
            help="Which files to take from directories, comma-separated globs "
            f"(default: {DEFAULT_PATTERN}). Files named on the command line are "
            "read by their ending: .html/.htm pages, .json ninjs items, "
            ".xml/.rss/.atom feeds, anything else as plain text.",
        )
        parser.add_argument(
            "--user", help="Username recorded as the creator of the drafts (optional)."
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Never show a progress bar."
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=min(4, max(0, (os.cpu_count() or 1) - 1)),
            help="Worker processes that parse files while this one writes them "
            "(large batches only; 0 parses here). Default: one per spare CPU, up to 4.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=WRITE_BATCH,
            help="Files committed together (default: %(default)s; 1 commits each "
            "file on its own). A failing file is always kept out on its own.",
        )

    def handle(self, *args, **options) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user named “{options['user']}”.")
        files, outcomes = expand_paths(options["paths"], pattern=options["pattern"])
        importer = ArticleImporter(user=user, dry_run=options["dry_run"])
        show_progress = (
            not options["no_progress"]
            and len(files) >= PROGRESS_MIN_FILES
            and self.stderr.isatty()
        )
        progress = tqdm(
            total=len(files),
            desc="Importing",
            unit="file",
            file=self.stderr._out,
            disable=not show_progress,
        )
        analyses = analyse_files(files, jobs=options["jobs"], limits=importer.limits)
        batch_size = options["batch_size"]
        for chunk in iter(lambda: list(itertools.islice(analyses, batch_size)), []):
            for outcome in importer.import_analyses(chunk, batch_size=batch_size):
                outcomes.append(outcome)
                progress.update(1)
                if options["verbosity"] >= 2 and not options["json"]:
                    progress.write(self._line(outcome), file=self.stdout._out)
        progress.close()

        counts = Counter(outcome.status for outcome in outcomes)
        summary = {
            status: counts.get(status, 0)
            for status in (
                (WOULD_CREATE, WOULD_UPDATE, UNCHANGED, FAILED)
                if options["dry_run"]
                else (CREATED, UPDATED, UNCHANGED, FAILED)
            )
        }
        if options["json"]:
            report = {
                "dry_run": options["dry_run"],
                "summary": summary,
                "files": [outcome.as_dict() for outcome in outcomes],
            }
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            self._print_summary(outcomes, summary, dry_run=options["dry_run"])
        if counts.get(FAILED):
            raise CommandError(
                f"{counts[FAILED]} of {len(outcomes)} file(s) could not be imported."
            )

    def _line(self, outcome: ImportOutcome) -> str:
        detail = outcome.reason or outcome.headline
        return f"{outcome.status:>12}  {outcome.path}  {detail}"

    def _print_summary(
        self, outcomes: list[ImportOutcome], summary: dict, *, dry_run: bool
    ) -> None:
        for outcome in outcomes:
            for warning in outcome.warnings:
                self.stdout.write(self.style.WARNING(f"{outcome.path}: {warning}"))
        failed = [outcome for outcome in outcomes if outcome.status == FAILED]
        for outcome in failed:
            self.stdout.write(
                self.style.ERROR(f"Failed: {outcome.path}: {outcome.reason}")
            )
        if dry_run:
            for outcome in outcomes:
                if outcome.status in (WOULD_CREATE, WOULD_UPDATE):
                    self.stdout.write(
                        f"Would {outcome.status.split()[1]}: {outcome.path} → “{outcome.headline}” "
                        f"({outcome.language}; {outcome.quotes} quotes, "
                        f"{outcome.related_links} related links, "
                        f"{outcome.figure_candidates} candidate figures"
                        + (f"; source {outcome.source}" if outcome.source else "")
                        + ")"
                    )
        line = ", ".join(f"{count} {status}" for status, count in summary.items())
        prefix = "Dry run, nothing written: " if dry_run else ""
        style = self.style.ERROR if failed else self.style.SUCCESS
        self.stdout.write(style(f"{prefix}{line}."))
