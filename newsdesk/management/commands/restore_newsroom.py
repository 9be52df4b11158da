"""`manage.py restore_newsroom FILE`: load a backup into a freshly migrated database.

Refuses a database that already holds content or accounts, unless `--force`,
which first deletes them. Everything happens in one transaction: a failure
leaves the database as it was.
"""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import override_settings

RESTORED_APPS = ("newsdesk", "incidents")


def _restored_models() -> list:
    from django.contrib.admin.models import LogEntry

    models = [
        model
        for label in RESTORED_APPS
        for model in apps.get_app_config(label).get_models()
    ]
    return [*models, LogEntry, get_user_model()]


def database_has_content() -> bool:
    """True when any article, incident, person, source or account exists."""
    return any(model._default_manager.exists() for model in _restored_models())


def _delete_everything(using: str) -> None:
    """Empty the restored tables; one statement per table, children first."""
    connection = connections[using]
    tables = {model._meta.db_table for model in _restored_models()}
    for model in _restored_models():
        for field in model._meta.local_many_to_many:
            tables.add(field.remote_field.through._meta.db_table)
    existing = set(connection.introspection.table_names())
    statements = connection.ops.sql_flush(
        no_style(),
        [t for t in tables if t in existing],
        reset_sequences=False,
        allow_cascade=True,
    )
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        # TRUNCATE refuses tables with deferred constraint checks still queued
        # in this transaction; run those checks now, then defer again for the
        # load, whose rows arrive in any order.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    connection.ops.execute_sql_flush(statements)
    if postgresql:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


class Command(BaseCommand):
    help = (
        "Load a backup written by backup_newsroom into this database, in one "
        "transaction. Refuses a database with content unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", help="A file written by backup_newsroom.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Delete the content and accounts already in the database first.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, backup: str, force: bool, database: str, **options) -> None:
        if not Path(backup).is_file():
            raise CommandError(f"{backup}: no such backup file.")
        with transaction.atomic(using=database):
            if database_has_content():
                if not force:
                    raise CommandError(
                        "This database already holds articles, incidents or "
                        "accounts. Restore into a freshly migrated database, or "
                        "pass --force to replace everything in it."
                    )
                _delete_everything(database)
            # The backup holds the history itself; loading many-to-many
            # relations must not add revisions of its own.
            with override_settings(SIMPLE_HISTORY_ENABLED=False):
                call_command("loaddata", backup, database=database, verbosity=0)
        self.stdout.write(self.style.SUCCESS(f"Restored {backup}."))
