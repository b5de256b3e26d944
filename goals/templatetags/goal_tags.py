"""Template filters for the goal pages: Markdown and Swedish numbers."""

from django import template

from goals.markdown import render_markdown
from goals.numbers import format_number

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render user-written Markdown as sanitised HTML."""
    return render_markdown(text)


@register.filter(name="sv_number")
def sv_number_filter(value, decimals=0):
    """Swedish number format in templates: {{ value|sv_number:indicator.decimals }} gives "13 000", "92,5"."""
    return format_number(value, decimals)
