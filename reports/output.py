"""A report's data as an HTML document and as a PDF."""

from django.template.loader import render_to_string
from django.templatetags.static import static

from . import pdf

TEMPLATE = "reports/report.html"


def report_html(report, *, preview=False, context=None):
    """The report as a whole HTML document: for the PDF, or (`preview`) for the browser."""
    # The PDF names its stylesheet by its plain static path, which the restricted fetcher resolves; the
    # browser gets the storage's (possibly hashed) URL.
    stylesheet = static("css/report.css") if preview else pdf.stylesheet_url()
    return render_to_string(
        TEMPLATE, {"report": report, "preview": preview, "stylesheet": stylesheet, **(context or {})}
    )


def report_pdf(report, *, on_progress=None):
    """The report as a tagged PDF; returns a `pdf.RenderedPDF`."""
    return pdf.render_pdf(report_html(report), on_progress=on_progress)
