"""Full-text search index for published-article search.

PostgreSQL: a stored, weighted `search_vector` tsvector column on the article
table with a GIN index, kept current by triggers (headline A; standfirst,
authors and source B; body C). SQLite: an FTS5 table `newsdesk_article_fts`
kept in step by triggers that `newsdesk.search` installs after each migrate.
The column and the FTS table live outside Django's model state on purpose:
the database maintains them, never Python code.
"""

from django.db import migrations

PG_FORWARD = [
    "ALTER TABLE newsdesk_article ADD COLUMN search_vector tsvector",
    """
    CREATE FUNCTION newsdesk_article_search_vector_update() RETURNS trigger AS $$
    BEGIN
      NEW.search_vector :=
        setweight(to_tsvector('english', coalesce(NEW.headline, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(NEW.standfirst, '')), 'B') ||
        setweight(to_tsvector('english', coalesce((
          SELECT string_agg(p.name, ' ')
          FROM newsdesk_articleauthor aa
          JOIN newsdesk_person p ON p.id = aa.person_id
          WHERE aa.article_id = NEW.id), '')), 'B') ||
        setweight(to_tsvector('english', coalesce((
          SELECT s.name FROM newsdesk_source s WHERE s.id = NEW.source_id), '')), 'B') ||
        setweight(to_tsvector('english', coalesce(NEW.body, '')), 'C');
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER newsdesk_article_search_vector_trg
    BEFORE INSERT OR UPDATE OF headline, standfirst, body, source_id
    ON newsdesk_article
    FOR EACH ROW EXECUTE FUNCTION newsdesk_article_search_vector_update()
    """,
    # Touching `headline` re-runs the row trigger above for the affected articles.
    """
    CREATE FUNCTION newsdesk_article_search_touch_byline() RETURNS trigger AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        UPDATE newsdesk_article SET headline = headline WHERE id = OLD.article_id;
      END IF;
      IF TG_OP <> 'DELETE' THEN
        UPDATE newsdesk_article SET headline = headline WHERE id = NEW.article_id;
      END IF;
      RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER newsdesk_articleauthor_search_trg
    AFTER INSERT OR UPDATE OR DELETE ON newsdesk_articleauthor
    FOR EACH ROW EXECUTE FUNCTION newsdesk_article_search_touch_byline()
    """,
    """
    CREATE FUNCTION newsdesk_article_search_touch_person() RETURNS trigger AS $$
    BEGIN
      UPDATE newsdesk_article SET headline = headline WHERE id IN (
        SELECT article_id FROM newsdesk_articleauthor WHERE person_id = NEW.id);
      RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER newsdesk_person_search_trg
    AFTER UPDATE OF name ON newsdesk_person
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION newsdesk_article_search_touch_person()
    """,
    """
    CREATE FUNCTION newsdesk_article_search_touch_source() RETURNS trigger AS $$
    BEGIN
      UPDATE newsdesk_article SET headline = headline WHERE source_id = NEW.id;
      RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER newsdesk_source_search_trg
    AFTER UPDATE OF name ON newsdesk_source
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION newsdesk_article_search_touch_source()
    """,
    "UPDATE newsdesk_article SET headline = headline",
    "CREATE INDEX newsdesk_article_search_gin ON newsdesk_article USING GIN (search_vector)",
]

PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS newsdesk_source_search_trg ON newsdesk_source",
    "DROP TRIGGER IF EXISTS newsdesk_person_search_trg ON newsdesk_person",
    "DROP TRIGGER IF EXISTS newsdesk_articleauthor_search_trg ON newsdesk_articleauthor",
    "DROP TRIGGER IF EXISTS newsdesk_article_search_vector_trg ON newsdesk_article",
    "DROP FUNCTION IF EXISTS newsdesk_article_search_touch_source()",
    "DROP FUNCTION IF EXISTS newsdesk_article_search_touch_person()",
    "DROP FUNCTION IF EXISTS newsdesk_article_search_touch_byline()",
    "DROP FUNCTION IF EXISTS newsdesk_article_search_vector_update()",
    "DROP INDEX IF EXISTS newsdesk_article_search_gin",
    "ALTER TABLE newsdesk_article DROP COLUMN IF EXISTS search_vector",
]


SQLITE_FORWARD = [
    # Only the table: its triggers are installed after every `migrate` and
    # dropped before it (see newsdesk.search), because SQLite table rebuilds
    # during later migrations fail while triggers name the rebuilt tables.
    "CREATE VIRTUAL TABLE IF NOT EXISTS newsdesk_article_fts USING fts5("
    "headline, standfirst, body, people, source, "
    "tokenize = 'porter unicode61 remove_diacritics 2')",
]

SQLITE_BACKWARD = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in (
        "newsdesk_article_fts_ai", "newsdesk_article_fts_au", "newsdesk_article_fts_ad",
        "newsdesk_articleauthor_fts_ai", "newsdesk_articleauthor_fts_au",
        "newsdesk_articleauthor_fts_ad", "newsdesk_person_fts_au", "newsdesk_source_fts_au",
    )),
    "DROP TABLE IF EXISTS newsdesk_article_fts",
]


def _run(schema_editor, statements: list[str]) -> None:
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def forward(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, PG_FORWARD)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_FORWARD)


def backward(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, PG_BACKWARD)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("newsdesk", "0002_roles"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
