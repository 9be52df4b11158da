"""Trigram indexes on incident titles and summaries and on recommendation
statements, for the site search on PostgreSQL (pg_trgm).

The search matches these with `icontains` (`UPPER(col) LIKE UPPER(...)`). With
the indexes a rare word no longer reads every row, and PostgreSQL keeps
statistics on the indexed expressions: it then knows a common word matches
half the incidents and walks the start-date index to the first page instead
of sorting every match. SQLite skips them.
"""

from django.db import migrations

INDEXES = {
    "incidents_incident_title_upper_trgm": ("incidents_incident", "title"),
    "incidents_incident_summary_upper_trgm": ("incidents_incident", "summary"),
    "incidents_rec_statement_upper_trgm": ("incidents_recommendation", "statement"),
}


def create_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin (upper({column}::text) gin_trgm_ops)"
        )
        schema_editor.execute(f"ANALYZE {table}")


def drop_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0003_incident_search_index"),
        # pg_trgm
        ("newsdesk", "0007_search_trigrams"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False)
    ]
