"""Purge the cache tags of articles whose publish time passed since the last run,
and put live the pending changes scheduled for now.

Scheduled (embargoed) articles go live by time alone, with no write to send
signals; scheduled changes to live articles wait in their pending revision
until this command writes them (through the services, which purge what they
change). Run it every minute from cron so both appear at once. On SQLite it
also refreshes the query planner's statistics of tables that changed enough
(`newsdesk.planner_statistics`):

    * * * * * cd /srv/newsdesk && .venv/bin/python manage.py publish_due
"""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from newsdesk import planner_statistics
from newsdesk.http.purge import purge_now
from newsdesk.models import Article
from newsdesk.revisions.services import article_publish_due_changes
from newsdesk.signals import article_released

LAST_RUN_KEY = "newsdesk:publish-due:last-run"
# With no record of an earlier run (a fresh or per-process cache), look back
# this far: purging an article twice is harmless, missing one is not.
DEFAULT_WINDOW_MINUTES = 10


class Command(BaseCommand):
    help = (
        "Purge cached pages, feeds and API answers for articles whose scheduled "
        "publish time has passed since the last run (run every minute from cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--window",
            type=int,
            default=DEFAULT_WINDOW_MINUTES,
            help="Minutes to look back when no earlier run is on record "
            f"(default {DEFAULT_WINDOW_MINUTES}).",
        )

    def handle(self, *args, window: int, **options) -> None:
        now = timezone.now()
        last_run = cache.get(LAST_RUN_KEY)
        since = (
            datetime.datetime.fromtimestamp(last_run, tz=datetime.UTC)
            if last_run is not None
            else now - datetime.timedelta(minutes=window)
        )
        due = list(
            Article.objects.published()
            .filter(publish_at__gt=since, publish_at__lte=now)
            .only("id", "status", "publish_at", "slug", "source_id")
            .order_by("publish_at", "id")
        )
        tags: set[str] = set()
        for article in due:
            tags |= article_released(article)
        purge_now(tags)
        changes = article_publish_due_changes(moment=now)
        cache.set(LAST_RUN_KEY, now.timestamp(), timeout=None)
        planner_statistics.optimize()
        self.stdout.write(
            f"{len(due)} article(s) went live since {since:%Y-%m-%d %H:%M:%S} UTC; "
            f"{len(tags)} cache tag(s) purged."
        )
        published = sum(result.published for result in changes)
        if changes:
            self.stdout.write(
                f"{published} scheduled change(s) to live articles published."
            )
        for result in changes:
            if not result.published:
                self.stderr.write(
                    f"Article {result.article_id}: scheduled changes not published: "
                    f"{result.reason}"
                )
