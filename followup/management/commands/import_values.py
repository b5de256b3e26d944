from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from followup import spreadsheet
from followup.models import ReportingPeriod
from followup.services import PeriodClosedError
from goals.models import Organisation


class Command(BaseCommand):
    help = "Import an organisation's values for one period from a filled-in template (.xlsx or CSV)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .xlsx or CSV file.")
        parser.add_argument("--board", required=True, help='The organisation\'s code, e.g. "BN".')
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--kind", required=True, choices=ReportingPeriod.Kind.values)
        parser.add_argument("--dry-run", action="store_true", help="Check and report, but write nothing.")

    def handle(self, *args, path, board, year, kind, dry_run, **options):
        organisation = Organisation.objects.filter(code=board.strip().upper()).first()
        if organisation is None:
            raise CommandError(_('No organisation has the code "%(code)s".') % {"code": board})
        period = ReportingPeriod.objects.filter(year=year, kind=kind).first()
        if period is None:
            raise CommandError(_("There is no period %(kind)s %(year)d; a controller creates it first.") % {
                "kind": kind, "year": year
            })  # fmt: skip
        try:
            with open(path, "rb") as file:
                data = file.read()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            ) from None
        try:
            report = spreadsheet.import_upload(path, data, organisation, period, dry_run=dry_run)
        except PeriodClosedError as error:
            raise CommandError(" ".join(error.messages)) from None
        except spreadsheet.UploadError as error:
            raise CommandError("\n".join(error.messages)) from None
        for line in report.lines():
            self.stdout.write(line)
