"""What every public ViewSet shares: permissions, paging, ordering, validators.

Each ViewSet then only says which queryset, serializer and filters it uses.
"""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.settings import api_settings

from newsdesk.api.conditional import ConditionalMixin
from newsdesk.api.ordering import ValidatingOrderingFilter
from newsdesk.api.pagination import ApiCursorPagination
from newsdesk.api.validation import validate_lookup


class WritePermission(BasePermission):
    """Reads for everyone; writes for signed-in staff holding the action's permission.

    The services check again (publishing needs its own permission); this
    answers 401/403 before any input is parsed.
    """

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        required = getattr(view, "write_permissions", {}).get(view.action)
        return required is None or user.has_perm(required)


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, skipped when the request names none of the filters.

    With none of its parameters every filter is a no-op, and building the
    FilterSet's form (the country filter alone copies some 250 choices) was
    the largest cost of a list page rendered from stored items.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not any(
            name in request.query_params for name in filterset_class.base_filters
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)


class PublicViewSetMixin(ConditionalMixin):
    """Everything a public ViewSet shares; its `get_queryset()` starts from `published()`."""

    filter_backends = (FilterBackend, ValidatingOrderingFilter)
    pagination_class = ApiCursorPagination
    permission_classes = (WritePermission,)
    lookup_value_regex = "[^/]+"

    def initial(self, request, *args, **kwargs) -> None:
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise exceptions.MethodNotAllowed(request.method)
        # NULs never get this far: RejectNulBytesMiddleware answers them.
        if request.query_params.get(api_settings.URL_FORMAT_OVERRIDE) == "":
            raise exceptions.ValidationError(
                {api_settings.URL_FORMAT_OVERRIDE: ["Name a format, or leave it out."]}
            )
        super().initial(request, *args, **kwargs)

    def get_object(self):
        validate_lookup(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field))
        return super().get_object()
