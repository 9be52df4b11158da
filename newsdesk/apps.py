from django.apps import AppConfig


class NewsdeskConfig(AppConfig):
    name = "newsdesk"
    verbose_name = "Editorial"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core.signals import request_started

        from newsdesk import extensions, roles, signals  # noqa: F401
        from newsdesk.http import tags

        extensions.editorial_models.extend(roles.NEWSDESK_EDITORIAL_MODELS)
        request_started.connect(
            tags.forget_collecting, dispatch_uid="newsdesk_forget_cache_tags"
        )
