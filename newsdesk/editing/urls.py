"""The body editor's endpoints, mounted under /admin/editor/ (staff only)."""

from django.urls import path

from newsdesk.editing import views

app_name = "editing"
urlpatterns = [
    path("preview/", views.body_preview, name="body_preview"),
    path("images/", views.image_chooser, name="image_chooser"),
]
