import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from newsdesk.roles import EDITOR, roles_sync

DEMO_USERNAME = "demo-editor"


def demo_password(path: Path) -> str:
    """The demo editor's password: made once, kept beside the embedded database."""
    if path.exists():
        kept = path.read_text(encoding="utf-8").strip()
        if kept:
            return kept
    password = secrets.token_urlsafe(12)
    path.write_text(password + "\n", encoding="utf-8")
    path.chmod(0o600)
    return password


class Command(BaseCommand):
    help = (
        "Create the demo editor account (or bring it back to its login) and print "
        "the login; the password stays the same from one run to the next. Only on "
        "the embedded SQLite default, never on a configured database."
    )

    def handle(self, *args, **options) -> None:
        if not settings.EMBEDDED_DATABASE:
            raise CommandError(
                "Refusing to create a demo account: DATABASE_URL is set, so this is not "
                "the embedded demo database."
            )
        roles_sync()
        password = demo_password(Path(settings.NEWSDESK_DEMO_PASSWORD_FILE))
        user, _ = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME, defaults={"email": "demo-editor@newsdesk.invalid"}
        )
        user.is_staff = True
        user.is_active = True
        if not user.check_password(password):
            user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=EDITOR))
        address = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
        self.stdout.write(
            self.style.SUCCESS(
                "\nDemo editor login (embedded database only):\n"
                f"  URL:      {address}/admin/\n"
                f"  username: {DEMO_USERNAME}\n"
                f"  password: {password}\n"
            )
        )
