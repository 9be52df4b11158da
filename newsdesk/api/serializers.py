"""Serializers of the editorial resources; every related object is already loaded."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from newsdesk import extensions
from newsdesk.api.briefs import (
    ApiLinkField,
    ArticleBriefSerializer,
    CountryCodeField,
    IdRelatedField,
    PageURLField,
    PersonBriefSerializer,
    SourceBriefSerializer,
    TopicBriefSerializer,
    absolute,
)
from newsdesk.api.pending import PendingChangesSerializer, pending_changes_data
from newsdesk.api.validation import ApiDateTimeField, WriteSerializer
from newsdesk.models import (
    BCP47_RE,
    Article,
    Correction,
    Person,
    Quote,
    RelatedLink,
    Source,
    Topic,
)

# --- Articles ------------------------------------------------------------------


class ArticleSerializer(serializers.ModelSerializer):
    url = ApiLinkField(view_name="api:article-detail")
    page_url = PageURLField()
    published_at = serializers.DateTimeField(
        source="publish_at",
        read_only=True,
        allow_null=True,
        help_text="When the article went live.",
    )
    updated_at = serializers.DateTimeField(
        source="substantive_update_at",
        read_only=True,
        allow_null=True,
        help_text="The last substantive update, when there was one.",
    )
    modified_at = serializers.DateTimeField(
        source="updated_at", read_only=True, help_text="The last change of any kind."
    )
    source = SourceBriefSerializer(read_only=True, allow_null=True)
    authors = PersonBriefSerializer(
        source="byline", many=True, read_only=True, help_text="In byline order."
    )
    topics = TopicBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Article
        fields = (
            "id",
            "url",
            "page_url",
            "headline",
            "slug",
            "standfirst",
            "published_at",
            "first_published_at",
            "updated_at",
            "modified_at",
            "language",
            "original_language",
            "original_url",
            "source",
            "authors",
            "topics",
        )

    def get_fields(self) -> dict[str, serializers.Field]:
        # Other apps' fields (extensions.article_api_parts) follow the summary's own.
        fields = super().get_fields()
        summary = {name: fields.pop(name) for name in ArticleSerializer.Meta.fields}
        for part in extensions.article_api_parts:
            summary.update(part.fields())
        return {**summary, **fields}


class QuoteSerializer(serializers.ModelSerializer):
    person = PersonBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Quote
        fields = ("id", "text", "attribution", "position", "person")


class CorrectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Correction
        fields = ("id", "kind", "note", "published_at")


class RelatedLinkSerializer(serializers.ModelSerializer):
    """A "Read also" link: one of our published articles, or an outside page."""

    article = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    link = serializers.SerializerMethodField()

    class Meta:
        model = RelatedLink
        fields = ("title", "link", "article")

    @extend_schema_field(ArticleBriefSerializer(allow_null=True))
    def get_article(self, link: RelatedLink) -> dict | None:
        if link.target is None:
            return None
        return ArticleBriefSerializer(link.target, context=self.context).data

    @extend_schema_field(OpenApiTypes.STR)
    def get_title(self, link: RelatedLink) -> str:
        return link.target.headline if link.target else link.title

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_link(self, link: RelatedLink) -> str | None:
        if link.target is not None:
            return absolute(self.context.get("request"), link.target.get_absolute_url())
        return link.url or None


class ArticleDetailSerializer(ArticleSerializer):
    body_html = serializers.CharField(
        read_only=True, help_text="The article body as sanitised HTML."
    )
    quotes = QuoteSerializer(many=True, read_only=True)
    corrections = CorrectionSerializer(many=True, read_only=True)
    related = serializers.SerializerMethodField()
    status = serializers.CharField(
        source="display_status",
        read_only=True,
        help_text="Always “Published” for readers; staff also see drafts.",
    )
    version = serializers.IntegerField(
        read_only=True, help_text="Send it back in If-Match when updating."
    )

    class Meta(ArticleSerializer.Meta):
        fields = (
            *ArticleSerializer.Meta.fields,
            "status",
            "version",
            "body_html",
            "lead_image_caption",
            "lead_image_credit",
            "quotes",
            "corrections",
            "related",
        )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for part in extensions.article_api_parts:
            fields.update(part.detail_fields())
        return fields

    @extend_schema_field(RelatedLinkSerializer(many=True))
    def get_related(self, article: Article) -> list[dict]:
        return RelatedLinkSerializer(
            article.public_related_links, many=True, context=self.context
        ).data


class ArticleStaffDetailSerializer(ArticleDetailSerializer):
    """The detail as staff who may edit see it: a live article's pending changes too."""

    pending_changes = serializers.SerializerMethodField()

    class Meta(ArticleDetailSerializer.Meta):
        fields = (*ArticleDetailSerializer.Meta.fields, "pending_changes")

    @extend_schema_field(PendingChangesSerializer(allow_null=True))
    def get_pending_changes(self, article: Article) -> dict | None:
        return pending_changes_data(article)


