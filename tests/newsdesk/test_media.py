"""The media library: checked uploads, stripped metadata, alt text, renditions on pages."""

import io
import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image as PillowImage

from newsdesk.media import image_create, image_renditions_warm, image_update
from newsdesk.models import Image
from tests.factories import ArticleFactory, ImageFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _jpeg_with_gps(size=(800, 600)) -> bytes:
    picture = PillowImage.new("RGB", size, "olive")
    exif = PillowImage.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {2: (33.0, 30.0, 0.0), 4: (36.0, 17.0, 0.0)}  # GPS position
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def _upload(content: bytes, name="photo.jpg", kind="image/jpeg"):
    return SimpleUploadedFile(name, content, kind)


def test_upload_is_sniffed_from_content_and_stripped_of_exif(editor):
    original = _jpeg_with_gps()
    assert PillowImage.open(io.BytesIO(original)).getexif()  # the fixture has EXIF

    # Named .png, but a JPEG inside: the content decides.
    image = image_create(
        file=_upload(original, name="../../evil.png", kind="image/png"),
        user=editor,
        alt_text="Fighters at the gate",
        credit="Hawar",
    )

    image.refresh_from_db()
    assert image.file.name.endswith(".jpg") and "/evil" in image.file.name
    assert ".." not in image.file.name
    assert (image.width, image.height) == (800, 600)
    assert image.uploaded_by == editor
    with image.file.open() as handle, PillowImage.open(handle) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif()


def test_rotated_photo_is_stored_upright(editor):
    picture = PillowImage.new("RGB", (400, 200), "red")
    exif = PillowImage.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", exif=exif)

    image = image_create(
        file=_upload(buffer.getvalue()), user=editor, alt_text="A street"
    )

    assert (image.width, image.height) == (200, 400)


def test_not_an_image_is_refused_with_its_name(editor):
    with pytest.raises(ValidationError) as err:
        image_create(
            file=_upload(b"<?php system($_GET['c']); ?>", name="shell.jpg"),
            user=editor,
            alt_text="x",
        )
    assert err.value.code == "not_an_image"
    assert "“shell.jpg” is not an image" in err.value.messages[0]
    assert not Image.objects.exists()


def test_size_and_pixel_limits_come_from_settings(editor, settings):
    settings.NEWSDESK_IMAGE_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as err:
        image_create(file=_upload(_jpeg_with_gps()), user=editor, alt_text="x")
    assert err.value.code == "file_too_large"
    assert "at most 1000" in err.value.messages[0]

    settings.NEWSDESK_IMAGE_MAX_BYTES = 10_000_000
    settings.NEWSDESK_IMAGE_MAX_PIXELS = 100_000
    with pytest.raises(ValidationError) as err:
        image_create(file=_upload(_jpeg_with_gps()), user=editor, alt_text="x")
    assert err.value.code == "too_many_pixels"
    assert "800 × 600 pixels" in err.value.messages[0]
    assert not Image.objects.exists()


def test_unsupported_format_is_named(editor):
    buffer = io.BytesIO()
    PillowImage.new("RGB", (10, 10)).save(buffer, format="BMP")
    with pytest.raises(ValidationError) as err:
        image_create(
            file=_upload(buffer.getvalue(), name="a.jpg"), user=editor, alt_text="x"
        )
    assert err.value.code == "unsupported_format"
    assert "BMP" in err.value.messages[0]


def test_alt_text_is_required_unless_decorative(editor, media_root):
    with pytest.raises(ValidationError) as err:
        image_create(file=_upload(_jpeg_with_gps()), user=editor, alt_text="  ")
    assert "alt_text" in err.value.message_dict
    assert not list(media_root.rglob("*.jpg"))  # refused before the file is stored

    image = image_create(file=_upload(_jpeg_with_gps()), user=editor, decorative=True)
    assert image.pk and image.reader_alt == ""

    with pytest.raises(IntegrityError), transaction.atomic():
        Image.objects.filter(pk=image.pk).update(decorative=False)


def test_only_the_library_fields_can_be_written(editor):
    image = ImageFactory()
    with pytest.raises(ValidationError) as err:
        image_update(image=image, user=editor, uploaded_by=None)
    assert "uploaded_by" in err.value.message_dict


