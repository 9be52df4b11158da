"""The admin index's "what waits" panel."""

from typing import Any

from django import template

from incidents.models import CandidateStatus, FigureCandidate
from newsdesk.models import Article, Comment

register = template.Library()


@register.simple_tag
def editorial_dashboard() -> dict[str, Any]:
    """Counts and the next few items of each queue; a fixed number of queries."""
    return {
        "in_review": list(Article.objects.in_review().order_by("updated_at")[:5]),
        "in_review_count": Article.objects.in_review().count(),
        "scheduled": list(Article.objects.scheduled().order_by("publish_at")[:5]),
        "scheduled_count": Article.objects.scheduled().count(),
        "pending_comments": Comment.objects.pending().count(),
        "pending_figures": FigureCandidate.objects.filter(
            status=CandidateStatus.PENDING
        ).count(),
    }
