from django.apps import AppConfig


class NewsdeskConfig(AppConfig):
    name = "newsdesk"
    verbose_name = "Editorial"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from newsdesk import extensions, roles, signals  # noqa: F401

        extensions.editorial_models.extend(roles.NEWSDESK_EDITORIAL_MODELS)
