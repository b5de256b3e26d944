"""A report's data as an HTML document and as a PDF."""

import base64

from django.template.loader import render_to_string
from django.templatetags.static import static

from . import pdf

TEMPLATE = "reports/report.html"
EMBLEM_PATH = "/look/emblem"


def report_html(report, *, preview=False, context=None, standalone=False):
    """The report as a whole HTML document: for the PDF, or (`preview`) for the browser; `standalone`
    (a file of its own) carries its emblem inline like the preview."""
    # The PDF names its stylesheet by its plain static path, which the restricted fetcher resolves; the
    # browser gets the storage's (possibly hashed) URL.
    stylesheet = static("css/report.css") if preview else pdf.stylesheet_url()
    # The emblem: from memory for the PDF (see pdf.render_pdf's `files`), as a data: URI in the browser.
    emblem = ""
    if report.emblem:
        emblem = _data_uri(report) if preview or standalone else EMBLEM_PATH
    context = {
        "report": report,
        "preview": preview,
        "stylesheet": stylesheet,
        "emblem_src": emblem,
        **(context or {}),
    }
    return render_to_string(TEMPLATE, context)


def _data_uri(report):
    return f"data:{report.emblem_type};base64,{base64.b64encode(report.emblem).decode('ascii')}"


def report_pdf(report, *, on_progress=None):
    """The report as a tagged PDF; returns a `pdf.RenderedPDF`."""
    files = {EMBLEM_PATH: (report.emblem, report.emblem_type)} if report.emblem else None
    return pdf.render_pdf(report_html(report), on_progress=on_progress, files=files)
