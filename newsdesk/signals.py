"""Signal receivers: only for keeping derived caches and indexes current.

Each editorial model says which cache tags its writes affect (see
`newsdesk.http.tags` for the scheme); other apps wire their own models the
same way from their `AppConfig.ready`, and add the collections an article
belongs to through `article_collections`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Q
from django.db.models.signals import post_migrate, pre_migrate
from django.dispatch import receiver

from newsdesk import planner_statistics, search
from newsdesk.extensions import Registry
from newsdesk.http import tags
from newsdesk.http.watch import watch, watch_links
from newsdesk.models import (
    Article,
    ArticleAuthor,
    ArticleRedirect,
    Comment,
    CommentStatus,
    Correction,
    Image,
    Person,
    Quote,
    RelatedLink,
    Source,
    Topic,
)

#: Callables naming the collection tags an article is listed in beyond the
#: editorial ones (incidents adds `list:incident:<slug>`).
article_collections: Registry[Callable[[Article], Iterable[str]]] = Registry(
    "article_collections"
)

tags.register_model(
    Article, "article", tags.loaded_field("id"), collection=tags.LIST_ARTICLES
)
tags.register_model(Topic, "topic", tags.loaded_field("slug"), collection="list:topics")
tags.register_model(Person, "person", tags.loaded_field("id"), collection="list:people")
tags.register_model(
    Source, "source", tags.loaded_field("id"), collection="list:sources"
)
# A page that loads a library image (a lead image, a card) names it, so a changed
# alt text, caption or crop reaches it; bodies are re-rendered by the service.
tags.register_model(Image, "image", tags.loaded_field("id"), collection="list:images")


def article_tag(article_id: int) -> str:
    return tags.entity("article", article_id)


def article_window(article: Article) -> set[str]:
    """The windows of the article lists holding `article`'s position.

    Cursor pages of the article API name the span of positions they show
    (by publish time or id, `ArticleViewSet.window_fields`) and the head
    when they are a first or last page, instead of `list:articles`; an
    article joining, leaving or moving purges these, and every page whose
    window does not hold it stays cached. Filtered pages name the same
    windows (`ArticleViewSet.window_params`), so every write that moves an
    article into or out of a filter's list (its topics, bylines, source,
    language) purges its window too.
    """
    return tags.window_purge(
        tags.LIST_ARTICLES, {"publish_at": article.publish_at, "id": article.pk}
    )


def published_windows(article_id: int) -> set[str]:
    """The list windows holding the article while it is live (none otherwise)."""
    live = Article.objects.published().filter(pk=article_id).only("publish_at")
    return set().union(*(article_window(article) for article in live))


def article_listings(article: Article) -> set[str]:
    """Every collection tag listing `article`: it joined, left or moved in them."""
    listed = {
        tags.LIST_ARTICLES,
        *article_window(article),
        # Topic, people and source lists and sitemaps only show entities with
        # published articles.
        "list:topics",
        "list:people",
        "list:sources",
    }
    if article.pk is not None:
        listed.update(
            tags.listing("topic", slug)
            for slug in Topic.objects.filter(articles=article).values_list(
                "slug", flat=True
            )
        )
        # Its byline's people and the people it quotes list it on their pages.
        listed.update(
            tags.listing("person", slug)
            for slug in Person.objects.filter(
                Q(articles=article) | Q(quotes__article=article)
            )
            .distinct()
            .values_list("slug", flat=True)
        )
        if Correction.objects.filter(article_id=article.pk).exists():
            listed.add(tags.FEED_CORRECTIONS)
        # Articles linking to it under "Read also" show the link only while it
        # is published; they did not load it while it was not.
        listed.update(
            article_tag(pk)
            for pk in RelatedLink.objects.filter(target_id=article.pk).values_list(
                "article_id", flat=True
            )
        )
    if article.source_id:
        slug = (
            Source.objects.filter(pk=article.source_id)
            .values_list("slug", flat=True)
            .first()
        )
        if slug:
            listed.add(tags.listing("source", slug))
    for provider in article_collections:
        listed.update(provider(article))
    return listed


def _article_affects(article: Article, before: Article | None) -> set[str]:
    visible = article.is_published()
    was_visible = before is not None and before.is_published()
    if not (visible or was_visible):
        return set()
    affected = {article_tag(article.pk)}
    moved = before is None or any(
        getattr(before, field) != getattr(article, field)
        for field in ("status", "publish_at", "slug", "source_id", "language")
    )
    if visible != was_visible or moved:
        affected |= article_listings(article)
        if before is not None and before.publish_at != article.publish_at:
            affected |= article_window(before)
    return affected


def article_released(article: Article) -> set[str]:
    """The tags to purge when `article` goes live or stops being live."""
    return {article_tag(article.pk)} | article_listings(article)


def _child_of_article(row, before=None) -> set[str]:
    return {article_tag(row.article_id)}


def _quote_affects(row: Quote, before=None) -> set[str]:
    # A person's page lists their quotes.
    slugs = Person.objects.filter(pk=row.person_id).values_list("slug", flat=True)
    return {article_tag(row.article_id)} | {tags.listing("person", s) for s in slugs}


def _correction_affects(row: Correction, before=None) -> set[str]:
    return {article_tag(row.article_id), tags.FEED_CORRECTIONS}


def _comment_affects(row: Comment, before: Comment | None) -> set[str]:
    # Pending comments are not shown: only approval and its reversal matter.
    if row.status == CommentStatus.APPROVED or (
        before is not None and before.status == CommentStatus.APPROVED
    ):
        return {article_tag(row.article_id)}
    return set()


def _byline_affects(row: ArticleAuthor, before=None) -> set[str]:
    # The article joins or leaves its author's filtered API list.
    affected = {article_tag(row.article_id)} | published_windows(row.article_id)
    slug = Person.objects.filter(pk=row.person_id).values_list("slug", flat=True)
    affected.update(tags.listing("person", s) for s in slug)
    return affected


def _entity_affects(kind: str, collection: str, key: str = "pk"):
    def affected(row, before=None) -> set[str]:
        return {tags.entity(kind, getattr(row, key)), collection}

    return affected


def _topic_links_affect(instance, action, reverse, pk_set) -> set[str]:
    """An article gaining or losing topics (or a topic gaining or losing articles)."""
    if reverse:  # instance is a topic, pk_set articles
        live = list(
            Article.objects.published().filter(pk__in=pk_set).only("id", "publish_at")
        )
        if not live:
            return set()
        affected = {tags.listing("topic", instance.slug), "list:topics"}
        for article in live:
            affected |= {article_tag(article.pk)} | article_window(article)
        return affected
    if not instance.is_published():
        return set()
    # It joins or leaves the topics' filtered API lists.
    affected = {article_tag(instance.pk), "list:topics"} | article_window(instance)
    affected.update(
        tags.listing("topic", slug)
        for slug in Topic.objects.filter(pk__in=pk_set).values_list("slug", flat=True)
    )
    return affected


watch(Article, _article_affects, previous=True)
watch(ArticleAuthor, _byline_affects)
watch(ArticleRedirect, _child_of_article)
watch(RelatedLink, _child_of_article)
watch(Quote, _quote_affects)
watch(Correction, _correction_affects)
watch(Comment, _comment_affects, previous=True)
watch(Source, _entity_affects("source", "list:sources"))
watch(Person, _entity_affects("person", "list:people"))
watch(Topic, _entity_affects("topic", "list:topics", key="slug"), previous=True)
watch(Image, _entity_affects("image", "list:images"))
watch_links(Article.topics.through, _topic_links_affect)


@receiver(pre_migrate, dispatch_uid="newsdesk_search_triggers_drop")
def search_triggers_drop(sender, using: str = "default", **kwargs) -> None:
    # SQLite rebuilds tables during some schema changes; that fails while a
    # trigger names the table being rebuilt, so the FTS triggers step aside.
    search.sqlite_triggers_drop(using)


@receiver(post_migrate, dispatch_uid="newsdesk_search_index_install")
def search_index_install(sender, using: str = "default", **kwargs) -> None:
    if sender.name == "newsdesk":
        search.sqlite_index_install(using)
        # Every migration has run by now: the planner sees the tables as they are.
        planner_statistics.analyze(using)
