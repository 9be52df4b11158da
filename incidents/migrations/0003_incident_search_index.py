"""Full-text search index of incidents' titles and summaries.

PostgreSQL: a GIN index on the weighted vector `incidents.search` queries, in
the articles' text search configuration. SQLite: an FTS5 table with the
articles' tokenizer; its triggers are installed after every `migrate` (see
incidents.search), like the articles' ones.
"""

from django.db import migrations

FTS_SQL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS incidents_incident_fts USING fts5("
    "title, summary, tokenize = 'porter unicode61 remove_diacritics 2')"
)


def _index():
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    # The expression of incidents.search.search_vector() as it was written here.
    vector = SearchVector("title", weight="A", config="newsdesk_english") + (
        SearchVector("summary", weight="B", config="newsdesk_english")
    )
    return GinIndex(vector, name="incidents_incident_search_gin")


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.add_index(apps.get_model("incidents", "Incident"), _index())
    elif vendor == "sqlite":
        schema_editor.execute(FTS_SQL)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("incidents", "Incident"), _index())
    elif vendor == "sqlite":
        for name in ("ai", "au", "ad"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS incidents_incident_fts_{name}")
        schema_editor.execute("DROP TABLE IF EXISTS incidents_incident_fts")


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0002_figure_version"),
        # The text search configuration the index is built in.
        ("newsdesk", "0006_search_same_words"),
    ]

    operations = [migrations.RunPython(forward, backward)]
