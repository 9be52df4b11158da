"""Trigram index on incident sub-kinds for the site search on PostgreSQL.

The search matches a phrase in an incident's title, summary, sub-kind or
place. With every one of those conditions indexed (the places through their
keys), PostgreSQL reads a rare or misspelt word's few matches from the
indexes at once; one unindexed column made it test every incident row by
row. SQLite skips it.
"""

from django.db import migrations

INDEX = "incidents_incident_sub_kind_upper_trgm"


def create_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON incidents_incident "
        "USING gin (upper(sub_kind::text) gin_trgm_ops)"
    )
    schema_editor.execute("ANALYZE incidents_incident")


def drop_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("incidents", "0005_incident_in_focus_index")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
