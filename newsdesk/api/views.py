"""Editorial API: articles, sources, people and topics; published content only."""

from __future__ import annotations

import datetime
import time

from django.db import transaction
from django.db.models import (
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from newsdesk import extensions, review, services
from newsdesk.api.errors import PreconditionFailed, error_responses
from newsdesk.api.filters import (
    ArticleFilterSet,
    PersonFilterSet,
    SourceFilterSet,
    TopicFilterSet,
    WithContributedFilters,
)
from newsdesk.api.items import FragmentedListMixin
from newsdesk.api.ninjs import NinjsRenderer
from newsdesk.api.pending import article_stage_from_api, is_live, pending_seen
from newsdesk.api.serializers import (
    ArticleDetailSerializer,
    ArticlePublishSerializer,
    ArticleSerializer,
    ArticleStaffDetailSerializer,
    ArticleWriteSerializer,
    PersonSerializer,
    SourceSerializer,
    TopicSerializer,
)
from newsdesk.api.validation import parse_if_match, validate_lookup
from newsdesk.api.viewsets import PublicViewSetMixin
from newsdesk.article_page import api_row_with_item, store_api_item
from newsdesk.http import tags as cache_tags
from newsdesk.http.fragments import fragments, origin_variant, plain
from newsdesk.http.validators import bypasses_cache
from newsdesk.models import Article, Person, Quote, Source, Topic
from newsdesk.revisions.recording import saves_recorded_once
from newsdesk.revisions.services import article_set_topics
from newsdesk.selectors import related_links_shown

READ_ERRORS = error_responses(400, 404, 406, 429)
DETAIL_ERRORS = error_responses(404, 406, 429)
IF_MATCH = OpenApiParameter(
    "If-Match",
    {"type": "string", "pattern": r"^\s*(W/)?\"?(a[0-9]+-v)?[0-9]+"},
    OpenApiParameter.HEADER,
    required=True,
    description="The article's current ETag (from its detail response) or its "
    "version number. A stale value gets 412 and nothing is written.",
)


def _pending_part(data: dict) -> str:
    """The ETag's name of the pending changes a staff detail shows ("p17-");
    none when there are none (an If-Match without one names none)."""
    pending = data.get("pending_changes")
    return f"p{pending['revision']}-" if pending else ""


def count_of(queryset: QuerySet, *, distinct: bool = False) -> Coalesce:
    """A correlated COUNT of `queryset` (already filtered on an OuterRef), 0 if none."""
    template = (
        "COUNT(DISTINCT %(expressions)s)" if distinct else "COUNT(%(expressions)s)"
    )
    counted = (
        queryset.order_by()
        .annotate(_count=Func(F("pk"), template=template, output_field=IntegerField()))
        .values("_count")
    )
    return Coalesce(Subquery(counted[:1]), 0)


def user_can_edit(request) -> bool:
    user = request.user
    return bool(
        user and user.is_authenticated and user.has_perm("newsdesk.change_article")
    )


@extend_schema_view(
    list=extend_schema(
        summary="List published articles",
        description="Newest first by default. Drafts never appear here.",
        responses={200: ArticleSerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="One article with body, quotes, corrections and related reading",
        description="Readers see published articles only; signed-in staff with "
        "the change permission may also fetch drafts by id.",
        responses={200: ArticleDetailSerializer, **DETAIL_ERRORS},
    ),
    create=extend_schema(
        summary="Create a draft article",
        request=ArticleWriteSerializer,
        responses={
            201: ArticleDetailSerializer,
            **error_responses(400, 401, 403, 413, 415, 429),
        },
    ),
    partial_update=extend_schema(
        summary="Update an article (If-Match required)",
        description="A draft or an article in review is changed at once (200). "
        "A live (published) article is never changed directly: the update is "
        "staged as its pending changes, the same as saving it in the admin, and "
        "answers 202 Accepted with the live article and its `pending_changes`. "
        "Readers, feeds and the public API keep the live version until an "
        "editor publishes the changes (`POST /api/v1/articles/{id}/publish/`). "
        "Send back the ETag of the latest detail: it names the live version "
        "and the pending changes (`a42-v3-p17-…`); a bare version number means "
        "“no pending changes”. If someone saved the live article or other "
        "pending changes since, the answer is 412 and nothing is written. "
        "`substantive_update_at` cannot be staged (400).",
        request=ArticleWriteSerializer,
        parameters=[IF_MATCH],
        responses={
            200: ArticleStaffDetailSerializer,
            202: ArticleStaffDetailSerializer,
            **error_responses(400, 401, 403, 404, 412, 413, 415, 428, 429),
        },
    ),
)
class ArticleViewSet(
    FragmentedListMixin,
    PublicViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Published articles with byline, topics, source and the incidents they cover."""

    filterset_class = WithContributedFilters(ArticleFilterSet)
    ordering = ("-publish_at", "-id")
    ordering_fields = {"published_at": "publish_at", "id": "id"}
    list_model = Article
    page_row_fields = ("id", "publish_at", "updated_at")
    # Pages in these orders name their window, not every article; each filter
    # here is one whose membership changes purge an article's window
    # (`newsdesk.signals.article_window`).
    window_fields = ("publish_at", "id")
    window_params = frozenset(
        {"topic", "source", "author", "language", "published_after", "published_before"}
    )
    search_param = "q"
    search_ordering = ("-relevance", "-publish_at", "-id")
    http_method_names = ("get", "head", "options", "post", "patch")
    write_permissions = {
        "create": "newsdesk.add_article",
        "partial_update": "newsdesk.change_article",
        "publish": "newsdesk.change_article",
    }

    def staff_scope(self) -> bool:
        return self.action != "list" and user_can_edit(self.request)

    def etag_scope(self, request) -> str:
        return "staff" if user_can_edit(request) else "public"

    def get_queryset(self) -> QuerySet[Article]:
        base = (
            Article.objects.all() if self.staff_scope() else Article.objects.published()
        )
        if getattr(self, "_row_only", False):
            return base.only(*self.page_row_fields)
        return self._with_everything_shown(base)

    def _with_everything_shown(self, base: QuerySet[Article]) -> QuerySet[Article]:
        parts = list(extensions.article_api_parts)
        queryset = base.with_public_associations().prefetch_related(
            *(prefetch for part in parts for prefetch in part.prefetches())
        )
        if self.action == "list":
            # The list shows no body: leave the two largest columns in the database.
            return queryset.defer("body", "body_html")
        return queryset.prefetch_related(
            Prefetch(
                "quotes",
                queryset=Quote.objects.select_related("person").order_by(
                    "position", "id"
                ),
            ),
            "corrections",
            Prefetch(
                "related_links",
                queryset=related_links_shown().select_related("target"),
                to_attr="public_related_links",
            ),
            *(prefetch for part in parts for prefetch in part.detail_prefetches()),
        )

    def list_rows(self) -> QuerySet[Article]:
        # The list is never staff-scoped: every reader pages through `published()`.
        return Article.objects.published()

    def first_page_rows(self, moment: datetime.datetime) -> QuerySet[Article]:
        return Article.objects.published(moment)

    def item_rows(self, pks: list[int]) -> QuerySet[Article]:
        # Checked row by row: SQLite would walk every published article for a few ids.
        return self._with_everything_shown(
            Article.objects.published_rows().filter(pk__in=pks)
        )

    def retrieve(self, request, *args, **kwargs) -> Response:
        """One article; for readers, its row read through `published()` by a
        query prepared once, with the item kept with its stored page
        (`newsdesk.article_page`), and its item from the row's fragment
        (`newsdesk.http.fragments`)."""
        if self.staff_scope():
            return super().retrieve(request, *args, **kwargs)
        pk = validate_lookup(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        variant = origin_variant(request)
        row, kept, has_page = api_row_with_item(
            pk=pk, variant=variant, fields=self.page_row_fields
        )
        if row is None:
            raise Http404("No Article matches the given query.")
        self.check_object_permissions(request, row)
        if bypasses_cache(request):
            # A cache miss, as when the cache is empty: from the kept item.
            ((_, item, tags),) = self._detail_items_kept(
                [row], variant, kept, has_page
            ).values()
            cache_tags.declare(*tags, *cache_tags.row_tags(row))
            return Response(item)
        (item,) = fragments(
            [row],
            kind="api-article-detail",
            variant=variant,
            build=lambda rows: self._detail_items_kept(rows, variant, kept, has_page),
        )
        return Response(item)

    def _detail_items_kept(
        self,
        rows: list[Article],
        variant: str,
        kept: tuple[dict, tuple[str, ...]] | None,
        has_page: bool,
    ) -> dict:
        """The item kept with the article's stored page while still valid
        (`kept`, read with the row), else built and kept there."""
        (row,) = rows
        if kept is not None:
            item, tags = kept
            return {row.pk: (row, item, set(tags))}
        built_at = time.time()
        with cache_tags.collecting(separate=True) as collected:
            built = self._detail_items(rows)
        if not has_page:  # kept once the article's page is stored
            return built
        for pk, (loaded, item, extra) in built.items():
            store_api_item(
                article_id=pk,
                updated_at=loaded.updated_at,
                variant=variant,
                item=item,
                tags=collected | cache_tags.row_tags(loaded) | extra,
                built_at=built_at,
            )
        return built

    def _detail_items(self, rows: list[Article]) -> dict:
        loaded = list(
            self._with_everything_shown(
                Article.objects.published_rows().filter(pk__in=[r.pk for r in rows])
            )
        )
        data = self.get_serializer(loaded, many=True).data
        return {
            row.pk: (row, plain(item), set())
            for row, item in zip(loaded, data, strict=True)
        }

    def get_renderers(self):
        # One article is also available as an IPTC ninjs item (?format=ninjs).
        extra = [NinjsRenderer()] if self.action == "retrieve" else []
        return [*super().get_renderers(), *extra]

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return ArticleWriteSerializer
        if self.action == "publish":
            return ArticlePublishSerializer
        if self.action == "list":
            return ArticleSerializer
        if self.staff_scope():
            return ArticleStaffDetailSerializer
        return ArticleDetailSerializer

    def etag_prefix(self, response) -> str:
        """A detail's ETag names the article's version (and, for staff, its pending
        changes), which `If-Match` reads back."""
        data = getattr(response, "data", None)
        if self.action == "retrieve" and isinstance(data, dict) and "version" in data:
            return f"a{data['id']}-v{data['version']}-{_pending_part(data)}"
        return ""

    def _detail_response(
        self, article: Article, code: int = status.HTTP_200_OK
    ) -> Response:
        fresh = self.get_queryset().get(pk=article.pk)
        data = ArticleStaffDetailSerializer(
            fresh, context=self.get_serializer_context()
        ).data
        response = Response(data, status=code)
        tag = f"a{fresh.pk}-v{fresh.version}-{_pending_part(data)}".rstrip("-")
        response["ETag"] = f'W/"{tag}"'
        return response

    def create(self, request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        with transaction.atomic():
            article = services.article_create(
                user=request.user,
                authors=data.pop("authors", ()),
                topics=data.pop("topics", ()),
                **data,
            )
        response = self._detail_response(article, status.HTTP_201_CREATED)
        response["Location"] = str(response.data["url"])
        return response

    def update(self, request, *args, **kwargs) -> Response:
        article = self.get_object()
        header = request.headers.get("If-Match")
        expected_version = parse_if_match(header)
        serializer = self.get_serializer(article, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if is_live(article):
            pending = article_stage_from_api(
                article=article,
                user=request.user,
                data=data,
                expected_version=expected_version,
                expected_pending=pending_seen(header),
            )
            return self._detail_response(
                article,
                status.HTTP_202_ACCEPTED if pending else status.HTTP_200_OK,
            )
        authors, topics = data.pop("authors", None), data.pop("topics", None)
        try:
            with transaction.atomic(), saves_recorded_once():
                article = services.article_update(
                    article=article,
                    user=request.user,
                    data=data,
                    expected_version=expected_version,
                )
                if authors is not None:
                    services.article_set_authors(article=article, authors=authors)
                if topics is not None:
                    article_set_topics(article=article, topics=topics, user=None)
        except services.ArticleConflict as exc:
            raise PreconditionFailed(exc.messages[0]) from exc
        return self._detail_response(article)

    @extend_schema(
        summary="Publish now, or schedule for a future time",
        description="Needs the publish permission (editors). An If-Match header, "
        "when sent, must name the current version. On a live article this "
        "publishes its pending changes (now, or at a future `publish_at`), "
        "approving them when they were submitted for review; its If-Match, when "
        "sent, must name the pending changes too (the detail's ETag).",
        request=ArticlePublishSerializer,
        responses={
            200: ArticleDetailSerializer,
            **error_responses(400, 401, 403, 404, 412, 413, 415, 429),
        },
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None) -> Response:
        article = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        header = request.headers.get("If-Match")
        expected_version = parse_if_match(header) if header else None
        if is_live(article):
            return self._publish_changes(
                article, serializer.validated_data.get("publish_at"), header
            )
        try:
            article = services.article_publish(
                article=article,
                user=request.user,
                publish_at=serializer.validated_data.get("publish_at"),
                expected_version=expected_version,
            )
        except services.ArticleConflict as exc:
            raise PreconditionFailed(exc.messages[0]) from exc
        return self._detail_response(article)

    def _publish_changes(self, article: Article, publish_at, header: str | None):
        """A live article's pending changes go live now, or are scheduled."""
        if header:
            current = Article.objects.get(pk=article.pk)
            if current.version != parse_if_match(header):
                raise PreconditionFailed(services.conflict_message(current))
        try:
            review.article_approve_changes(
                article=article,
                user=self.request.user,
                publish_at=publish_at,
                expected_pending=pending_seen(header) if header else None,
            )
        except services.ArticleConflict as exc:
            raise PreconditionFailed(exc.messages[0]) from exc
        return self._detail_response(article)


@extend_schema_view(
    list=extend_schema(
        summary="List sources (original publishers)",
        responses={200: SourceSerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="One source", responses={200: SourceSerializer, **DETAIL_ERRORS}
    ),
)
class SourceViewSet(PublicViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Original publishers, with how many published articles come from each."""

    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet
    ordering = ("name", "id")
    ordering_fields = {"name": "name", "id": "id"}

    def get_queryset(self) -> QuerySet[Source]:
        articles = Article.objects.published().filter(source=OuterRef("pk"))
        return Source.objects.annotate(article_count=count_of(articles))


@extend_schema_view(
    list=extend_schema(
        summary="List people: authors and quoted people, with their quotes",
        responses={200: PersonSerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="One person", responses={200: PersonSerializer, **DETAIL_ERRORS}
    ),
)
class PersonViewSet(PublicViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Authors and quoted people, with their quotes in published articles."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    ordering = ("name", "id")
    ordering_fields = {"name": "name", "id": "id"}

    def get_queryset(self) -> QuerySet[Person]:
        published = Article.objects.published()
        articles = published.filter(article_authors__person=OuterRef("pk"))
        return Person.objects.annotate(
            article_count=count_of(articles, distinct=True)
        ).prefetch_related(
            Prefetch(
                "quotes",
                queryset=Quote.objects.filter(article__in=published)
                .select_related("article")
                .order_by("-article__publish_at", "position", "id"),
                to_attr="public_quotes",
            )
        )


@extend_schema_view(
    list=extend_schema(
        summary="List topics",
        responses={200: TopicSerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="One topic", responses={200: TopicSerializer, **DETAIL_ERRORS}
    ),
)
class TopicViewSet(PublicViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Topics, with how many published articles each has."""

    serializer_class = TopicSerializer
    filterset_class = TopicFilterSet
    ordering = ("name", "id")
    ordering_fields = {"name": "name", "id": "id"}

    def get_queryset(self) -> QuerySet[Topic]:
        articles = Article.objects.published().filter(topics=OuterRef("pk"))
        return Topic.objects.annotate(article_count=count_of(articles))
