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
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from goals.numbers import format_number


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


def _label(bound):
    """The label's text and the form's suffix, escaped; translated once per form for the fields that share a
    label (those copied from one prototype, SheetForm.add_field)."""
    label = bound.field.label
    if label is None:
        return f"{_e(bound.label)}{_e(bound.form.label_suffix)}"
    known = bound.form.__dict__.setdefault("_label_html", {})
    if id(label) not in known:
        known[id(label)] = f"{_e(label)}{_e(bound.form.label_suffix)}"
    return known[id(label)]


def field_html(bound):
    """A bound field as its field group: label, errors, input and its hidden opening value; safe HTML."""
    if bound.is_hidden:
        return widget_html(bound)
    parts = [f'<label for="{_e(bound.id_for_label)}">{_label(bound)}</label>']
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


def _c(value):
    """The template's {{ value }}: safe HTML as it is, anything else escaped."""
    return value.__html__() if hasattr(value, "__html__") else _e(value)


def _or_dash(value):
    """{{ value|default:"–" }}, escaped."""
    return _c(value) if value else "–"


def _when(value):
    """{{ value|date:"Y-m-d H:i" }}: the moment in the current time zone."""
    return template_localtime(value).strftime("%Y-%m-%d %H:%M")


class ValueRowWords:
    """What every row of one value sheet says the same: the translated words, and the labels of the
    directions and sources by value, translated once per page instead of once per row."""

    def __init__(self, period):
        self.target = _e(gettext("Target %(year)s") % {"year": period.year})
        self.direction, self.their_value = _e(gettext("Direction")), _e(gettext("Their value"))
        self.women, self.men, self.comment = _e(gettext("women")), _e(gettext("men")), _e(gettext("Comment"))
        self.keep = _e(
            gettext(
                "Your input is kept below. Save again to replace their value with yours, or change it first."
            )
        )
        self._labels = {}

    def label(self, obj, name):
        """obj.get_<name>_display(), escaped."""
        key = (type(obj), name, getattr(obj, name))
        if key not in self._labels:
            self._labels[key] = _c(getattr(obj, f"get_{name}_display")())
        return self._labels[key]


def value_row_html(row, words):
    """One row of the value sheet (followup/sheets.py's Row of an indicator) as its whole fieldset: the
    indicator's name and unit, the earlier years' values, this year's target and the direction, the box of a
    conflicting save, the inputs, and who saved the value last; safe HTML. `words` is the page's
    ValueRowWords.

    The translated sentences are the template's msgids: a {% translate %} escaped, a {% blocktranslate %}
    as written by the translator with its values escaped.
    """
    from .templatetags.followup_tags import person  # the |person filter (it imports this module)

    indicator, conflict, stored = row.obj, row.conflict, row.stored
    decimals = indicator.decimals
    parts = [
        f'<fieldset class="sheet-row{" sheet-row--conflict" if conflict else ""}"'
        f' id="indicator-{indicator.pk}">',
        f'<legend>{_c(indicator.name)} <span class="sheet-unit">({_c(indicator.unit)})</span></legend>',
        '<dl class="sheet-facts">',
        *(f"<div><dt>{_c(year)}</dt><dd>{_or_dash(value)}</dd></div>" for year, value in row.history),
        f'<div class="sheet-facts__target"><dt>{words.target}</dt><dd>{_or_dash(row.target)}</dd></div>',
        f"<div><dt>{words.direction}</dt><dd>{words.label(indicator, 'direction')}</dd></div>",
        "</dl>",
    ]
    if conflict:
        said = gettext("%(who)s saved this value at %(when)s after you opened the page.") % {
            "who": _c(person(conflict.updated_by)),
            "when": _when(conflict.updated_at),
        }
        theirs = [f"{words.their_value}: <span data-conflict-total>"]
        theirs.append(f"{_or_dash(format_number(conflict.total, decimals))}</span>")
        if indicator.gender_split:
            theirs.append(
                f" ({words.women} {_or_dash(format_number(conflict.women, decimals))}, "
                f"{words.men} {_or_dash(format_number(conflict.men, decimals))})"
            )
        if conflict.comment:
            theirs.append(f". {words.comment}: {_c(conflict.comment)}")
        parts += [
            '<div class="alert alert-warning sheet-conflict" role="alert">',
            f"<p><strong>{said}</strong></p>",
            f'<p class="sheet-conflict__theirs">{"".join(theirs)}</p>',
            f"<p>{words.keep}</p>",
            "</div>",
        ]
    parts.append(row_inputs_html(row))
    if stored:
        saved = gettext("Last saved %(when)s by %(who)s (%(source)s).") % {
            "when": _when(stored.updated_at),
            "who": _c(person(stored.updated_by)),
            "source": words.label(stored, "source"),
        }
        parts.append(f'<p class="sheet-meta">{saved}</p>')
    parts.append("</fieldset>")
    return mark_safe("\n".join(parts))
