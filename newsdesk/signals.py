"""Signal receivers: only for keeping derived caches and indexes current."""

from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_migrate,
)
from django.dispatch import receiver

from newsdesk import search
from newsdesk.http import validators

# Every model whose rows can appear on a public page, feed or sitemap.
PUBLIC_MODELS = {
    ("newsdesk", name)
    for name in (
        "source",
        "person",
        "topic",
        "article",
        "articleauthor",
        "articleredirect",
        "relatedlink",
        "quote",
        "correction",
        "comment",
    )
} | {
    ("incidents", name)
    for name in (
        "actor",
        "actoralias",
        "place",
        "incident",
        "incidentactor",
        "figure",
        "recommendation",
        "recommendationupdate",
    )
}


def _is_public_model(sender) -> bool:
    meta = getattr(sender, "_meta", None)
    return bool(meta) and (meta.app_label, meta.model_name) in PUBLIC_MODELS


@receiver(post_save, dispatch_uid="newsdesk_public_content_saved")
@receiver(post_delete, dispatch_uid="newsdesk_public_content_deleted")
def public_content_changed(sender, **kwargs) -> None:
    if _is_public_model(sender):
        validators.content_changed_on_commit()


@receiver(m2m_changed, dispatch_uid="newsdesk_public_relations_changed")
def public_relations_changed(sender, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        validators.content_changed_on_commit()


@receiver(pre_migrate, dispatch_uid="newsdesk_search_triggers_drop")
def search_triggers_drop(sender, using: str = "default", **kwargs) -> None:
    # SQLite rebuilds tables during some schema changes; that fails while a
    # trigger names the table being rebuilt, so the FTS triggers step aside.
    search.sqlite_triggers_drop(using)


@receiver(post_migrate, dispatch_uid="newsdesk_search_index_install")
def search_index_install(sender, using: str = "default", **kwargs) -> None:
    if sender.name == "newsdesk":
        search.sqlite_index_install(using)
