"""The entry sheets' inputs written in Python: the same markup as Django's field group, without a template
per widget.

A value sheet of 120 indicators has about 600 inputs; rendered through Django's per-widget templates they
took most of the page's time. The form, its fields and their validation are Django's as before; only the
HTML of a bound field is put together here: the label tied to the input, the field's errors in a list the
input names in aria-describedby (and aria-invalid), the input with the typed value after a bad save, and
the hidden twin with the value the page was opened with.
"""

from html import escape

from django import forms
from django.utils.safestring import mark_safe


def _e(value):
    """Django's escape (html.escape of the text, quotes too) without its lazy-text wrapper: it is called
    thousands of times per sheet."""
    return escape(str(value))


def _flat(attrs):
    """Attributes as Django's flatatt writes them: True alone, False and None left out, the rest quoted."""
    parts = []
    for key, value in attrs.items():
        if value is True:
            parts.append(f" {key}")
        elif value is not False and value is not None:
            parts.append(f' {key}="{_e(value)}"')
    return "".join(parts)


def _attrs(bound, widget, only_initial=False):
    """The widget's attributes as Django's BoundField.as_widget builds them."""
    attrs = {**widget.attrs, **bound.build_widget_attrs({}, widget)}
    if bound.auto_id and "id" not in widget.attrs:
        attrs["id"] = bound.html_initial_id if only_initial else bound.auto_id
    return attrs


def _text(value):
    """A widget's value as Widget.format_value gives it: None for nothing."""
    if value == "" or value is None:
        return None
    return str(value)


def _input(kind, name, value, attrs):
    shown = f' value="{_e(value)}"' if value is not None else ""
    return f'<input type="{kind}" name="{_e(name)}"{shown}{_flat(attrs)}>'


def widget_html(bound, only_initial=False):
    """One bound field's input (a text input, a text area, a list or a hidden input), safe HTML."""
    return mark_safe(_widget(bound, only_initial))


def _widget(bound, only_initial):
    if only_initial:
        widget = bound.field.hidden_widget()
        name, form = bound.html_initial_name, bound.form
        # The opening value the page was sent with, kept through a bad save.
        value = form._widget_data_value(widget, name) if name in form.data else bound.value()
        attrs = {**widget.attrs, **bound.build_widget_attrs({}, widget)}
        if bound.auto_id:
            attrs["id"] = bound.html_initial_id
        return _input("hidden", name, _text(value), attrs)
    widget = bound.field.widget
    attrs, value = _attrs(bound, widget), bound.value()
    if isinstance(widget, forms.Textarea):
        text = "" if value is None else _e(value)
        return f"<textarea{_flat({'name': bound.html_name, **attrs})}>\n{text}</textarea>"
    if isinstance(widget, forms.Select):
        chosen = "" if value is None else str(value)
        options = "".join(
            f'<option value="{_e(key)}"{" selected" if str(key) == chosen else ""}>{_e(label)}</option>'
            for key, label in bound.field.choices
        )
        return f"<select{_flat({'name': bound.html_name, **attrs})}>\n{options}\n</select>"
    if isinstance(widget, forms.HiddenInput):
        return _input("hidden", bound.html_name, _text(value), attrs)
    if isinstance(widget, forms.TextInput):
        return _input(widget.input_type, bound.html_name, _text(value), attrs)
    return bound.as_widget()  # any other widget: Django's own template


def _message(error):
    return error.__html__() if hasattr(error, "__html__") else _e(error)


def field_html(bound):
    """A bound field as its field group: label, errors, input and its hidden opening value; safe HTML."""
    if bound.is_hidden:
        return widget_html(bound)
    parts = [f'<label for="{_e(bound.id_for_label)}">{_e(bound.label)}{_e(bound.form.label_suffix)}</label>']
    errors = bound.errors
    if errors:
        items = "".join(f"<li>{_message(e)}</li>" for e in errors)
        parts.append(f'<ul class="errorlist" id="{_e(bound.auto_id)}_error">{items}</ul>')
    parts.append(_widget(bound, False))
    if bound.field.show_hidden_initial:
        parts.append(_widget(bound, True))
    return mark_safe("".join(parts))


def row_inputs_html(row):
    """A sheet row's inputs (followup/sheets.py's Row): each number or status, the comment, the version."""
    parts = ['<div class="sheet-inputs">']
    parts += [f'<div class="sheet-input">{field_html(f)}</div>' for f in row.fields.values()]
    parts.append(f'<div class="sheet-input sheet-input--comment">{field_html(row.comment)}</div>')
    parts.append(f"</div>{_widget(row.version, False)}")
    return mark_safe("".join(parts))
