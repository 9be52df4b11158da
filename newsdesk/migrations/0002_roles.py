"""The three editorial roles as groups, with the permissions they held in this release.

Frozen on purpose: later releases change roles in `newsdesk/roles.py` and bring
existing groups in step with `manage.py sync_roles`, never by editing this.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "reporter": (
        "incidents.view_actor",
        "incidents.view_actoralias",
        "incidents.view_figure",
        "incidents.view_figurecandidate",
        "incidents.view_incident",
        "incidents.view_incidentactor",
        "incidents.view_place",
        "incidents.view_recommendation",
        "incidents.view_recommendationupdate",
        "newsdesk.add_article",
        "newsdesk.add_articleauthor",
        "newsdesk.add_person",
        "newsdesk.add_quote",
        "newsdesk.add_relatedlink",
        "newsdesk.add_source",
        "newsdesk.change_article",
        "newsdesk.change_articleauthor",
        "newsdesk.change_person",
        "newsdesk.change_quote",
        "newsdesk.change_relatedlink",
        "newsdesk.change_source",
        "newsdesk.delete_articleauthor",
        "newsdesk.delete_quote",
        "newsdesk.delete_relatedlink",
        "newsdesk.view_article",
        "newsdesk.view_articleauthor",
        "newsdesk.view_person",
        "newsdesk.view_quote",
        "newsdesk.view_relatedlink",
        "newsdesk.view_source",
        "newsdesk.view_topic",
    ),
    "editor": (
        "incidents.add_actor",
        "incidents.add_actoralias",
        "incidents.add_figure",
        "incidents.add_figurecandidate",
        "incidents.add_incident",
        "incidents.add_incidentactor",
        "incidents.add_place",
        "incidents.add_recommendation",
        "incidents.add_recommendationupdate",
        "incidents.change_actor",
        "incidents.change_actoralias",
        "incidents.change_figure",
        "incidents.change_figurecandidate",
        "incidents.change_incident",
        "incidents.change_incidentactor",
        "incidents.change_place",
        "incidents.change_recommendation",
        "incidents.change_recommendationupdate",
        "incidents.delete_actor",
        "incidents.delete_actoralias",
        "incidents.delete_figure",
        "incidents.delete_figurecandidate",
        "incidents.delete_incident",
        "incidents.delete_incidentactor",
        "incidents.delete_place",
        "incidents.delete_recommendation",
        "incidents.delete_recommendationupdate",
        "incidents.view_actor",
        "incidents.view_actoralias",
        "incidents.view_figure",
        "incidents.view_figurecandidate",
        "incidents.view_incident",
        "incidents.view_incidentactor",
        "incidents.view_place",
        "incidents.view_recommendation",
        "incidents.view_recommendationupdate",
        "newsdesk.add_article",
        "newsdesk.add_articleauthor",
        "newsdesk.add_articleredirect",
        "newsdesk.add_comment",
        "newsdesk.add_correction",
        "newsdesk.add_person",
        "newsdesk.add_quote",
        "newsdesk.add_relatedlink",
        "newsdesk.add_source",
        "newsdesk.add_topic",
        "newsdesk.change_article",
        "newsdesk.change_articleauthor",
        "newsdesk.change_articleredirect",
        "newsdesk.change_comment",
        "newsdesk.change_correction",
        "newsdesk.change_person",
        "newsdesk.change_quote",
        "newsdesk.change_relatedlink",
        "newsdesk.change_source",
        "newsdesk.change_topic",
        "newsdesk.delete_article",
        "newsdesk.delete_articleauthor",
        "newsdesk.delete_articleredirect",
        "newsdesk.delete_comment",
        "newsdesk.delete_correction",
        "newsdesk.delete_person",
        "newsdesk.delete_quote",
        "newsdesk.delete_relatedlink",
        "newsdesk.delete_source",
        "newsdesk.delete_topic",
        "newsdesk.moderate_comment",
        "newsdesk.publish_article",
        "newsdesk.view_article",
        "newsdesk.view_articleauthor",
        "newsdesk.view_articleredirect",
        "newsdesk.view_comment",
        "newsdesk.view_correction",
        "newsdesk.view_person",
        "newsdesk.view_quote",
        "newsdesk.view_relatedlink",
        "newsdesk.view_source",
        "newsdesk.view_topic",
    ),
    "moderator": (
        "newsdesk.change_comment",
        "newsdesk.moderate_comment",
        "newsdesk.view_article",
        "newsdesk.view_comment",
    ),
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        permissions = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permissions.append(
                permission_model.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )
        group.permissions.set(permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("newsdesk", "0001_initial"),
        ("incidents", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
