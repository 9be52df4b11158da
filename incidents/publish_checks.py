"""The incidents app's check before publish: figures the body quotes but no Figure cites."""

from __future__ import annotations

from incidents.models import Figure, Metric
from newsdesk.publish_checks import ArticleDraft, Check, quoted_figures

MAX_LISTED = 5


def figures_cited_check(draft: ArticleDraft) -> list[Check]:
    """A warning for each casualty-type number in the body with no matching Figure."""
    quoted = [f for f in quoted_figures(draft) if f.metric in Metric.values]
    if not quoted:
        return []
    cited = (
        list(
            Figure.objects.filter(article_id=draft.article_id).values_list(
                "metric", "low", "high"
            )
        )
        if draft.article_id
        else []
    )
    uncited = [
        figure
        for figure in quoted
        if not any(
            metric == figure.metric and low <= figure.high and figure.low <= high
            for metric, low, high in cited
        )
    ]
    checks = [
        Check(
            "figure_not_cited",
            "warning",
            f"“{figure.text}” is quoted but no figure cites this article: add it "
            "to the incident's figures, with who claimed it.",
            "body",
        )
        for figure in uncited[:MAX_LISTED]
    ]
    if len(uncited) > MAX_LISTED:
        checks.append(
            Check(
                "figure_not_cited",
                "warning",
                f"… and {len(uncited) - MAX_LISTED} more quoted figures with no cited figure.",
                "body",
            )
        )
    return checks
