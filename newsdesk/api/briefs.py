"""Small shapes shared by both apps' serializers: page URLs, countries, brief links."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.urls import get_script_prefix, get_urlconf, reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from newsdesk.links import absolute_url
from newsdesk.models import Article, Person, Source, Topic


class ApiLinkField(serializers.HyperlinkedIdentityField):
    """The object's API URL, always the plain JSON one (no `?format=` or suffix)."""

    def get_url(
        self, obj: Any, view_name: str, request: Any, format: Any
    ) -> str | None:
        if obj.pk is None:
            return None
        head, tail = _detail_path(
            view_name, self.lookup_url_kwarg, get_urlconf(), get_script_prefix()
        )
        path = f"{head}{obj.pk}{tail}"
        return absolute(request, path)


_MARKER = 987654321987654321


@lru_cache(maxsize=128)
def _detail_path(
    view_name: str, kwarg: str, urlconf: Any, prefix: str
) -> tuple[str, str]:
    """A detail route split around its id, so each link is a string join, not a reverse()."""
    path = reverse(view_name, kwargs={kwarg: _MARKER}, urlconf=urlconf)
    head, tail = path.split(str(_MARKER))
    return head, tail


def absolute(request: Any, path: str) -> str:
    """`path` on the request's origin (see `newsdesk.links.absolute_url`)."""
    return absolute_url(path, request=request)


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """A related object's id in write payloads; out-of-range numbers are refused."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        text = str(data).strip()
        if not (text.isascii() and text.isdigit()) or int(text) > 2**63 - 1:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(int(text))


class PageURLField(serializers.ReadOnlyField):
    """The object's public page on the site, as an absolute URL."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("source", "*")
        kwargs.setdefault("help_text", "The object's public page on the site.")
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return absolute(self.context.get("request"), value.get_absolute_url())


extend_schema_field({"type": "string", "format": "uri"})(PageURLField)


class CountryCodeField(serializers.ReadOnlyField):
    """An ISO 3166-1 alpha-2 code, or null."""

    def to_representation(self, value: Any) -> str | None:
        return value.code if value else None


extend_schema_field(
    {"type": "string", "nullable": True, "description": "ISO 3166-1 alpha-2 code."}
)(CountryCodeField)


# --- Brief shapes used inside other resources ---------------------------------


class SourceBriefSerializer(serializers.ModelSerializer):
    url = ApiLinkField(view_name="api:source-detail")

    class Meta:
        model = Source
        fields = ("id", "url", "name", "domain")


class PersonBriefSerializer(serializers.ModelSerializer):
    url = ApiLinkField(view_name="api:person-detail")

    class Meta:
        model = Person
        fields = ("id", "url", "name", "affiliation")


class TopicBriefSerializer(serializers.ModelSerializer):
    url = ApiLinkField(view_name="api:topic-detail")

    class Meta:
        model = Topic
        fields = ("id", "url", "name", "slug")


class ArticleBriefSerializer(serializers.ModelSerializer):
    """A published article named from another resource."""

    url = ApiLinkField(view_name="api:article-detail")
    page_url = PageURLField()
    published_at = serializers.DateTimeField(
        source="publish_at", read_only=True, allow_null=True
    )

    class Meta:
        model = Article
        fields = ("id", "url", "page_url", "headline", "published_at")
