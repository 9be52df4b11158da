from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = "Incidents and recommendations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from newsdesk import extensions

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
