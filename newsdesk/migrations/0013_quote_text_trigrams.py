"""Trigram index on quote texts for the site search on PostgreSQL (pg_trgm).

People are found by what they are quoted saying (`text__icontains`, which
PostgreSQL runs as `UPPER(text) LIKE UPPER(...)`): with this index a rare or
misspelt word no longer reads every quote. SQLite skips it.
"""

from django.db import migrations

INDEX = "newsdesk_quote_text_upper_trgm"


def create_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON newsdesk_quote "
        "USING gin (upper(text::text) gin_trgm_ops)"
    )


def drop_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("newsdesk", "0012_review_notes")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
