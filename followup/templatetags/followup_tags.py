"""Template filters of the follow-up pages: Swedish numbers, judgement wording, signal labels, the entry
sheets' inputs."""

from django import template

from followup.rollup import Signal
from followup.sheetinputs import field_html, row_inputs_html, value_row_html, widget_html
from followup.wording import judgement_label
from goals.numbers import format_number

register = template.Library()


@register.filter
def sv(value, decimals=0):
    """{{ value|sv:indicator.decimals }} → "1 234,5"."""
    return format_number(value, decimals)


@register.filter
def judgement(value, period):
    """{{ assessment.judgement|judgement:period }} → the forecast or outcome wording for the period's kind."""
    return judgement_label(period, value) if value else ""


@register.filter
def signal_label(value):
    """{{ suggestion.signal|signal_label }} → "Green: target reached"."""
    return Signal(value).label if value else ""


@register.filter
def person(user):
    """{{ value.updated_by|person }} → the user's full name, else the username, else "–"."""
    if user is None:
        return "–"
    return user.get_full_name() or user.get_username()


@register.filter
def sheet_field(bound):
    """{{ row.comment|sheet_field }} → the field's label, errors and input (followup/sheetinputs.py)."""
    return field_html(bound)


@register.filter
def sheet_input(bound):
    """{{ row.version|sheet_input }} → the field's input alone."""
    return widget_html(bound)


@register.filter
def sheet_inputs(row):
    """{{ row|sheet_inputs }} → a sheet row's inputs and its hidden version, in one piece of HTML."""
    return row_inputs_html(row)


@register.filter
def value_row(row, words):
    """{{ row|value_row:words }} → a value sheet's row as its whole fieldset (followup/sheetinputs.py);
    `words` is the page's ValueRowWords."""
    return value_row_html(row, words)
