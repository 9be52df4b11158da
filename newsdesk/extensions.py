"""What other apps add to the editorial core, registered in their `AppConfig.ready`.

Newsdesk never imports those apps: it asks these registries instead, so the
dependency runs one way (incidents → newsdesk).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

if TYPE_CHECKING:
    from django.db.models import Prefetch, QuerySet

    from newsdesk.models import Article

T = TypeVar("T")


class Registry(Generic[T]):
    """An ordered list of providers that apps add to once, at start-up."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._items: list[T] = []

    def __repr__(self) -> str:
        return f"<Registry {self.name}: {len(self._items)} entries>"

    def register(self, item: T) -> T:
        """Add `item` (idempotent, so `ready()` may run twice); usable as a decorator."""
        if item not in self._items:
            self._items.append(item)
        return item

    def extend(self, items: Iterable[T]) -> None:
        for item in items:
            self.register(item)

    def unregister(self, item: T) -> None:
        self._items.remove(item)

    def __iter__(self) -> Iterator[T]:
        return iter(tuple(self._items))

    def __len__(self) -> int:
        return len(self._items)


class EditorialModel(NamedTuple):
    """A model the editorial roles manage: editors get every right, reporters these."""

    label: str  # "app_label.modelname"
    reporter_actions: str = "view"


class ArticleSection:
    """Something another app shows on an article's page and in its API detail.

    Subclasses name the attributes they set on a loaded article and the
    template that renders them; every method has a harmless default.
    """

    #: Included by `newsdesk/article_detail.html` between quotes and "Read also".
    template_name: str = ""

    def prefetches(self) -> list[Prefetch]:
        """Prefetches added to the article page's queryset (public rows only)."""
        return []

    def prepare(self, articles: list[Article]) -> None:
        """Finish loaded articles (e.g. attach figures) with a fixed number of queries."""

    def related_rows(
        self, *, article: Article, candidates: QuerySet, weight: int
    ) -> QuerySet | None:
        """Rows (article_id, publish_at, weight) of `candidates` sharing this with
        `article`, for the related-articles ranking; None when it shares nothing."""
        return None

    def document(self, article: Article) -> dict[str, Any]:
        """What the page's cached read model keeps of this section, as plain data."""
        return {}


#: Models whose rows editors manage; roles.py grants permissions on them.
editorial_models: Registry[EditorialModel] = Registry("editorial_models")

#: Models whose rows can appear on a public page, feed or sitemap, as
#: (app_label, model_name); caches invalidate when they change.
public_models: Registry[tuple[str, str]] = Registry("public_models")

#: Sections other apps add to the article page and the article API.
article_sections: Registry[ArticleSection] = Registry("article_sections")
