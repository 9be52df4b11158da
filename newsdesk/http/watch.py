"""Wire a model's writes to invalidation: each app says which tags its rows affect.

Apps call these from their `AppConfig.ready` (through their `signals` module),
so the editorial core never lists another app's models.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save

from newsdesk.http.purge import invalidate

# affected(instance, before) → tags; `before` is the row as it was before a
# save (None for a new row, or when the model does not ask for it). With
# `previous` it is also called as affected(before, instance), for the tags
# of the old state: it must compare the two either way round.
Affected = Callable[[Any, Any], Iterable[str]]
# affected(instance, action, reverse, pk_set) → tags, for a many-to-many change.
AffectedLinks = Callable[[Any, str, bool, set[Any]], Iterable[str]]


def watch(model: type, affected: Affected, *, previous: bool = False) -> None:
    """Invalidate `affected(row, before)` whenever a row of `model` is saved or deleted.

    With `previous`, the row is read back before each update so that tags of
    its old state (an old slug, a visibility it loses) are purged too.
    """
    uid = f"http_watch_{model._meta.label_lower}"

    def before_save(sender, instance, raw: bool = False, **kwargs) -> None:
        if raw or not previous or instance.pk is None:
            instance._http_before = None
            return
        instance._http_before = sender._default_manager.filter(pk=instance.pk).first()

    def saved(sender, instance, raw: bool = False, **kwargs) -> None:
        if raw:
            return
        before = getattr(instance, "_http_before", None)
        tags = set(affected(instance, before))
        if before is not None:
            # The old state's tags, as changed into the new one: an edit that
            # moves nothing purges no listing the old row was in either.
            tags.update(affected(before, instance))
        invalidate(tags)

    def deleting(sender, instance, **kwargs) -> None:
        # Computed before the row (and what hangs off it) is gone.
        invalidate(affected(instance, None))

    pre_save.connect(before_save, sender=model, weak=False, dispatch_uid=uid)
    post_save.connect(saved, sender=model, weak=False, dispatch_uid=uid)
    pre_delete.connect(deleting, sender=model, weak=False, dispatch_uid=uid)


def watch_links(through: type, affected: AffectedLinks) -> None:
    """Invalidate `affected(...)` when rows are linked or unlinked through `through`."""

    def changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs):
        if action == "pre_clear":
            # Clearing names no rows: take them while the links still exist.
            pk_set = _linked(through, instance)
        if action in ("post_add", "post_remove", "pre_clear"):
            invalidate(affected(instance, action, reverse, set(pk_set or ())))

    m2m_changed.connect(
        changed,
        sender=through,
        weak=False,
        dispatch_uid=f"http_watch_links_{through._meta.label_lower}",
    )


def _linked(through: type, instance: Any) -> set[Any]:
    """Primary keys linked to `instance` through `through` (the other side's)."""
    fields = [f for f in through._meta.fields if f.is_relation and f.many_to_one]
    mine = next(f for f in fields if isinstance(instance, f.related_model))
    other = next(f for f in fields if f is not mine)
    return set(
        through._default_manager.filter(**{mine.name: instance.pk}).values_list(
            other.attname, flat=True
        )
    )
