"""Template helpers for incidents: dates at their precision and figure ranges."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString

from incidents.models import (
    DatePrecision,
    Figure,
    FigureGroup,
    GeoPrecision,
    Incident,
    Metric,
    Place,
    Qualifier,
)

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


@register.filter
def number(value) -> str:
    """An integer grouped in the active language's way: 12,000 in English."""
    if value is None or value == "":
        return ""
    return number_format(value, force_grouping=True)


# How a claim's wording reads in a sentence; the admin's labels name both readings.
_QUALIFIER_WORDS = {
    Qualifier.EXACT: "",
    Qualifier.ABOUT: "about ",
    Qualifier.AT_LEAST: "at least ",
    Qualifier.AT_MOST: "up to ",
}


@register.simple_tag
def figure_claim(figure: Figure) -> str:
    """One claim in words, as the ranges read: “about 12,000 detained (inmates / detainees)”."""
    if figure.low == figure.high:
        value = number(figure.low)
    else:
        value = f"{number(figure.low)}–{number(figure.high)}"
    words = _QUALIFIER_WORDS.get(figure.qualifier, "")
    suffix = _group_suffix({"group": figure.group})
    return f"{words}{value} {metric_label(figure.metric)}{suffix}"


_PRECISION_WORDS = {
    GeoPrecision.EXACT: "exact location",
    GeoPrecision.NEAR: "approximate: near the place or in its district",
    GeoPrecision.REGION: "approximate: the region only",
}


@register.filter
def geo_precision(place: Place) -> str:
    """How precisely a place's coordinates locate it, for readers."""
    return _PRECISION_WORDS.get(place.geo_precision, "")


@register.simple_tag
def figure_range(row: dict) -> str:
    """A reconciled range in words: “between 67 and 70 killed, per 3 sources”.

    When every claim rests on a retracted article there is no range to give.
    """
    low, high = row["low"], row["high"]
    claims = row["claims"]
    if not claims:
        return f"No range for {metric_label(row['metric'])}{_group_suffix(row)}"
    value = number(low) if low == high else f"between {number(low)} and {number(high)}"
    per = f"per {claims} source" if claims == 1 else f"per {claims} sources"
    return f"{value} {metric_label(row['metric'])}{_group_suffix(row)}, {per}"


def _group_suffix(row: dict) -> str:
    if row["group"] == FigureGroup.TOTAL:
        return ""
    return f" ({group_label(row['group']).lower()})"


@register.simple_tag
def figure_range_withdrawn(row: dict) -> SafeString:
    """Why claims are missing from a range: their only source was retracted."""
    withdrawn = row.get("withdrawn")
    if not withdrawn:
        return SafeString("")
    claims = "1 claim" if withdrawn == 1 else f"{withdrawn} claims"
    when = timezone.localtime(row["withdrawn_at"])
    return format_html(
        '<span class="retracted-mark">{} left out: the only source was retracted'
        ' on <time datetime="{}">{}</time></span>',
        claims,
        when.date().isoformat(),
        date_format(when, "j F Y"),
    )


@register.filter
def map_points(incidents) -> list[dict]:
    """The map markers of `incidents` that have coordinates."""
    from incidents.views import _map_points

    return _map_points(incidents)
