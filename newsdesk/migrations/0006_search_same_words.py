"""PostgreSQL search matches the words SQLite's index matches.

Before, PostgreSQL's parser dropped whole HTML-looking tags (`<img … alert(1)>`),
kept host names, hyphenated compounds and decimals as single tokens, and
ignored English stop words, while SQLite's FTS5 index splits on every
punctuation mark and keeps every word. Now the text is split the same way
before PostgreSQL parses it, stop words are kept, and accents are folded when
the `unaccent` extension can be installed (a trusted extension since
PostgreSQL 13). Both stem English words (SQLite with Porter, PostgreSQL with
Snowball), which can still differ on a few rare word forms. SQLite is unchanged.
"""

from django.db import DatabaseError, migrations, transaction

CONFIG = "newsdesk_english"
WORD_TOKENS = (
    "asciiword, asciihword, hword_asciipart, word, hword, hword_part, "
    "numword, numhword, hword_numpart"
)


def _vector_function(config: str, split: bool) -> str:
    def text(sql: str) -> str:
        sql = f"coalesce({sql}, '')"
        return f"regexp_replace({sql}, '[[:punct:]]+', ' ', 'g')" if split else sql

    return f"""
    CREATE OR REPLACE FUNCTION newsdesk_article_search_vector_update() RETURNS trigger AS $$
    BEGIN
      NEW.search_vector :=
        setweight(to_tsvector('{config}', {text("NEW.headline")}), 'A') ||
        setweight(to_tsvector('{config}', {text("NEW.standfirst")}), 'B') ||
        setweight(to_tsvector('{config}', {text('''(
          SELECT string_agg(p.name, ' ')
          FROM newsdesk_articleauthor aa
          JOIN newsdesk_person p ON p.id = aa.person_id
          WHERE aa.article_id = NEW.id)''')}), 'B') ||
        setweight(to_tsvector('{config}', {text('''(
          SELECT s.name FROM newsdesk_source s WHERE s.id = NEW.source_id)''')}), 'B') ||
        setweight(to_tsvector('{config}', {text("NEW.body")}), 'C');
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """


REINDEX = "UPDATE newsdesk_article SET headline = headline"


def forward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
            dictionaries = "unaccent, newsdesk_english_stem"
        except DatabaseError:
            dictionaries = "newsdesk_english_stem"
        # Snowball's English stemmer without its stop-word list.
        cursor.execute(
            "CREATE TEXT SEARCH DICTIONARY newsdesk_english_stem "
            "(TEMPLATE = snowball, Language = english)"
        )
        cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = english)")
        cursor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} "
            f"ALTER MAPPING FOR {WORD_TOKENS} WITH {dictionaries}"
        )
        cursor.execute(_vector_function(CONFIG, split=True))
        cursor.execute(REINDEX)


def backward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(_vector_function("english", split=False))
        cursor.execute(REINDEX)
        cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")
        cursor.execute("DROP TEXT SEARCH DICTIONARY IF EXISTS newsdesk_english_stem")


class Migration(migrations.Migration):
    dependencies = [
        ("newsdesk", "0005_moderator_without_articles"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
