"""`manage.py seed`: import the seed articles and apply the curated newsroom fixture."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from newsdesk.seeding import SEEDS_DIR, NewsroomSeeder


class Command(BaseCommand):
    help = (
        "Import the seed articles and load the curated newsroom (sources, people, "
        "incidents, figures, recommendations); safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fixture",
            default=str(SEEDS_DIR / "newsroom.json"),
            help="The curated fixture (default: seeds/newsroom.json).",
        )

    def handle(self, *args, **options) -> None:
        path = Path(options["fixture"])
        try:
            fixture = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read the seed fixture {path}: {exc}") from exc
        seeder = NewsroomSeeder(fixture, seeds_dir=path.parent)
        try:
            with transaction.atomic():
                seeder.run()
        except ValidationError as exc:
            raise CommandError(f"The seed fixture does not validate: {exc}") from exc
        changes = ", ".join(f"{n} {what}" for what, n in sorted(seeder.changes.items()))
        ready = ", ".join(
            [f"{len(seeder.articles)} articles published", *seeder.summary]
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Seed newsroom ready: {ready}. Changes this run: {changes or 'none'}."
            )
        )
