"""Database tools for bulk loads: explicit timestamps, paused search triggers, index rebuild."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress

SEARCH_REBUILD_NAMES = ("search_index_rebuild", "rebuild_search_index", "rebuild_index")


@contextmanager
def explicit_timestamps(model: type) -> Iterator[None]:
    """Let bulk inserts write `created_at`/`updated_at` as given, like an old archive."""
    fields = [f for f in model._meta.fields if getattr(f, "auto_now", False)] + [
        f for f in model._meta.fields if getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


@contextmanager
def search_triggers_paused() -> Iterator[None]:
    """Suspend the per-row search-index triggers during a bulk load.

    Each inserted byline row would otherwise re-index its article. On
    PostgreSQL the article row's own trigger stays on (its bylines are written
    first); SQLite's index is rebuilt once afterwards (`rebuild_search_index`).
    """
    from django.db import connection

    paused: list[str] = []
    if connection.vendor == "sqlite":
        with suppress(ImportError):
            from newsdesk import search

            search.sqlite_triggers_drop()
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger "
                "WHERE NOT tgisinternal AND tgrelid::regclass::text LIKE 'newsdesk_%%' "
                "AND tgrelid::regclass::text <> 'newsdesk_article'"
            )
            paused = [row[0] for row in cursor.fetchall()]
            for table in paused:
                cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
    try:
        yield
    finally:
        if paused:
            with connection.cursor() as cursor:
                # Inside an outer transaction, deferred foreign-key checks must
                # run before the table may be altered again.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                for table in paused:
                    cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')


def rebuild_search_index(*, missing_only: bool = False) -> str:
    """Fill the full-text index with the search module's own tools.

    Returns what was done ("" when nothing was needed or there is no index).
    With `missing_only`, only rows the index lacks are touched.
    """
    from django.db import connection

    try:
        from newsdesk import search
    except ImportError:
        return ""
    for name in SEARCH_REBUILD_NAMES:
        function = getattr(search, name, None)
        if callable(function) and not missing_only:
            function()
            return name
    if connection.vendor == "sqlite" and hasattr(search, "sqlite_index_install"):
        if missing_only:
            return ""  # `migrate` rebuilds SQLite's index after every run
        search.sqlite_index_install()
        return "sqlite_index_install"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_trigger WHERE tgname = "
                "'newsdesk_article_search_vector_trg'"
            )
            if cursor.fetchone():
                # Touching the headline re-runs the vector trigger, as the
                # migration that created the index does.
                cursor.execute(
                    "UPDATE newsdesk_article SET headline = headline "
                    "WHERE search_vector IS NULL"
                )
                return f"search_vector trigger on {cursor.rowcount} rows"
    return ""


def reset_content() -> None:
    """Delete every editorial and incident row, leaving users and groups."""
    from django.db import transaction

    from incidents import models as im
    from newsdesk import models as nm

    with transaction.atomic():
        for model in (
            im.RecommendationUpdate,
            im.Recommendation,
            im.FigureCandidate,
            im.Figure,
            im.IncidentActor,
            im.Incident,
            im.ActorAlias,
            im.Actor,
            im.Place,
            nm.Comment,
            nm.Correction,
            nm.Quote,
            nm.RelatedLink,
            nm.ArticleRedirect,
            nm.ArticleAuthor,
            nm.Article,
            nm.Person,
            nm.Topic,
            nm.Source,
        ):
            model._base_manager.all().delete()
        for model in (nm.Article, im.Incident, im.Figure, im.Recommendation):
            model.history.all().delete()
