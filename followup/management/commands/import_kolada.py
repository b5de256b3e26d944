from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from followup import kolada


class Command(BaseCommand):
    help = "Import a Kolada API response (v2 or v3, JSON) into the annual periods, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The JSON file, as the Kolada API answered.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report, but write nothing.")

    def handle(self, *args, path, dry_run, **options):
        try:
            with open(path, "rb") as file:
                data = file.read()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            ) from None
        try:
            report = kolada.import_file(data, dry_run=dry_run)
        except kolada.KoladaError as error:
            raise CommandError(str(error)) from None
        for line in report.lines():
            self.stdout.write(line)
