from django.apps import AppConfig


class NewsdeskConfig(AppConfig):
    name = "newsdesk"
    verbose_name = "Editorial"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core.signals import request_started

        from newsdesk import article_page, extensions, roles, signals  # noqa: F401
        from newsdesk.http import purge, tags

        extensions.editorial_models.extend(roles.NEWSDESK_EDITORIAL_MODELS)
        if article_page.forget_pages not in purge.purge_listeners:
            purge.purge_listeners.append(article_page.forget_pages)
        request_started.connect(
            tags.forget_collecting, dispatch_uid="newsdesk_forget_cache_tags"
        )
