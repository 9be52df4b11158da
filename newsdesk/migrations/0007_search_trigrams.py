"""Trigram matching for the site search on PostgreSQL (pg_trgm).

A GIN trigram index on headlines serves the search's fallback for misspelt
queries (`headline %> query`). SQLite has no pg_trgm: both steps skip it, and
its misspellings are corrected from the published vocabulary instead.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "newsdesk_article_headline_trgm"


def create_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON newsdesk_article "
        "USING gin (lower(headline) gin_trgm_ops)"
    )


def drop_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("newsdesk", "0006_search_same_words")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
