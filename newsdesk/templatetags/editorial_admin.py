"""The admin index's "what waits" panel."""

from typing import Any

from django import template

from newsdesk.admin.dashboard import Queue, dashboard_queues

register = template.Library()


@register.simple_tag(takes_context=True)
def editorial_dashboard(context: dict[str, Any]) -> list[Queue]:
    """The queues the signed-in user works on; a fixed number of queries each."""
    return dashboard_queues(context["request"])