class ArticleWriteSerializer(WriteSerializer):
    """What editors and reporters send to create or update a draft."""

    language = serializers.RegexField(
        BCP47_RE.pattern,
        max_length=35,
        required=False,
        help_text="BCP 47 language tag, e.g. en or pt-BR.",
    )
    original_language = serializers.RegexField(
        BCP47_RE.pattern,
        max_length=35,
        required=False,
        allow_blank=True,
        help_text="For translations: the original's language tag.",
    )
    authors = IdRelatedField(
        queryset=Person.objects.all(),
        many=True,
        required=False,
        help_text="Person ids in byline order.",
    )
    topics = IdRelatedField(queryset=Topic.objects.all(), many=True, required=False)
    source = IdRelatedField(
        queryset=Source.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Article
        fields = (
            "headline",
            "slug",
            "standfirst",
            "body",
            "language",
            "original_language",
            "source",
            "original_url",
            "substantive_update_at",
            "authors",
            "topics",
        )
        extra_kwargs = {"slug": {"required": False, "validators": []}}

    def validate_authors(self, people: list[Person]) -> list[Person]:
        if len({person.pk for person in people}) != len(people):
            raise serializers.ValidationError("Name each author once.")
        return people


class ArticlePublishSerializer(serializers.Serializer):
    publish_at = ApiDateTimeField(
        required=False,
        allow_null=True,
        help_text="A future time schedules the article; empty publishes now.",
    )


# --- Sources, people, topics -----------------------------------------------------


class SourceSerializer(serializers.ModelSerializer):
    url = ApiLinkField(view_name="api:source-detail")
    page_url = PageURLField()
    country = CountryCodeField()
    article_count = serializers.IntegerField(
        read_only=True, help_text="Published articles originally from this source."
    )

    class Meta:
        model = Source
        fields = (
            "id",
            "url",
            "page_url",
            "name",
            "slug",
            "domain",
            "homepage",
            "kind",
            "country",
            "language",
            "reliability",
            "article_count",
        )


class PersonQuoteSerializer(serializers.ModelSerializer):
    article = ArticleBriefSerializer(read_only=True)

    class Meta:
        model = Quote
        fields = ("id", "text", "attribution", "article")


class PersonSerializer(serializers.ModelSerializer):
    url = ApiLinkField(view_name="api:person-detail")
    page_url = PageURLField()
    article_count = serializers.IntegerField(
        read_only=True, help_text="Published articles with this person in the byline."
    )
    quotes = PersonQuoteSerializer(
        source="public_quotes",
        many=True,
        read_only=True,
        help_text="What the person is quoted as saying in published articles.",
    )

    class Meta:
        model = Person
        fields = (
            "id",
            "url",
            "page_url",
            "name",
            "slug",
            "affiliation",
            "title",
            "bio",
            "link",
            "article_count",
            "quotes",
        )


class TopicSerializer(serializers.ModelSerializer):
    url = ApiLinkField(view_name="api:topic-detail")
    page_url = PageURLField()
    article_count = serializers.IntegerField(
        read_only=True, help_text="Published articles on this topic."
    )

    class Meta:
        model = Topic
        fields = (
            "id",
            "url",
            "page_url",
            "name",
            "slug",
            "description",
            "article_count",
        )
