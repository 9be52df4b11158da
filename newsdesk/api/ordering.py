"""`?ordering=` that names its fields and rejects the rest."""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.filters import OrderingFilter

RELEVANCE = "relevance"


class ValidatingOrderingFilter(OrderingFilter):
    """`?ordering=` that rejects unknown fields with a 400 instead of ignoring them.

    Views declare `ordering_fields` as a mapping of public name → model field;
    the id is always added as a tie-breaker so pages are stable. Views with
    full-text search (`search_param`) sort best match first while searching.
    """

    ordering_description = "Sort order: a field name, `-` in front for descending."

    def public_fields(self, view) -> dict[str, str]:
        return dict(getattr(view, "ordering_fields", {}) or {})

    def searching(self, request, view) -> bool:
        param = getattr(view, "search_param", None)
        return bool(param and request.query_params.get(param, "").strip())

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is None:
            if self.searching(request, view):
                return list(view.search_ordering)
            return self.get_default_ordering(view)
        if raw == RELEVANCE and getattr(view, "search_param", None):
            # Without a query every article is equally relevant: newest first.
            if not self.searching(request, view):
                return self.get_default_ordering(view)
            return list(view.search_ordering)
        fields = self.public_fields(view)
        terms = [term.strip() for term in raw.split(",")]
        unknown = [t for t in terms if t.lstrip("-") not in fields]
        if unknown or len(terms) > 1:
            allowed = ", ".join(sorted(fields))
            raise exceptions.ValidationError(
                {
                    self.ordering_param: [
                        f"Unknown or multiple ordering fields: {raw!r}. "
                        f"Use one of: {allowed} (prefix - for descending)."
                    ]
                }
            )
        term = terms[0]
        descending = term.startswith("-")
        field = fields[term.lstrip("-")]
        ordering = [f"-{field}" if descending else field]
        if field != "id":
            ordering.append("-id" if descending else "id")
        return ordering

    def get_default_ordering(self, view):
        return list(view.ordering)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        names = sorted(self.public_fields(view))
        relevance = [RELEVANCE] if getattr(view, "search_param", None) else []
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": self.ordering_description,
                "schema": {
                    "type": "string",
                    "enum": [*names, *(f"-{name}" for name in names), *relevance],
                },
            }
        ]
