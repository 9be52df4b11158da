"""Template helpers for incidents: dates at their precision and figure ranges."""

from __future__ import annotations

import datetime

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from incidents.models import DatePrecision, FigureGroup, Incident, Metric

register = template.Library()


def _time(value: datetime.date, precision: str) -> SafeString:
    if precision == DatePrecision.YEAR:
        return format_html(
            '<time datetime="{}">{}</time>', f"{value:%Y}", f"{value:%Y}"
        )
    if precision == DatePrecision.MONTH:
        return format_html(
            '<time datetime="{}">{}</time>', f"{value:%Y-%m}", f"{value:%B %Y}"
        )
    return format_html(
        '<time datetime="{}">{}</time>', value.isoformat(), f"{value.day} {value:%B %Y}"
    )


@register.simple_tag
def incident_dates(incident: Incident) -> SafeString:
    """The incident's dates as precisely as they are known, in <time> elements."""
    start = _time(incident.start_date, incident.date_precision)
    if not incident.end_date or incident.end_date == incident.start_date:
        return start
    end = _time(incident.end_date, incident.date_precision)
    return format_html("{} – {}", start, end)


@register.filter
def metric_label(value: str) -> str:
    try:
        return Metric(value).label.lower()
    except ValueError:
        return value


@register.filter
def group_label(value: str) -> str:
    try:
        return FigureGroup(value).label
    except ValueError:
        return value


@register.simple_tag
def figure_range(row: dict) -> str:
    """A reconciled range in words: “between 67 and 70 killed, per 3 sources”."""
    low, high = row["range_low"], row["range_high"]
    value = f"{low:,}" if low == high else f"between {low:,} and {high:,}"
    claims = row["claims"]
    per = f"per {claims} source" if claims == 1 else f"per {claims} sources"
    group = (
        ""
        if row["group"] == FigureGroup.TOTAL
        else f" ({group_label(row['group']).lower()})"
    )
    return f"{value} {metric_label(row['metric'])}{group}, {per}"
