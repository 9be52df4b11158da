"""Pieces shared by the admin screens of both apps."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def report_service_errors(
    modeladmin: admin.ModelAdmin, request: HttpRequest, exc: Exception
) -> None:
    """Show a service's refusal to the editor instead of failing the request."""
    if isinstance(exc, ValidationError):
        for message in exc.messages:
            modeladmin.message_user(request, message, messages.ERROR)
    else:
        modeladmin.message_user(request, str(exc), messages.ERROR)
