"""Moderators keep comments only: they no longer see articles (and so no drafts).

Frozen like 0002: it writes what the moderator role became in this release.
"""

from django.db import migrations


def moderator_without_articles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view_article = Permission.objects.filter(
        content_type__app_label="newsdesk", codename="view_article"
    )
    for group in Group.objects.filter(name="moderator"):
        group.permissions.remove(*view_article)


def moderator_with_articles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view_article = Permission.objects.filter(
        content_type__app_label="newsdesk", codename="view_article"
    )
    for group in Group.objects.filter(name="moderator"):
        group.permissions.add(*view_article)


class Migration(migrations.Migration):
    dependencies = [("newsdesk", "0004_article_updated_index")]

    operations = [
        migrations.RunPython(moderator_without_articles, moderator_with_articles)
    ]
