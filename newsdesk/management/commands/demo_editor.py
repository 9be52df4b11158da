import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from newsdesk.roles import EDITOR, roles_sync

DEMO_USERNAME = "demo-editor"


class Command(BaseCommand):
    help = (
        "Create (or reset) the demo editor account and print its login. "
        "Only on the embedded SQLite default, never on a configured database."
    )

    def handle(self, *args, **options) -> None:
        if not settings.EMBEDDED_DATABASE:
            raise CommandError(
                "Refusing to create a demo account: DATABASE_URL is set, so this is not "
                "the embedded demo database."
            )
        roles_sync()
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME, defaults={"email": "demo-editor@newsdesk.invalid"}
        )
        user.is_staff = True
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=EDITOR))
        self.stdout.write(
            self.style.SUCCESS(
                "\nDemo editor login (embedded database only):\n"
                f"  URL:      http://127.0.0.1:8000/admin/\n"
                f"  username: {DEMO_USERNAME}\n"
                f"  password: {password}\n"
            )
        )
