from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from followup import followup_files
from followup.spreadsheet import UploadError


class Command(BaseCommand):
    help = "Import judgements or activity statuses from a filled-in template (.xlsx or CSV), all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .xlsx or CSV file.")
        parser.add_argument("--what", required=True, choices=followup_files.KINDS)
        parser.add_argument(
            "--user", help="The username recorded as the importer (default: none, the system)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and report, but write nothing.")

    def handle(self, *args, path, what, user, dry_run, **options):
        importer = None
        if user:
            importer = get_user_model().objects.filter(username=user).first()
            if importer is None:
                raise CommandError(_('No user has the username "%(name)s".') % {"name": user})
        try:
            with open(path, "rb") as file:
                data = file.read()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            ) from None
        try:
            report = followup_files.import_upload(what, path, data, user=importer, dry_run=dry_run)
        except UploadError as error:
            raise CommandError("\n".join(error.messages)) from None
        for line in report.lines():
            self.stdout.write(line)