def test_update_changes_text_and_focal_point(editor):
    image = ImageFactory()
    image_update(image=image, user=editor, alt_text="New words", focal_x=20, focal_y=80)
    image.refresh_from_db()
    assert (image.alt_text, image.crop) == ("New words", "20% 80%")
    with pytest.raises(ValidationError) as err:
        image_update(image=image, user=editor, focal_x=140)
    assert "focal_x" in err.value.message_dict


def test_moderators_and_anonymous_users_cannot_upload(moderator, reporter):
    for user in (moderator, None):
        with pytest.raises(PermissionDenied):
            image_create(file=_upload(_jpeg_with_gps()), user=user, alt_text="x")
    assert image_create(file=_upload(_jpeg_with_gps()), user=reporter, alt_text="x").pk


def test_admin_upload_saves_through_the_service(editor_client):
    response = editor_client.post(
        reverse("admin:newsdesk_image_add"),
        {
            "file": _upload(_jpeg_with_gps(), name="gate.jpg"),
            "alt_text": "Fighters at the gate",
            "caption": "",
            "credit": "Hawar",
            "focal_x": 30,
            "focal_y": 40,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    image = Image.objects.get()
    assert (image.credit, image.focal_x, image.width) == ("Hawar", 30, 800)
    with image.file.open() as handle, PillowImage.open(handle) as stored:
        assert not stored.getexif()


def test_admin_upload_errors_sit_on_their_fields(editor_client):
    url = reverse("admin:newsdesk_image_add")
    response = editor_client.post(
        url,
        {
            "file": _upload(b"not an image", name="notes.jpg"),
            "alt_text": "x",
            "focal_x": 50,
            "focal_y": 50,
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "file" in errors

    response = editor_client.post(
        url,
        {
            "file": _upload(_jpeg_with_gps()),
            "alt_text": "",
            "focal_x": 50,
            "focal_y": 50,
        },
    )
    assert response.status_code == 200
    assert (
        "or tick “decorative”"
        in response.context["adminform"].form.errors["alt_text"][0]
    )
    assert not Image.objects.exists()


def test_admin_image_list_shows_thumbnails(editor_client):
    ImageFactory(title="Gate")
    html = editor_client.get(
        reverse("admin:newsdesk_image_changelist")
    ).content.decode()
    assert 'class="nd-thumb"' in html and ".jpg" in html
    # The thumbnail links to the image's page: its alt text is the link's name.
    assert 'alt="Edit Gate"' in html


def test_chooser_searches_the_library_with_thumbnails(editor_client):
    ImageFactory(alt_text="Smoke over Hasaka", caption="Ghwayran prison")
    ImageFactory(alt_text="A market in Raqqa")
    response = editor_client.get(
        reverse("editing:image_chooser"), {"q": "hasaka prison"}
    )
    data = response.json()
    assert response["Cache-Control"].startswith("max-age=0")
    assert [r["alt_text"] for r in data["results"]] == ["Smoke over Hasaka"]
    assert data["results"][0]["thumb"].endswith(".jpg")


def test_chooser_answers_head_like_get(editor_client):
    ImageFactory(alt_text="Smoke over Hasaka")
    url = reverse("editing:image_chooser")
    head, get = editor_client.head(url), editor_client.get(url)
    assert (head.status_code, get.status_code) == (200, 200)
    assert head.content == b"" and head["Content-Type"] == get["Content-Type"]


def test_chooser_is_staff_only(client, moderator):
    assert client.get(reverse("editing:image_chooser")).status_code == 403
    client.force_login(moderator)
    assert client.get(reverse("editing:image_chooser")).status_code == 403


# --- On public pages -------------------------------------------------------------


def test_article_page_has_social_image_and_jsonld(client):
    image = ImageFactory(alt_text="Smoke above the prison", focal_x=10, focal_y=90)
    article = ArticleFactory(
        published=True, lead_image=image, lead_image_caption="Ours"
    )
    html = client.get(article.get_absolute_url()).content.decode()

    og = re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)
    assert og.startswith("http://testserver/media/") and og.endswith(".jpg")
    assert '<meta property="og:image:alt" content="Smoke above the prison">' in html
    ld = json.loads(re.search(r'application/ld\+json">(.*?)</script>', html).group(1))
    assert og in ld["image"]
    assert "<figcaption>Ours" in html  # the article's own caption wins
    social = Image.objects.get().file.storage
    # the social crop is really 1200 × 630
    path = og.removeprefix("http://testserver/media/")
    with social.open(path) as handle, PillowImage.open(handle) as crop:
        assert crop.size == (1200, 630)


def test_decorative_lead_image_has_empty_alt(client):
    image = ImageFactory(alt_text="", decorative=True)
    article = ArticleFactory(published=True, lead_image=image)
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'alt=""' in html and "og:image:alt" not in html


def test_teasers_show_cropped_cards_in_modern_formats(client):
    topic = TopicFactory()
    ArticleFactory(published=True, lead_image=ImageFactory(), topics=[topic])
    html = client.get("/").content.decode()
    lead = html[html.index('class="lead-story has-image"') :]
    assert '<picture><source type="image/' in lead[: lead.index("</article>")]
    html = client.get(topic.get_absolute_url()).content.decode()
    teaser = html[html.index('class="teaser has-image"') :]
    teaser = teaser[: teaser.index("</article>")]
    assert 'type="image/webp"' in teaser and ".webp 640w" in teaser
    assert 'width="640" height="360"' in teaser  # 16:9 card crop
    assert 'loading="lazy"' in teaser
    assert 'alt=""' in teaser  # the headline link beside it names the story


def test_missing_file_does_not_break_the_page(client):
    image = ImageFactory()
    image.file.storage.delete(image.file.name)
    article = ArticleFactory(published=True, lead_image=image)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "<picture>" not in response.content.decode()


@pytest.mark.parametrize("path", ["/", "topic"])
def test_lead_images_add_no_queries_to_lists(client, path):
    from django.core.cache import cache
    from django.db import connection

    topic = TopicFactory()
    url = topic.get_absolute_url() if path == "topic" else path
    images = []

    def count() -> int:
        cache.clear()
        for image in images:  # renditions are made at upload, before any reader
            image_renditions_warm(image=image)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    ArticleFactory(published=True, topics=[topic])
    without = count()
    for _ in range(6):
        images.append(ImageFactory())
        ArticleFactory(published=True, topics=[topic], lead_image=images[-1])
    assert count() == without


def test_changing_an_image_changes_the_pages_that_show_it(
    client, editor, django_capture_on_commit_callbacks
):
    image = ImageFactory(alt_text="Old words")
    lead = ArticleFactory(published=True, lead_image=image)
    body = ArticleFactory(published=True, body=f"![](image:{image.pk})")
    assert 'alt="Old words"' in client.get(lead.get_absolute_url()).content.decode()
    assert 'alt="Old words"' in client.get(body.get_absolute_url()).content.decode()
    version = body.version

    with django_capture_on_commit_callbacks(execute=True):
        image_update(image=image, user=editor, alt_text="New words")

    for article in (lead, body):
        html = client.get(article.get_absolute_url()).content.decode()
        assert 'alt="New words"' in html and "Old words" not in html
    body.refresh_from_db()
    assert body.version == version  # derived HTML only, not an edit


def test_article_list_shows_lead_thumbnails_in_fixed_queries(editor_client):
    from django.core.cache import cache
    from django.db import connection

    images = []

    def list_page() -> tuple[str, int]:
        cache.clear()
        for image in images:  # renditions are made at upload, before any list
            image_renditions_warm(image=image)
        with CaptureQueriesContext(connection) as ctx:
            response = editor_client.get(reverse("admin:newsdesk_article_changelist"))
        assert response.status_code == 200
        return response.content.decode(), len(ctx)

    ArticleFactory(headline="No picture")
    html, without = list_page()
    assert "nd-list-thumb--none" in html and 'title="No lead image"' in html
    for _ in range(6):
        images.append(ImageFactory())
        ArticleFactory(lead_image=images[-1])
    html, with_images = list_page()
    assert with_images == without
    thumbs = re.findall(r'<img src="([^"]+)" width="48" height="48" alt=""', html)
    assert len(thumbs) == 6 and all(t.endswith(".jpg") for t in thumbs)
    # The file behind each is the square "thumb" rendition, cropped to 160 × 160.
    storage = images[0].file.storage
    with storage.open(thumbs[0].removeprefix("/media/")) as handle:
        assert PillowImage.open(handle).size == (160, 160)
