"""SQLite and PostgreSQL find the same articles for the same query.

The table below is run on whichever database the suite runs on; CI runs the
suite on both, so each row holds for both engines.
"""

import pytest

from newsdesk.search import search_articles
from tests.factories import ArticleFactory, PersonFactory, SourceFactory

pytestmark = pytest.mark.django_db

ARTICLES = {
    "break": (
        "Prison break in Hasakah",
        "Fighters attacked the prison at night. <script>alert('x')</script>",
    ),
    "analyst": (
        "Well-known analyst warns",
        "See example.com for the 3.5 million figure. The state of the art.",
    ),
    "hospital": ("Hôpital de Qamishli reopens", "Doctors returned to the hospital."),
    "alerts": (
        "Alerts raised over camps",
        'Officials alerted the guards; <img src=x onerror="alert(1)"> stays text.',
    ),
    "raqqa": ("The news from Raqqa", "Nothing about prisons; a state art collection."),
    "transfer": ("Prisoner_transfer logged", "The prisoner transfer was logged."),
}

TABLE = [
    # Words inside HTML-looking text are words (PostgreSQL's parser drops tags).
    ("alert", {"break", "alerts"}),
    ("onerror", {"alerts"}),
    ("script", {"break"}),
    ("x", {"break", "alerts"}),
    # Host names, hyphenated words and decimals split at the punctuation.
    ("example", {"analyst"}),
    ("com", {"analyst"}),
    ("known", {"analyst"}),
    ('"well known"', {"analyst"}),
    ("well-known", {"analyst"}),
    ("3.5", {"analyst"}),
    # Underscores split words too.
    ("transfer", {"transfer"}),
    ("prisoner_transfer", {"transfer"}),
    # Stop words are words: alone, and inside phrases.
    ("the", {"break", "analyst", "hospital", "alerts", "raqqa", "transfer"}),
    ('"state of the art"', {"analyst"}),
    ("state art", {"analyst", "raqqa"}),
    # English stemming: plurals and verb forms.
    ("prisons", {"break", "raqqa", "transfer"}),  # prisoner: prison on both
    ("alerted", {"break", "alerts"}),
    ("returns", {"hospital"}),
    # Accents fold.
    ("hopital", {"hospital"}),
    ("HÔPITAL", {"hospital"}),
    # Exclusion, several words, people and sources.
    ("prison -hasakah", {"raqqa", "transfer"}),
    ("prison night", {"break"}),
    ("qzauthor", {"analyst"}),
    ("qzsource", {"raqqa"}),
    # "or" is not an operator on either engine.
    ("hasakah or raqqa", set()),
    ("nothing-matches-this", set()),
]


@pytest.fixture
def articles():
    found = {}
    for key, (headline, body) in ARTICLES.items():
        extra = {}
        if key == "analyst":
            extra["authors"] = [PersonFactory(name="Qzauthor Karam")]
        if key == "raqqa":
            extra["source"] = SourceFactory(name="Qzsource Weekly")
        found[key] = ArticleFactory(
            published=True, headline=headline, standfirst="", body=body, **extra
        )
    return found


@pytest.mark.parametrize(("query", "expected"), TABLE, ids=[q for q, _ in TABLE])
def test_both_engines_match_the_same_articles(articles, query, expected):
    keys = {article.pk: key for key, article in articles.items()}
    found = {keys[a.pk] for a in search_articles(query, candidates=None)}
    assert found == expected
