"""Template filters for the goal pages: Markdown and Swedish numbers."""

from django import template

from goals.markdown import render_markdown
from goals.numbers import format_number
from goals.targets import target_text

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render user-written Markdown as sanitised HTML."""
    return render_markdown(text)


@register.filter(name="sv_number")
def sv_number_filter(value, decimals=0):
    """Swedish number format in templates: {{ value|sv_number:indicator.decimals }} gives "13 000", "92,5"."""
    return format_number(value, decimals)


@register.filter(name="target_text")
def target_text_filter(target, decimals=0):
    """A target as written: {{ target|target_text:indicator.decimals }} gives "≥ 90", "< 10", "ska öka"."""
    return target_text(target, decimals)


@register.filter(name="tolerance_text")
def tolerance_text_filter(target, decimals=0):
    """A target's tolerance band: "5", "5 %" (of the target); "–" without one."""
    if target is None or not target.tolerance:
        return "–"
    text = format_number(target.tolerance, decimals, exact=True)
    return f"{text} %" if target.tolerance_unit == target.ToleranceUnit.PERCENT else text
