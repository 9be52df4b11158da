"""The incidents section of the sitemap index (sitemap-incidents.xml)."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from incidents.models import Incident
from newsdesk.sitemaps import ROWS_PER_SITEMAP


class IncidentSitemap(Sitemap):
    changefreq = "weekly"
    limit = ROWS_PER_SITEMAP

    def items(self):
        return Incident.objects.published().only("id", "slug", "updated_at")

    def lastmod(self, item: Incident):
        return item.updated_at

    def get_latest_lastmod(self):
        return Incident.objects.published().aggregate(latest=Max("updated_at"))[
            "latest"
        ]
