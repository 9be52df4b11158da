"""The admin site class: Django's, with the app list worked out only where shown.

`NewsdeskAdminConfig` (in INSTALLED_APPS for Django's admin) makes it the
default site, so `admin.site` and `@admin.register` are this site; its names
and dashboard are set in `newsdesk.admin.site`. It lives outside
`newsdesk.admin`, which registers the screens on it as it is imported.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


class NewsdeskAdminSite(admin.AdminSite):
    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        # Every admin page's context holds the app list for the navigation
        # sidebar: each model's permissions and URLs, about a tenth of the article
        # list's time. The sidebar is switched off here, so the list is worked
        # out only if a template reads it.
        request.app_list_on_demand = not self.enable_nav_sidebar
        try:
            return super().each_context(request)
        finally:
            del request.app_list_on_demand

    def get_app_list(
        self, request: HttpRequest, app_label: str | None = None
    ) -> list[dict[str, Any]]:
        if getattr(request, "app_list_on_demand", False):
            build = super().get_app_list
            return SimpleLazyObject(lambda: build(request, app_label))
        return super().get_app_list(request, app_label)


class NewsdeskAdminConfig(AdminConfig):
    """Django's admin app, its default site `NewsdeskAdminSite`."""

    default_site = "newsdesk.admin_site.NewsdeskAdminSite"
