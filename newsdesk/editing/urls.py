"""The body editor's endpoints, mounted under /admin/editor/ (staff only)."""

from django.urls import path

from newsdesk.editing import autosave, presence, views

app_name = "editing"
urlpatterns = [
    path("preview/", views.body_preview, name="body_preview"),
    path("images/", views.image_chooser, name="image_chooser"),
    path(
        "autosave/<str:app_label>/<str:model_name>/<str:object_id>/",
        autosave.autosave,
        name="autosave",
    ),
    path(
        "presence/<str:app_label>/<str:model_name>/<str:object_id>/",
        presence.presence,
        name="presence",
    ),
]
