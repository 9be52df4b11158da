"""FilterSets of the editorial resources, and the filter types both apps share."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import FloatField, QuerySet, Value
from django.db.models.functions import Cast
from django_countries import countries
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from newsdesk import extensions
from newsdesk.api.validation import MAX_ID, check_offset
from newsdesk.models import Article, Person, Reliability, Source, SourceKind, Topic
from newsdesk.search import MAX_QUERY_LENGTH, search_articles

# --- Shared filter types -------------------------------------------------------


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(filters.NumberFilter):
    """An object id: a whole number, so `abc` or `1.5` answers 400."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class BoundedDateTimeField(filters.IsoDateTimeFilter.field_class):
    """An ISO 8601 date-time; extreme years are clamped instead of overflowing.

    An offset PostgreSQL cannot store (±16:00 or more) is refused on every
    database, so both answer the same 400.
    """

    def to_python(self, value: Any) -> datetime.datetime | None:
        parsed = super().to_python(value)
        if parsed is None or parsed.tzinfo is None:
            return parsed
        try:
            check_offset(parsed)
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from None
        try:
            parsed.astimezone(datetime.UTC)
        except OverflowError:
            edge = (
                datetime.datetime.min if parsed.year < 5000 else datetime.datetime.max
            )
            return edge.replace(tzinfo=datetime.UTC)
        return parsed


class DateTimeFilter(filters.IsoDateTimeFilter):
    field_class = BoundedDateTimeField


class DateFilter(filters.DateFilter):
    """A calendar date, YYYY-MM-DD only."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        super().__init__(*args, **kwargs)


COUNTRY_CHOICES = [(code, code) for code, _ in countries]


def country_filter(field_name: str, help_text: str) -> filters.ChoiceFilter:
    return filters.ChoiceFilter(
        field_name=field_name, choices=COUNTRY_CHOICES, label=help_text
    )


class StrictFilterSet(filters.FilterSet):
    """A FilterSet where an empty value of a typed parameter is an error, not "any"."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name, declared in self.filters.items():
            if isinstance(declared, filters.CharFilter) or self.data.get(name) != "":
                continue
            if name in self.form.errors:
                continue
            self.form.add_error(name, "Enter a value, or leave the parameter out.")
            valid = False
        return valid


def search_filter(help_text: str) -> filters.CharFilter:
    return filters.CharFilter(
        method="filter_q", max_length=MAX_QUERY_LENGTH, label=help_text
    )


# --- Editorial FilterSets ----------------------------------------------------------


class ArticleFilterSet(StrictFilterSet):
    q = search_filter(
        "Full-text search in headline, standfirst, body, authors and source. "
        'Phrases in "double quotes", -word to exclude. Results come best match '
        "first unless another `ordering` is asked for."
    )
    published_after = DateTimeFilter(
        field_name="publish_at",
        lookup_expr="gte",
        label="Published at or after (ISO 8601).",
    )
    published_before = DateTimeFilter(
        field_name="publish_at",
        lookup_expr="lte",
        label="Published at or before (ISO 8601).",
    )
    topic = filters.CharFilter(field_name="topics__slug", label="Topic slug.")
    source = filters.CharFilter(field_name="source__slug", label="Source slug.")
    author = filters.CharFilter(
        field_name="authors__slug", label="Author's person slug."
    )
    language = filters.CharFilter(
        field_name="language", max_length=35, label="BCP 47 language tag, e.g. en."
    )

    class Meta:
        model = Article
        fields = (
            "q",
            "published_after",
            "published_before",
            "topic",
            "source",
            "author",
            "language",
        )

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Matching articles annotated with their `relevance` (see `newsdesk.search`)."""
        if not value.strip():
            return queryset
        try:
            matches = search_articles(value, queryset)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc
        if "search_rank" not in matches.query.annotations:
            return matches.annotate(relevance=Value(0.0, output_field=FloatField()))
        # Double precision, so that the rank read back into a page cursor
        # compares exactly with the rank in the database.
        return matches.annotate(relevance=Cast("search_rank", FloatField()))


class WithContributedFilters:
    """A viewset's `filterset_class`: `base` followed by other apps' article filters.

    Built on first use, once every app has registered in extensions.article_api_parts.
    """

    def __init__(self, base: type[filters.FilterSet]) -> None:
        self.base = base
        self._built: tuple[tuple, type[filters.FilterSet]] | None = None

    def __get__(self, instance: Any, owner: type) -> type[filters.FilterSet]:
        parts = tuple(extensions.article_api_parts)
        if self._built is None or self._built[0] != parts:
            added = {name: f for part in parts for name, f in part.filters().items()}
            built = self.base
            if added:
                attrs = {"__module__": self.base.__module__, **added}
                built = type(self.base)(self.base.__name__, (self.base,), attrs)
            self._built = (parts, built)
        return self._built[1]


class SourceFilterSet(StrictFilterSet):
    kind = filters.ChoiceFilter(choices=SourceKind.choices, label="Kind of publisher.")
    country = country_filter("country", "Where the publisher is based (ISO code).")
    language = filters.CharFilter(max_length=35, label="BCP 47 language tag.")
    reliability = filters.ChoiceFilter(
        choices=Reliability.choices, label="Admiralty reliability grade."
    )
    domain = filters.CharFilter(label="Exact domain, e.g. nbcnews.com.")

    class Meta:
        model = Source
        fields = ("kind", "country", "language", "reliability", "domain")


class PersonFilterSet(StrictFilterSet):
    name = filters.CharFilter(
        field_name="name", lookup_expr="icontains", label="Part of the name."
    )
    affiliation = filters.CharFilter(
        field_name="affiliation",
        lookup_expr="icontains",
        label="Part of the affiliation.",
    )

    class Meta:
        model = Person
        fields = ("name", "affiliation")


class TopicFilterSet(StrictFilterSet):
    name = filters.CharFilter(
        field_name="name", lookup_expr="icontains", label="Part of the name."
    )

    class Meta:
        model = Topic
        fields = ("name",)
