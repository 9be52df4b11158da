"""The database cache table that presence uses when Redis is not configured."""

from django.core.management import call_command
from django.db import migrations

TABLE = "newsdesk_presence_cache"


def create_table(apps, schema_editor):
    call_command(
        "createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0
    )


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("newsdesk", "0016_form_draft")]

    operations = [migrations.RunPython(create_table, drop_table)]
