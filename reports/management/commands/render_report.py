"""`manage.py render_report --kind annual --year 2026 [--board BN] [--format docx] --out rapport.pdf`:
a report to a file."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from followup.models import ReportingPeriod
from reports import output
from reports.data import ReportUnavailable, build_report, spec_for
from reports.docx import report_docx
from reports.models import Kind
from reports.workbook import build_workbook

FORMATS = ("pdf", "html", "xlsx", "docx")


class Command(BaseCommand):
    help = (
        "Write a report as PDF, HTML, Excel or Word (by --format, else by the file name's ending). Interim "
        "and annual reports follow up that year's latest period of their kind; board and compilation reports "
        "the year's latest period."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=Kind.values)
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--board", help="The board's code, for --kind board (e.g. BN).")
        parser.add_argument("--period", choices=ReportingPeriod.Kind.values, help="Which period of the year.")
        parser.add_argument(
            "--format", dest="file_format", choices=FORMATS, help="pdf, html, xlsx or docx (else by --out)."
        )
        parser.add_argument("--out", required=True, help="The file to write: .pdf, .html, .xlsx or .docx.")

    def handle(self, *args, kind, year, board, period, out, file_format=None, **options):
        target = Path(out)
        suffix = f".{file_format}" if file_format else target.suffix.lower()
        if suffix[1:] not in FORMATS:
            raise CommandError(_("--out must end in .pdf, .html, .xlsx or .docx, or --format name one."))
        if kind == Kind.BOARD and not board:
            raise CommandError(_("A board report needs --board CODE."))
        try:
            spec = spec_for(kind, year, board_code=board, period_kind=period)
        except ReportUnavailable as error:
            raise CommandError(str(error)) from None
        start = time.perf_counter()
        report = build_report(spec)
        if suffix == ".pdf":
            rendered = output.report_pdf(report)
            target.write_bytes(rendered.data)
            what = _("pages: %(count)d") % {"count": rendered.pages}
        elif suffix == ".html":
            target.write_text(output.report_html(report, standalone=True), encoding="utf-8")
            what = "HTML"
        elif suffix == ".docx":
            target.write_bytes(report_docx(report))
            what = "Word"
        else:
            target.write_bytes(build_workbook(report))
            what = "Excel"
        seconds = time.perf_counter() - start
        message = _("Wrote %(title)s (%(period)s, %(what)s) to %(target)s in %(seconds)s s.")
        seconds_text = f"{seconds:.1f}".replace(".", ",")
        self.stdout.write(
            message
            % {
                "title": report.title,
                "period": spec.period,
                "what": what,
                "target": target,
                "seconds": seconds_text,
            }
        )
