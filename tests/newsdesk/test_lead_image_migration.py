"""Uploaded lead images move into the media library with nothing lost, and back."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from PIL import Image as PillowImage

from newsdesk import search

BEFORE = [("newsdesk", "0008_image")]
AFTER = [("newsdesk", "0010_article_lead_image_from_library")]


def _migrate(targets):
    # What `migrate` does around the migrations (pre/post_migrate receivers).
    search.sqlite_triggers_drop()
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture
def old_schema(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    apps = _migrate(BEFORE)
    yield apps
    _migrate(_latest())
    search.sqlite_index_install()


def _latest():
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] == "newsdesk"]


def _stored_jpeg(name: str) -> str:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (640, 360), "teal").save(buffer, format="JPEG")
    return default_storage.save(name, ContentFile(buffer.getvalue()))


@pytest.mark.django_db(transaction=True)
def test_lead_images_move_into_the_library(old_schema):
    article_model = old_schema.get_model("newsdesk", "Article")
    path = _stored_jpeg("articles/2024/01/prison.jpg")
    common = {"body": "Body", "language": "en", "status": "draft"}
    first = article_model.objects.create(
        headline="One",
        slug="one",
        lead_image=path,
        lead_image_alt="Smoke over the prison",
        lead_image_caption="Ghwayran, 21 January",
        lead_image_credit="Hawar",
        **common,
    )
    # The same photo with the same words elsewhere, but its own caption.
    second = article_model.objects.create(
        headline="Two",
        slug="two",
        lead_image=path,
        lead_image_alt="Smoke over the prison",
        lead_image_caption="A week later",
        lead_image_credit="Hawar",
        **common,
    )
    decorative = article_model.objects.create(
        headline="Three",
        slug="three",
        lead_image="articles/gone.jpg",  # the file is missing: the row still moves
        lead_image_decorative=True,
        **common,
    )
    bare = article_model.objects.create(headline="Four", slug="four", **common)

    apps = _migrate(AFTER)

    article_model = apps.get_model("newsdesk", "Article")
    image_model = apps.get_model("newsdesk", "Image")
    first, second, decorative, bare = (
        article_model.objects.get(pk=a.pk) for a in (first, second, decorative, bare)
    )
    assert image_model.objects.count() == 2
    image = first.lead_image
    assert (image.file.name, image.alt_text, image.credit, image.caption) == (
        path,
        "Smoke over the prison",
        "Hawar",
        "Ghwayran, 21 January",
    )
    assert (image.width, image.height) == (640, 360)
    assert first.lead_image_caption == ""  # the library's caption says it
    assert second.lead_image_id == image.pk
    assert second.lead_image_caption == "A week later"
    assert decorative.lead_image.decorative and decorative.lead_image.width is None
    assert bare.lead_image_id is None

    # And back: the old columns are refilled from the library.
    apps = _migrate(BEFORE)
    article_model = apps.get_model("newsdesk", "Article")
    restored = article_model.objects.get(pk=second.pk)
    assert (
        restored.lead_image.name,
        restored.lead_image_alt,
        restored.lead_image_caption,
        restored.lead_image_credit,
    ) == (path, "Smoke over the prison", "A week later", "Hawar")
