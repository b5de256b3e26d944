"""Template filters of the follow-up pages: Swedish numbers, judgement wording, signal labels."""

from django import template

from followup.rollup import Signal
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
