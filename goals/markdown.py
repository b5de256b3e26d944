"""Markdown to safe HTML: python-markdown renders, nh3 keeps only an explicit allowlist."""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Tags removed together with their content: their text is code or markup, never prose for a reader.
DROPPED_WITH_CONTENT = {
    "script",
    "style",
    "svg",
    "math",
    "iframe",
    "object",
    "embed",
    "template",
    "noscript",
    "textarea",
    "select",
}
EXTENSIONS = ["tables", "sane_lists", "fenced_code"]


class _DemoteHeadings(Treeprocessor):
    """Shift h1–h4 to h3–h6: the page's own h1 and h2 come before any heading in user text."""

    def run(self, root):
        for element in root.iter():
            if len(element.tag) == 2 and element.tag[0] == "h" and element.tag[1] in "123456":
                element.tag = f"h{min(int(element.tag[1]) + 2, 6)}"


class _DemoteHeadingsExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_DemoteHeadings(md), "demote_headings", 5)


def sanitise(html):
    """Keep only the allowlisted tags, attributes and link schemes of an HTML fragment."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(text) -> SafeString:
    """Render user-written Markdown to HTML that is safe to put in a page."""
    if not text:
        return mark_safe("")
    # A fresh converter per call: python-markdown's converters keep state and are not thread-safe.
    converter = markdown.Markdown(extensions=[*EXTENSIONS, _DemoteHeadingsExtension()], output_format="html")
    return mark_safe(sanitise(converter.convert(str(text))))
