from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = "Incidents and recommendations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from incidents.retractions import incident_citations
        from newsdesk import extensions, retractions

        retractions.citation_counters.register(incident_citations)

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
        from incidents.article_section import connect_receivers, incident_section
        from incidents.selectors import incidents_in_focus

        extensions.article_sections.register(incident_section)
        extensions.home_context.register(incidents_in_focus)
        connect_receivers()
