from django.core.management.base import BaseCommand

from newsdesk.roles import ROLE_PERMISSIONS, roles_sync


class Command(BaseCommand):
    help = "Create or update the reporter, editor and moderator groups (idempotent)."

    def handle(self, *args, **options) -> None:
        roles_sync()
        self.stdout.write(
            self.style.SUCCESS(f"Roles in step: {', '.join(ROLE_PERMISSIONS)}.")
        )
