"""POST data for an admin add/change page, read from the page's own forms.

What a browser would send when the editor presses Save without touching
anything: every field's current value, the inline rows as they stand and their
management forms.
"""

from __future__ import annotations

from typing import Any

from django import forms


def _field_data(form: forms.BaseForm) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        value = form[name].value()
        widget = field.widget
        if isinstance(field, forms.FileField):
            continue
        if isinstance(widget, forms.MultiWidget):
            if isinstance(value, (list, tuple)):  # a bound form sends its parts back
                parts = value
            else:
                parts = (
                    widget.decompress(value) if value else [None] * len(widget.widgets)
                )
            for index, part in enumerate(parts):
                data[f"{key}_{index}"] = "" if part is None else str(part)
        elif isinstance(field, forms.BooleanField):
            if value:
                data[key] = "on"
        elif value is None and isinstance(
            field, (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)
        ):
            continue  # nothing chosen: a browser sends no value at all
        elif isinstance(value, (list, tuple)):
            data[key] = [str(v) for v in value]
        elif value is None:
            data[key] = ""
        else:
            data[key] = str(value)
        if field.show_hidden_initial:
            # Fields with a computed default compare against the value first shown.
            initial_key = form.add_initial_prefix(name)
            data[initial_key] = data.get(key, "")
    return data


def admin_form_data(response: Any, *, inlines: bool = True) -> dict[str, Any]:
    """The unchanged form of an admin change (or add) page, ready to POST back.

    `inlines=False` sends every inline empty (for posting to an add page).
    """
    context = response.context
    data = _field_data(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        prefix = formset.prefix
        rows = list(formset.forms) if inlines else []
        initial = len(formset.initial_forms) if inlines else 0
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = str(initial)
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for row in rows:
            data.update(_field_data(row))
    return data
