"""A backup restores into a fresh database with identical content and history."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from incidents import models as im
from incidents import services as incident_services
from newsdesk import models as nm
from newsdesk import services
from newsdesk.search import search_articles
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]


def build_history(editor, reporter) -> nm.Article:
    """Content written through the services, so every change leaves a revision."""
    person = f.PersonFactory(name="Emmanuel Karagiannis")
    topic = f.TopicFactory(name="Detention")
    article = services.article_create(
        user=reporter,
        headline="Prison attack in Hasaka",
        body="Fighters attacked Ghwayran prison.",
        authors=[person],
        topics=[topic],
    )
    services.article_update(
        article=article,
        user=reporter,
        data={"body": "Fighters attacked Ghwayran prison at night."},
        expected_version=article.version,
    )
    services.article_submit(article=article, user=reporter)
    services.article_publish(article=article, user=editor)
    services.correction_add(article=article, user=editor, note="Fixed the date.")
    f.QuoteFactory(article=article, person=person)
    comment = f.CommentFactory(article=article)
    services.comment_approve(comments=[comment], user=editor)
    incident = f.IncidentFactory(title="Ghwayran prison attack")
    incident.articles.add(article)
    f.FigureFactory(incident=incident, article=article, low=67, high=70)
    recommendation = f.RecommendationFactory(made_in=article, incident=incident)
    if hasattr(incident_services, "recommendation_set_status"):
        incident_services.recommendation_set_status(
            recommendation=recommendation,
            user=editor,
            status=im.RecommendationStatus.ACKNOWLEDGED,
            evidence_url="https://example.org/statement",
        )
    return article


def snapshot() -> dict:
    """Everything a restore must bring back, in comparable form."""
    return {
        "articles": list(
            nm.Article.objects.order_by("pk").values(
                "pk",
                "headline",
                "slug",
                "body",
                "body_html",
                "status",
                "publish_at",
                "version",
                "created_by__username",
                "updated_by__username",
            )
        ),
        "article_history": list(
            nm.Article.history.order_by("history_id").values(
                "history_id",
                "id",
                "version",
                "status",
                "history_type",
                "history_user__username",
            )
        ),
        "authors": list(
            nm.ArticleAuthor.objects.values_list("article", "person", "position")
        ),
        "topics": list(
            nm.Article.topics.through.objects.values_list("article", "topic")
        ),
        "comments": list(nm.Comment.objects.values("pk", "body", "email", "status")),
        "corrections": list(nm.Correction.objects.values("pk", "note", "published_at")),
        "incidents": list(im.Incident.objects.values("pk", "title", "status")),
        "incident_history": im.Incident.history.count(),
        "incident_articles": list(
            im.Incident.articles.through.objects.values_list("incident", "article")
        ),
        "figures": list(im.Figure.objects.values("pk", "low", "high", "claimant")),
        "figure_history": im.Figure.history.count(),
        "recommendations": list(im.Recommendation.objects.values("pk", "status")),
        "users": list(
            nm.Article._meta.get_field("created_by")
            .related_model.objects.order_by("username")
            .values("username", "password", "groups__name")
        ),
    }


def backup_models(path: Path) -> set[str]:
    return {row["model"] for row in json.loads(path.read_text())}


def test_round_trip_restores_identical_content_and_history(
    db, editor, reporter, tmp_path
):
    article = build_history(editor, reporter)
    before = snapshot()
    assert len(before["article_history"]) >= 4
    backup = tmp_path / "newsroom.newsroom.gz"
    call_command("backup_newsroom", str(backup))

    with pytest.raises(CommandError, match="already holds"):
        call_command("restore_newsroom", str(backup))

    call_command("restore_newsroom", str(backup), "--force")
    assert snapshot() == before
    # Derived indexes follow the restored rows: search finds the article.
    assert list(search_articles("Ghwayran").values_list("pk", flat=True)) == [
        article.pk
    ]
    # New rows after a restore do not collide with restored ids.
    assert f.ArticleFactory().pk > article.pk


def test_backup_leaves_out_secrets_and_rebuildable_tables(db, editor, tmp_path):
    from rest_framework.authtoken.models import Token

    Token.objects.create(user=editor)
    backup = tmp_path / "backup.newsroom"
    call_command("backup_newsroom", str(backup))
    models = backup_models(backup)
    assert "auth.user" in models and "auth.group" in models
    assert not {
        m
        for m in models
        if m.split(".")[0] in {"contenttypes", "sessions", "axes", "authtoken"}
    }
    assert "auth.permission" not in models


def test_a_failed_restore_changes_nothing(db, editor, reporter, tmp_path):
    build_history(editor, reporter)
    before = snapshot()
    backup = tmp_path / "backup.newsroom"
    call_command("backup_newsroom", str(backup))
    broken = tmp_path / "broken.newsroom"
    rows = json.loads(backup.read_text())
    rows.append({"model": "newsdesk.article", "pk": 1, "fields": {"publish_at": "no"}})
    broken.write_text(json.dumps(rows))
    with pytest.raises(Exception):  # noqa: B017 - any loaddata failure will do
        call_command("restore_newsroom", str(broken), "--force")
    assert snapshot() == before


def test_restore_names_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="no such backup file"):
        call_command("restore_newsroom", str(tmp_path / "nope.json"))


@pytest.mark.slow
def test_round_trip_into_a_freshly_migrated_database(tmp_path):
    """The documented procedure, end to end, on two separate database files."""
    source_db, fresh_db = tmp_path / "source.sqlite3", tmp_path / "fresh.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_DEBUG="true", DJANGO_SETTINGS_MODULE="newsdesk.settings")

    def manage(database: Path, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**env, "DATABASE_URL": f"sqlite:///{database}"},
            capture_output=True,
            text=True,
            timeout=300,
        )

    result = manage(source_db, "migrate", "--noinput", "-v0")
    assert result.returncode == 0, result.stderr
    shutil.copyfile(source_db, fresh_db)  # a freshly migrated, empty database
    result = manage(source_db, "seed")
    assert result.returncode == 0, result.stderr
    first, second = tmp_path / "first.newsroom", tmp_path / "second.newsroom"
    assert manage(source_db, "backup_newsroom", str(first)).returncode == 0
    result = manage(fresh_db, "restore_newsroom", str(first))
    assert result.returncode == 0, result.stderr
    assert manage(fresh_db, "backup_newsroom", str(second)).returncode == 0
    assert json.loads(first.read_text()) == json.loads(second.read_text())
    models = backup_models(first)
    assert {"newsdesk.article", "newsdesk.historicalarticle", "auth.user"} <= models

    again = manage(fresh_db, "restore_newsroom", str(first))
    assert again.returncode != 0
    assert "already holds" in again.stderr
