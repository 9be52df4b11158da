"""What other apps add to the editorial core, registered in their `AppConfig.ready`.

Newsdesk never imports those apps: it asks these registries instead, so the
dependency runs one way (incidents → newsdesk).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

if TYPE_CHECKING:
    from django.db.models import Model, Prefetch, QuerySet
    from django_filters import Filter
    from rest_framework.fields import Field

    from newsdesk.importing.parser import ParsedArticle
    from newsdesk.models import Article, ArticleQuerySet
    from newsdesk.seeding import NewsroomSeeder

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
    """Something another app shows on an article's page, through a few hooks.

    Every hook has a harmless default. Ids are grouped by kind ("incident",
    "article", ...): the page's stored read model stays valid only while the
    rows it shows are exactly the visible ones among those it refers to.
    """

    #: Rendered with the loaded article into the page, between quotes and "Read also".
    template_name: str = ""
    #: The kinds of rows the section owns (`visible_rows` answers for them).
    kinds: tuple[str, ...] = ()

    def prefetches(self) -> list[Prefetch]:
        """Prefetches added to the article page's queryset (public rows only)."""
        return []

    def prepare(self, articles: list[Article]) -> None:
        """Finish loaded articles (e.g. attach figures) with a fixed number of queries."""

    def related_rows(
        self, *, article: Article, candidates: ArticleQuerySet
    ) -> QuerySet | None:
        """(article_id, publish_at, weight) rows of `candidates` sharing something of
        this section with `article`, for the related ranking; None if nothing."""
        return None

    def references(self, article: Article) -> dict[str, set[int]]:
        """Ids of every row the section could show on the page, visible or not."""
        return {}

    def shown(self, article: Article) -> dict[str, set[int]]:
        """Ids of the rows the section shows (or counts) on the loaded page."""
        return {}

    def visible_rows(self, kind: str, ids: set[int] | QuerySet) -> QuerySet | None:
        """The visible rows among `ids` (a set, or a subquery of ids) of this
        section's own `kind`, through that model's visibility gate; None for
        kinds the section does not own."""
        return None


class ApiRoute(NamedTuple):
    """A collection another app adds to version 1 of the API, after newsdesk's own."""

    prefix: str
    viewset: str  # dotted path, imported when the URLs load
    basename: str


class SitemapSection(NamedTuple):
    """A section another app adds to the sitemap index (sitemap-<name>.xml)."""

    name: str
    sitemap: str  # dotted path of a django.contrib.sitemaps.Sitemap class
    tags: tuple[str, ...] = ()  # collection tags its rows are listed under


class ImportPart:
    """Rows another app writes for each imported article, inserted with its batch.

    The importer collects `rows` per file, `insert`s them with the other rows of
    the transaction and calls `replace` before an article is imported again.
    """

    def rows(self, *, article: Article, parsed: ParsedArticle) -> list[Model]:
        """Unsaved rows for one imported article."""
        return []

    def replace(self, *, article: Article) -> None:
        """Delete what an earlier import of `article` left that the new one replaces."""

    def insert(self, rows: list[Model]) -> None:
        """Insert the collected rows of one transaction (maybe none)."""


class SeedPart:
    """What another app seeds from the curated fixture, after newsdesk's records."""

    def run(self, seeder: NewsroomSeeder) -> list[str]:
        """Apply this app's rows of `seeder.fixture`; return the counts to report."""
        return []


class RevisionPart:
    """A part of an article's revision snapshot another app owns, under `key`.

    The value must be JSON (labels as well as ids, so a revision reads on its
    own); `apply` writes it back through that app's services when a revision
    goes live (or an edit is saved directly), checking `user` as they do.
    """

    key: str = ""

    def snapshot(self, article: Article) -> object:
        """This part of `article` as it is stored now."""
        return None

    def apply(self, *, article: Article, value: object, user: object) -> None:
        """Make `article`'s stored rows match `value` (as `snapshot` returned it)."""

    def snapshots(self, articles: list[Article]) -> dict[int, object]:
        """This part of each of `articles`, by id (the importer records a batch);
        override to read them in one query."""
        return {article.pk: self.snapshot(article) for article in articles}

    def preview(self, article: Article, value: object) -> None:
        """Dress a loaded article (its page prefetches done) with `value`, for a
        staff or share-link preview; only rows readers may see."""


class ArticleApiPart:
    """What another app adds to the article API: fields, filters and their prefetches.

    Fields and filters are built afresh on every call, in the order they show.
    """

    def fields(self) -> dict[str, Field]:
        """Fields of every article representation, after newsdesk's own."""
        return {}

    def detail_fields(self) -> dict[str, Field]:
        """Fields of one article's full representation, after newsdesk's own."""
        return {}

    def filters(self) -> dict[str, Filter]:
        """Filters of the article list, after newsdesk's own."""
        return {}

    def prefetches(self) -> list[Prefetch]:
        """Prefetches the `fields` read (public rows only)."""
        return []

    def detail_prefetches(self) -> list[Prefetch]:
        """Prefetches the `detail_fields` read (public rows only)."""
        return []


#: Models whose rows editors manage; roles.py grants permissions on them.
editorial_models: Registry[EditorialModel] = Registry("editorial_models")

#: Sections other apps add to the article page and the article API.
article_sections: Registry[ArticleSection] = Registry("article_sections")


class HomePart(NamedTuple):
    """Something another app shows on the home page (e.g. incidents in focus).

    `rows()` reads what it shows through its own visibility gate, keys and
    versions only (hashable, cheap: it runs on every request); `context(rows)`
    loads those rows through the gate again and returns the template context
    and whether it found exactly `rows` (the page's stored rendering is kept
    only then; `newsdesk.http.readmodel`).
    """

    rows: Callable[[], Hashable]
    context: Callable[[Any], tuple[dict, bool]]


#: What other apps add to the home page.
home_context: Registry[HomePart] = Registry("home_context")

#: Checks other apps run on an article before it is published, each a callable
#: taking a `newsdesk.publish_checks.ArticleDraft` and returning a list of
#: `newsdesk.publish_checks.Check` (incidents: figures quoted but not cited).
publish_checks: Registry[Callable[..., list]] = Registry("publish_checks")

#: Collections other apps add to the API's router (newsdesk.api.urls), in order.
api_routes: Registry[ApiRoute] = Registry("api_routes")

#: Fields, filters and prefetches other apps add to the article API.
article_api_parts: Registry[ArticleApiPart] = Registry("article_api_parts")

#: Dotted paths of URL pattern lists other apps add to the "newsdesk" namespace
#: (incidents: "incidents.urls.feed_patterns"), imported when the URLs load.
editorial_urls: Registry[str] = Registry("editorial_urls")

#: Sections other apps add to the sitemap index, after the articles' (incidents).
sitemap_sections: Registry[SitemapSection] = Registry("sitemap_sections")

#: Rows other apps write for each imported article (incidents: candidate figures).
import_parts: Registry[ImportPart] = Registry("import_parts")

#: Parts other apps add to an article's revision snapshot (incidents: "incidents").
revision_parts: Registry[RevisionPart] = Registry("revision_parts")

#: What other apps seed from the curated fixture, in order (incidents).
seed_parts: Registry[SeedPart] = Registry("seed_parts")
