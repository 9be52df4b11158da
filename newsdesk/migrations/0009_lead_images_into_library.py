"""Each article's uploaded lead image becomes a library image, nothing lost.

Articles (and their history rows) that used the same file with the same alt
text and credit share one library image; a caption that differs from the
library's stays on the article as its own caption.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen here: the roles as they stood when the library arrived.
IMAGE_PERMISSIONS = {
    "reporter": ("add_image", "change_image", "view_image"),
    "editor": ("add_image", "change_image", "delete_image", "view_image"),
}


def _dimensions(storage, name):
    from PIL import Image as PillowImage

    try:
        with storage.open(name) as handle, PillowImage.open(handle) as picture:
            return picture.size
    except (OSError, ValueError):
        return None, None


def lead_images_into_library(apps, schema_editor):
    image_model = apps.get_model("newsdesk", "Image")
    storage = image_model._meta.get_field("file").storage
    library = {}

    def library_image(row, uploader_id):
        key = (
            row.lead_image.name,
            row.lead_image_alt,
            row.lead_image_decorative,
            row.lead_image_credit,
        )
        if key not in library:
            width, height = _dimensions(storage, row.lead_image.name)
            library[key] = image_model.objects.create(
                file=row.lead_image.name,
                alt_text=row.lead_image_alt,
                decorative=row.lead_image_decorative or not row.lead_image_alt,
                caption=row.lead_image_caption,
                credit=row.lead_image_credit,
                width=width,
                height=height,
                uploaded_by_id=uploader_id,
            )
        return library[key]

    for model_name in ("Article", "HistoricalArticle"):
        model = apps.get_model("newsdesk", model_name)
        for row in model.objects.exclude(lead_image="").order_by("pk"):
            uploader = getattr(row, "created_by_id", None)
            image = library_image(row, uploader)
            row.lead_image_ref = image
            if row.lead_image_caption == image.caption:
                row.lead_image_caption = ""
            row.save(update_fields=("lead_image_ref", "lead_image_caption"))


def library_into_lead_images(apps, schema_editor):
    for model_name in ("Article", "HistoricalArticle"):
        model = apps.get_model("newsdesk", model_name)
        rows = model.objects.filter(lead_image_ref__isnull=False)
        for row in rows.select_related("lead_image_ref"):
            image = row.lead_image_ref
            row.lead_image = image.file.name
            row.lead_image_alt = image.alt_text
            row.lead_image_decorative = image.decorative
            row.lead_image_credit = image.credit
            row.lead_image_caption = row.lead_image_caption or image.caption
            row.save()


def grant_image_permissions(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, codenames in IMAGE_PERMISSIONS.items():
        group = group_model.objects.filter(name=role).first()
        if group is not None:
            group.permissions.add(
                *permission_model.objects.filter(
                    content_type__app_label="newsdesk", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("newsdesk", "0008_image"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(lead_images_into_library, library_into_lead_images),
        migrations.RunPython(grant_image_permissions, migrations.RunPython.noop),
    ]
