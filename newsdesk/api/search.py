"""`/api/v1/search/`: the site search as JSON, every kind of record ranked together."""

from __future__ import annotations

from django.utils.html import strip_tags
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from newsdesk import site_search
from newsdesk.api.conditional import ConditionalMixin
from newsdesk.api.errors import error_responses
from newsdesk.api.validation import COUNTRY_CODES


class SearchQuoteSerializer(serializers.Serializer):
    text = serializers.CharField()
    article = serializers.CharField()
    url = serializers.CharField()


class SearchHitSerializer(serializers.Serializer):
    type = serializers.CharField(source="kind")
    title = serializers.CharField()
    url = serializers.SerializerMethodField()
    snippet = serializers.SerializerMethodField(
        help_text="Plain text around the first match."
    )
    date = serializers.DateField(allow_null=True)
    detail = serializers.CharField()
    quotes = serializers.SerializerMethodField()

    def get_url(self, hit) -> str:
        return self.context["request"].build_absolute_uri(str(hit.url))

    def get_snippet(self, hit) -> str:
        return strip_tags(hit.snippet)

    def get_quotes(self, hit) -> list[dict]:
        build = self.context["request"].build_absolute_uri
        return [
            {
                "text": strip_tags(q["text"]),
                "article": q["article"],
                "url": build(str(q["url"])),
            }
            for q in hit.quotes
        ]


class SearchFacetSerializer(serializers.Serializer):
    type = serializers.CharField(source="name")
    label = serializers.CharField()
    count = serializers.IntegerField()
    more = serializers.BooleanField(help_text="True when there are more than `count`.")


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    corrected = serializers.CharField(
        allow_null=True, help_text="The corrected query searched instead, if any."
    )
    approximate = serializers.BooleanField(
        help_text="True when the results are only headlines close to the words."
    )
    facets = SearchFacetSerializer(many=True)
    page = serializers.IntegerField()
    has_next = serializers.BooleanField()
    results = SearchHitSerializer(many=True)


SLUG = {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"}
_PARAMETERS = [
    OpenApiParameter(
        "q",
        {"type": "string", "maxLength": site_search.MAX_QUERY_LENGTH},
        description='Words; "a phrase" and -word work.',
    ),
    OpenApiParameter(
        "type",
        {"type": "string", "enum": [k.name for k in site_search.search_kinds]},
        description="Only one kind: "
        + ", ".join(k.name for k in site_search.search_kinds),
    ),
    OpenApiParameter(
        "start",
        {"type": "string", "format": "date"},
        description="From this date (YYYY-MM-DD).",
    ),
    OpenApiParameter(
        "end",
        {"type": "string", "format": "date"},
        description="Until this date (YYYY-MM-DD).",
    ),
    OpenApiParameter("topic", SLUG, description="Topic slug (articles)."),
    OpenApiParameter("source", SLUG, description="Source slug."),
    OpenApiParameter("incident", SLUG, description="Incident slug."),
    OpenApiParameter(
        "country",
        {"type": "string", "enum": sorted(COUNTRY_CODES)},
        description="ISO 3166 country code.",
    ),
    OpenApiParameter(
        "language",
        {
            "type": "string",
            "maxLength": 35,
            "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
        },
        description="BCP 47 language tag.",
    ),
    OpenApiParameter(
        "page", {"type": "integer", "minimum": 1}, description="Page of 20 results."
    ),
]


class SearchView(ConditionalMixin, APIView):
    """Published articles, incidents, people (with quotes), recommendations and
    sources matching `q`, ranked together, with bounded counts per type."""

    permission_classes = (AllowAny,)

    def cached_query_params(self) -> frozenset[str]:
        return super().cached_query_params() | {
            *site_search.SearchForm.base_fields,
            "page",
        }

    def answer_tags(self) -> list[str]:
        return list(site_search.SEARCH_TAGS)

    @extend_schema(
        parameters=_PARAMETERS,
        responses={200: SearchResponseSerializer, **error_responses(400, 429)},
    )
    def get(self, request: Request) -> Response:
        form = site_search.SearchForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(
                {
                    name: [error["message"] for error in errors]
                    for name, errors in form.errors.get_json_data().items()
                }
            )
        results = site_search.search_everything(
            site_search.build_query(form.cleaned_data), form.cleaned_data["type"]
        )
        page = results.page(request.query_params.get("page"))
        payload = {
            "query": results.query.text,
            "corrected": results.corrected,
            "approximate": results.approximate,
            "facets": results.facets,
            "page": page.number,
            "has_next": page.has_next(),
            "results": list(page.object_list),
        }
        return Response(
            SearchResponseSerializer(payload, context={"request": request}).data
        )
