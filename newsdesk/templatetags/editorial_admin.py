"""The admin index's "what waits" panel, and the article list's rows."""

from typing import Any

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode

from newsdesk.admin.dashboard import Queue, dashboard_queues
from newsdesk.admin.list_rows import result_list_context

register = template.Library()


@register.simple_tag(takes_context=True)
def editorial_dashboard(context: dict[str, Any]) -> list[Queue]:
    """The queues the signed-in user works on; a fixed number of queries each."""
    return dashboard_queues(context["request"])


@register.tag(name="fast_result_list")
def fast_result_list_tag(parser: Any, token: Any) -> InclusionAdminNode:
    """`{% result_list cl %}` with the cells written from a plan made once per page."""
    return InclusionAdminNode(
        parser,
        token,
        func=result_list_context,
        template_name="change_list_results.html",
        takes_context=False,
    )
