from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = "Incidents and recommendations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from incidents import signals
        from incidents.retractions import incident_citations
        from incidents.site_search import IncidentKind, RecommendationKind
        from newsdesk import extensions, retractions, site_search

        retractions.citation_counters.register(incident_citations)
        site_search.search_kinds.extend([IncidentKind(), RecommendationKind()])

        signals.connect()

        # Reporters read the structured records; editors manage them.
        extensions.editorial_models.extend(
            extensions.EditorialModel(f"incidents.{name}", "view")
            for name in (
                "actor",
                "actoralias",
                "place",
                "incident",
                "incidentactor",
                "figure",
                "figurecandidate",
                "recommendation",
                "recommendationupdate",
            )
        )
        from incidents.article_section import incident_section
        from incidents.selectors import incidents_in_focus

        extensions.article_sections.register(incident_section)
        extensions.home_context.register(incidents_in_focus)
        post_migrate.connect(
            _search_index_install, dispatch_uid="incidents_search_index_install"
        )
        pre_migrate.connect(
            _search_triggers_drop, dispatch_uid="incidents_search_triggers_drop"
        )

        from incidents.publish_checks import figures_cited_check

        extensions.publish_checks.register(figures_cited_check)

        from incidents.api.article_part import API_ROUTES, incident_article_api

        extensions.api_routes.extend(API_ROUTES)
        extensions.article_api_parts.register(incident_article_api)
        extensions.editorial_urls.register("incidents.urls.feed_patterns")

        from incidents.importing import figure_candidates

        extensions.import_parts.register(figure_candidates)

        from incidents.seeding import incident_seeding

        extensions.seed_parts.register(incident_seeding)

        from incidents.revisions import incidents_covered

        extensions.revision_parts.register(incidents_covered)
        extensions.sitemap_sections.register(
            extensions.SitemapSection(
                "incidents", "incidents.sitemaps.IncidentSitemap", ("list:incidents",)
            )
        )


def _search_triggers_drop(sender, using: str = "default", **kwargs) -> None:
    # SQLite rebuilds tables during some schema changes; that fails while a
    # trigger names the table being rebuilt, so the FTS triggers step aside.
    from incidents import search

    search.sqlite_triggers_drop(using)


def _search_index_install(sender, using: str = "default", **kwargs) -> None:
    if sender.name == "incidents":
        from incidents import search

        search.sqlite_index_install(using)
