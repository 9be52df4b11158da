"""The focal point picker and its crops; the article list's search at archive scale."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PillowImage
from PIL import ImageDraw

from newsdesk.admin.lists import ArticleListPaginator
from newsdesk.media import focal_crop, image_renditions_warm, image_thumbnail_url
from newsdesk.models import Article, Image
from tests import factories as f
from tests.admin_forms import admin_form_data
from tests.query_plans import require_sqlite, sqlite_plans

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:newsdesk_article_changelist"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# --- focal point -----------------------------------------------------------------


def test_crops_centre_the_focal_point_as_far_as_the_picture_allows():
    image = Image(width=1600, height=900, focal_x=60, focal_y=10)
    # A square of 900 out of 1600: centred on x = 960, it starts at 510 of 700.
    assert focal_crop(image, (1, 1)) == "73% 50%"
    # Near an edge the window stops at the edge instead of leaving the picture.
    image.focal_x = 5
    assert focal_crop(image, (1, 1)) == "0% 50%"
    # A taller window than the picture's shape crops top and bottom instead.
    tall = Image(width=1000, height=2000, focal_x=10, focal_y=30)
    assert focal_crop(tall, (16, 9)) == f"50% {round((600 - 281.25) / 1437.5 * 100)}%"
    # The same shape as the picture: nothing to crop, nothing moves.
    assert focal_crop(Image(width=1600, height=900, focal_x=5), (16, 9)) == "50% 50%"


def _striped_photo() -> ContentFile:
    """Navy, with a red band centred at x = 960 of 1600 (60 %)."""
    picture = PillowImage.new("RGB", (1600, 900), "navy")
    ImageDraw.Draw(picture).rectangle([940, 0, 980, 900], fill="red")
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=95)
    return ContentFile(buffer.getvalue(), name="band.jpg")


def test_the_thumbnail_has_the_focal_point_in_its_middle():
    image = f.ImageFactory(file=_striped_photo(), focal_x=60, focal_y=50)
    url = image_thumbnail_url(image)
    with image.file.storage.open(url.removeprefix("/media/")) as handle:
        thumb = PillowImage.open(handle).convert("RGB")
    red, green, blue = thumb.getpixel((80, 80))  # the middle of 160 × 160
    assert red > 180 and green < 80 and blue < 80


def test_image_form_offers_the_picker_over_plain_fields(editor_client):
    image = f.ImageFactory(focal_x=40, focal_y=70)
    html = editor_client.get(
        reverse("admin:newsdesk_image_change", args=[image.pk])
    ).content.decode()
    assert "data-nd-focal" in html
    assert re.search(r'<script src="[^"]*newsdesk/admin/focal-point\.js"', html)
    # Without JavaScript the point is two number fields.
    assert re.search(r'<input type="number" name="focal_x" value="40"', html)
    assert re.search(r'<input type="number" name="focal_y" value="70"', html)
    # Each crop preview is placed as the server crops it.
    square = focal_crop(image, (1, 1))
    assert square == "27% 50%"  # (640 - 450) / 700
    assert f'data-ratio="1:1" style="object-position: {square}"' in html


def test_saving_the_focal_point_goes_through_the_service_and_recrops(
    editor_client, monkeypatch
):
    from newsdesk import media

    image = f.ImageFactory(file=_striped_photo(), focal_x=50, focal_y=50)
    before = image_thumbnail_url(image)
    calls = []
    monkeypatch.setattr(
        "newsdesk.admin.media.image_update",
        lambda **kwargs: calls.append(kwargs) or media.image_update(**kwargs),
    )
    url = reverse("admin:newsdesk_image_change", args=[image.pk])
    data = {**admin_form_data(editor_client.get(url)), "focal_x": 60, "focal_y": 25}
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:1500]
    image.refresh_from_db()
    assert (image.focal_x, image.focal_y) == (60, 25)
    assert calls and calls[0]["focal_x"] == 60
    assert image_thumbnail_url(image) != before  # a new crop, not the old file


def test_an_out_of_frame_focal_point_is_a_field_error(editor_client):
    image = f.ImageFactory(focal_x=50)
    url = reverse("admin:newsdesk_image_change", args=[image.pk])
    data = {**admin_form_data(editor_client.get(url)), "focal_x": 140}
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "focal_x" in response.context["adminform"].form.errors
    image.refresh_from_db()
    assert image.focal_x == 50


# --- search ----------------------------------------------------------------------


def test_a_search_counts_its_matches_up_to_a_cap(editor_client, monkeypatch):
    monkeypatch.setattr(ArticleListPaginator, "cap", 3)
    f.ArticleFactory.create_batch(5, body="Families waited at the prison gates.")
    response = editor_client.get(reverse(CHANGELIST), {"q": "prison"})
    html = response.content.decode()
    assert response.context["cl"].result_count == 3
    assert "more than 3 results" in html
    f.ArticleFactory(body="Nothing about gates.")
    html = editor_client.get(reverse(CHANGELIST), {"q": "nothing"}).content.decode()
    assert "1 result " in html and "more than" not in html


def test_a_search_leaves_out_the_date_links_until_a_date_is_chosen(editor_client):
    f.ArticleFactory(published=True, body="The prison siege.")
    listed = editor_client.get(reverse(CHANGELIST))
    assert listed.context["cl"].date_hierarchy == "publish_at"
    searched = editor_client.get(reverse(CHANGELIST), {"q": "prison"})
    assert searched.context["cl"].date_hierarchy is None
    year = listed.context["cl"].result_list[0].publish_at.year
    drilled = editor_client.get(
        reverse(CHANGELIST), {"q": "prison", "publish_at__year": year}
    )
    assert drilled.context["cl"].date_hierarchy == "publish_at"
    assert len(drilled.context["cl"].result_list) == 1


def test_search_queries_do_not_grow_with_the_matches(editor_client):
    images = []

    def searched() -> tuple[list, int]:
        cache.clear()
        for image in images:  # renditions are made at upload, before any list
            image_renditions_warm(image=image)
        with CaptureQueriesContext(connection) as ctx:
            response = editor_client.get(reverse(CHANGELIST), {"q": "prison"})
        return list(response.context["cl"].result_list), len(ctx)

    people = [f.PersonFactory()]
    f.ArticleFactory(body="The prison siege.", authors=people)
    rows, few = searched()
    assert len(rows) == 1
    images.append(f.ImageFactory())
    f.ArticleFactory.create_batch(
        60, body="Prison guards.", authors=people, lead_image=images[0]
    )
    rows, many = searched()
    assert len(rows) == 50 and many == few  # a page of rows, the same queries
    # The page is still in the list's order: most recently updated first.
    assert [r.updated_at for r in rows] == sorted(
        (r.updated_at for r in rows), reverse=True
    )


def test_the_dashboard_says_a_moment_not_zero_minutes(editor_client, editor):
    f.ArticleFactory(headline="Fresh draft", created_by=editor, updated_by=editor)
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert "Fresh draft" in html
    assert "edited a moment ago" in html and "0\xa0minutes" not in html


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's plan for a rare word"
)
def test_a_rare_word_is_read_from_the_index_a_common_one_row_by_row(
    editor_client, monkeypatch
):
    monkeypatch.setattr("newsdesk.search.COMMON_MATCHES", 3)
    f.ArticleFactory.create_batch(3, body="Prison guards.")
    f.ArticleFactory(body="Rare Qamishli note.")

    def page_query(term: str) -> str:
        with CaptureQueriesContext(connection) as ctx:
            response = editor_client.get(reverse(CHANGELIST), {"q": term})
        assert response.status_code == 200
        return next(
            q["sql"]
            for q in ctx.captured_queries
            if '"newsdesk_article"."id" AS "pk"' in q["sql"]
        )

    rare = page_query("qamishli")
    assert 'IN (SELECT U0."id"' in rare  # the few matches from the index
    common = page_query("prison")
    assert '("newsdesk_article".search_vector @@' in common


def test_a_common_word_on_sqlite_finds_every_match_in_the_lists_order(
    editor_client, monkeypatch
):
    """A common word is looked for among its newest matches, and an older article
    updated since is still found, first in the list (asked of the index alone)."""
    require_sqlite()
    monkeypatch.setattr("newsdesk.search.COMMON_MATCHES", 3)
    monkeypatch.setattr("newsdesk.search.SQLITE_WINDOW", 3)
    oldest = f.ArticleFactory(headline="Oldest", body="Prison guards.")
    f.ArticleFactory(headline="Unrelated", standfirst="Water.", body="Water shortages.")
    newer = [
        f.ArticleFactory(headline=f"Newer {n}", body="Prison guards.") for n in range(5)
    ]
    Article.objects.filter(pk=oldest.pk).update(
        updated_at=timezone.now() + datetime.timedelta(hours=1)
    )
    with sqlite_plans() as plans:
        response = editor_client.get(reverse(CHANGELIST), {"q": "prison"})
    listed = [a.headline for a in response.context["cl"].result_list]
    assert listed[0] == "Oldest"
    assert sorted(listed) == sorted(["Oldest", *(a.headline for a in newer)])
    keys = next(
        steps for sql, steps in plans if '"newsdesk_article"."id" AS "pk"' in sql
    )
    assert not any("TEMP B-TREE" in step for step in keys), keys
