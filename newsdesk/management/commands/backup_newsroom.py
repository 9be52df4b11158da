"""`manage.py backup_newsroom FILE`: the whole newsroom, with its revision history.

A `dumpdata` of every editorial, structured-data and account table, with
natural keys so it loads into any freshly migrated database. The format is
"newsroom": Django's JSON with times kept to the microsecond. Tables that a
migration recreates (content types, permissions) or that only hold transient
state (sessions, login attempts, API tokens) are left out.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

# What a restore needs: content, its history, accounts and roles, admin log.
BACKUP_APPS = ("auth.user", "auth.group", "admin.logentry", "newsdesk", "incidents")
BACKUP_SUFFIXES = tuple(
    f".newsroom{suffix}" for suffix in ("", ".gz", ".bz2", ".xz", ".lzma")
)
# Never in a backup: rebuilt by `migrate`, or transient and security-sensitive.
EXCLUDED = (
    "contenttypes",
    "auth.permission",
    "sessions",
    "axes",
    "authtoken",
)


class Command(BaseCommand):
    help = (
        "Write the newsroom (articles, incidents, people, users, roles and all "
        "revision history) to FILE (.newsroom, or .newsroom.gz / .bz2 / .xz to "
        "compress)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "output",
            help="Where to write the backup: a .newsroom or .newsroom.gz file.",
        )

    def handle(self, *args, output: str, **options) -> None:
        if not Path(output).name.endswith(BACKUP_SUFFIXES):
            raise CommandError(
                f"{output}: name the backup file.newsroom, or file.newsroom.gz "
                "to compress it."
            )
        call_command(
            "dumpdata",
            *BACKUP_APPS,
            format="newsroom",
            natural_foreign=True,
            natural_primary=True,
            exclude=list(EXCLUDED),
            output=output,
            indent=None,
            verbosity=0,
        )
        self.stdout.write(self.style.SUCCESS(f"Backup written to {output}."))
