"""Template filters for the goal pages: Markdown and Swedish numbers."""

from decimal import Decimal, InvalidOperation

from django import template

from goals.markdown import render_markdown

register = template.Library()

NBSP = "\xa0"


@register.filter(name="markdown")
def markdown_filter(text):
    """Render user-written Markdown as sanitised HTML."""
    return render_markdown(text)


def swedish_number(value, decimals=0):
    """Write a number the Swedish way, e.g. "13 000" and "92,5" (no-break space groups, decimal comma)."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
        decimals = int(decimals or 0)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    # Show at least the indicator's decimals, and more when the value has them: a target is never rounded.
    exponent = number.normalize().as_tuple().exponent
    places = max(decimals, -exponent, 0)
    text = f"{number:,.{places}f}"
    return text.replace(",", NBSP).replace(".", ",")


@register.filter(name="sv_number")
def sv_number_filter(value, decimals=0):
    """Template form of `swedish_number`: {{ value|sv_number:indicator.decimals }}."""
    return swedish_number(value, decimals)
