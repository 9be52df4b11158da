"""A changelist's rows written as the admin writes them, its columns looked up once.

Django's `items_for_result` works out every cell from scratch: which kind of
column it is, its empty-value text, its class, then `format_html` around the
value — about a third of the article list's rendering at 50 rows and seven
columns. When every column is a method of the model admin (the article
list's are), the same cells come from a plan made once per page. Any other
list (a model field, a link column, editable rows) is left to Django.
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Callable
from typing import Any

from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    _coerce_field_name,
    result_headers,
    result_hidden_fields,
    results,
)
from django.contrib.admin.utils import display_for_value
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

Column = tuple[str, Callable[[Any], Any], str]


def _columns(cl: ChangeList) -> list[Column] | None:
    """(class, method, empty-value text) of each column; None when one is not an
    admin method or the list is not plain (editable rows, links to the rows)."""
    if getattr(cl, "formset", None) or cl.list_display_links is not None:
        return None
    model_admin = cl.model_admin
    default_empty = model_admin.get_empty_value_display()
    columns = []
    for index, name in enumerate(cl.list_display):
        if not isinstance(name, str) or name == "__str__":
            return None
        try:
            cl.lookup_opts.get_field(name)
        except FieldDoesNotExist:
            pass
        else:
            return None  # a model field: shown by Django's rules for its type
        method = getattr(model_admin, name, None)
        if not callable(method) or getattr(method, "boolean", False):
            return None
        css = (
            "action-checkbox"
            if name == "action_checkbox"
            else f"field-{_coerce_field_name(name, index)}"
        )
        empty = getattr(method, "empty_value_display", default_empty)
        columns.append((css, method, empty))
    return columns


def _cell(css: str, method: Callable[[Any], Any], empty: str, row: Any) -> str:
    """One cell, as `items_for_result` writes it for an admin method's value."""
    try:
        value = method(row)
    except ObjectDoesNotExist:
        return f'<td class="{css}">{conditional_escape(empty)}</td>'
    if isinstance(value, str):
        if not value.strip():
            text = conditional_escape(empty)
        elif isinstance(value, SafeData):
            text = value
        else:
            # What `escape()` does, without its lazy-string wrapper on every cell.
            text = html.escape(value)
        return f'<td class="{css}">{text}</td>'
    if isinstance(value, (datetime.date, datetime.time)):
        css = f"{css} nowrap"
    text = conditional_escape(display_for_value(value, empty))
    return f'<td class="{css}">{text}</td>'


def list_rows(cl: ChangeList) -> list[ResultList]:
    """Each row of the page as the admin's results list holds it: its cells' HTML."""
    columns = _columns(cl)
    if columns is None:
        return list(results(cl))
    return [
        ResultList(
            None,
            [
                mark_safe(  # every value is escaped by _cell
                    "".join(
                        _cell(css, method, empty, row) for css, method, empty in columns
                    )
                )
            ],
        )
        for row in cl.result_list
    ]


def result_list_context(cl: ChangeList) -> dict[str, Any]:
    """What `{% result_list %}` gives its template, the rows from `list_rows`."""
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": list_rows(cl),
    }
