"""Template filters and tags of the reports: Swedish numbers and dates, Markdown, indicator charts."""

from django import template
from django.template.loader import render_to_string
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
    series = charts.indicator_series(indicator, report.columns)
    svg = charts.indicator_chart(
        series["labels"],
        series["values"],
        series["target"],
        decimals=series["decimals"],
        target_label=series["target_label"],
    )
    return mark_safe(svg)  # built from numbers and escaped labels only


@register.simple_tag
def judgement_bar(report):
    """The stacked bar of the headline's goals by judgement."""
    return mark_safe(charts.stacked_bar(report.judgement_parts))  # numbers and escaped labels only


# WeasyPrint does not apply the document's stylesheet inside an inline SVG, and the preview's policy allows
# no inline style: the symbol carries its colours as presentation attributes (those of
# static/css/noramal.css for .judgement-symbol).
SYMBOL_FILL = {"met": "#1e6b2f", "partly_met": "#8a5a00", "not_met": "#a3261e", "not_assessed": "none"}
SYMBOL_PARTS = {
    'class="judgement-symbol__mark"': 'class="judgement-symbol__mark" fill="none" stroke="#ffffff" '
    'stroke-width="2" stroke-linecap="round" stroke-linejoin="round"',
    'class="judgement-symbol__ring"': 'class="judgement-symbol__ring" fill="none" stroke="#5c6670" '
    'stroke-width="2" stroke-dasharray="3 2"',
}


@register.simple_tag
def judgement_symbol(code):
    """The web pages' symbol of a judgement (includes/symbols/), coloured for the PDF."""
    if code not in SYMBOL_FILL:
        return ""
    svg = render_to_string(f"includes/symbols/{code}.html").strip()
    for plain, coloured in SYMBOL_PARTS.items():
        svg = svg.replace(plain, coloured)
    head, rest = svg.split(">", 1)
    return mark_safe(f'{head} fill="{SYMBOL_FILL[code]}">{rest}')  # our own files only
