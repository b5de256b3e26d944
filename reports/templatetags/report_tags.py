"""Template filters and tags of the reports: Swedish numbers and dates, Markdown, indicator charts."""

from django import template
from django.utils.safestring import mark_safe

from goals.markdown import render_markdown
from goals.numbers import format_number

from .. import charts

register = template.Library()


@register.filter
def num(value, decimals=0):
    """A number the Swedish way: {{ value|num:indicator.decimals }} gives "1 234,5"."""
    return format_number(value, decimals)


@register.filter
def iso(value):
    """A date as 2026-08-31, whatever the active language's date format."""
    return value.isoformat() if value else ""


@register.filter
def markdown(text):
    """User-written Markdown as sanitised HTML (no images, no scripts: see goals.markdown)."""
    return render_markdown(text)


@register.simple_tag
def indicator_chart(indicator, report):
    """The small bar chart of an indicator's totals across the report's columns, with its target line."""
    totals = [value.total if value is not None else None for value in indicator.values]
    label = f"Mål {indicator.target_year}" if indicator.target_year else "Mål"
    svg = charts.indicator_chart(
        [column.label for column in report.columns],
        totals,
        indicator.target,
        decimals=indicator.decimals,
        target_label=label,
    )
    return mark_safe(svg)  # built from numbers and escaped labels only
