"""Warm the edge and the app's cache after a deploy or a flush: every public page once.

    manage.py warm_cache --url http://127.0.0.1:6081 --host news.example.org \\
        --concurrency 4 --rate 50 --languages en,ar,fr --extra-limit 2000

Walks `/sitemap.xml` (every section and page) and asks for the front page and
each listed page through the edge, at most `--concurrency` at a time and
`--rate` a second, then reports what it asked and what it got. Without
`--url` it asks the first of `NEWSDESK_VARNISH_URLS`. See docs/operations.md.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from newsdesk.warming import FRONT_PAGES, WarmReport, warm


def _languages(text: str) -> list[str]:
    return [code.strip() for code in text.split(",") if code.strip()]


class Command(BaseCommand):
    help = (
        "Ask the edge for the front page and every page the sitemaps list, once "
        "each, at a bounded concurrency and rate, so readers find them cached."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url",
            default="",
            help="the edge's address (default: the first of NEWSDESK_VARNISH_URLS)",
        )
        parser.add_argument(
            "--host",
            default="",
            help="the public host name to ask under (the Host header); default: "
            "the address's own",
        )
        parser.add_argument("--sitemap", default="/sitemap.xml")
        parser.add_argument(
            "--page",
            action="append",
            default=[],
            help="a page to warm first that no sitemap lists (repeatable; default "
            "the front page): e.g. --page / --page /incidents/",
        )
        parser.add_argument(
            "--concurrency", type=int, default=4, help="requests at once (default 4)"
        )
        parser.add_argument(
            "--rate",
            type=float,
            default=20.0,
            help="most requests a second (default 20; 0 for no limit)",
        )
        parser.add_argument("--timeout", type=float, default=10.0)
        parser.add_argument(
            "--limit", type=int, default=0, help="most sitemap pages (default: all)"
        )
        parser.add_argument(
            "--languages",
            default="",
            help="Accept-Language values to warm, comma-separated; every page in "
            "the first (default: none sent, the site's language), the first "
            "--extra-limit pages in the others",
        )
        parser.add_argument("--extra-limit", type=int, default=1000)
        parser.add_argument(
            "--max-errors",
            type=int,
            default=50,
            help="stop after this many failures in a row (default 50)",
        )

    def handle(self, *args, **options) -> None:
        url = options["url"] or next(iter(settings.NEWSDESK_VARNISH_URLS or ()), "")
        if not url:
            raise CommandError(
                "Name the edge to warm with --url (or set NEWSDESK_VARNISH_URLS)."
            )
        if options["concurrency"] < 1 or options["rate"] < 0:
            raise CommandError("--concurrency must be at least 1, --rate at least 0.")

        def progress(report: WarmReport) -> None:
            self.stdout.write(f"  {report.requested:,} of the pages asked so far")

        report = warm(
            url,
            host=options["host"],
            sitemap=options["sitemap"],
            front_pages=options["page"] or FRONT_PAGES,
            languages=_languages(options["languages"]) or [""],
            extra_limit=options["extra_limit"],
            limit=options["limit"],
            concurrency=options["concurrency"],
            rate=options["rate"],
            timeout=options["timeout"],
            max_errors=options["max_errors"],
            progress=progress,
        )
        for error in report.sitemap_errors[:10]:
            self.stderr.write(f"Sitemap not read: {error}")
        self.stdout.write(f"Warmed {url}: {report.summary()}")
        if report.stopped or (report.requested and not report.ok):
            raise CommandError(f"Warming stopped early: {report.stopped or 'no page'}")
