from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from goals import goalfile
from goals.models import Goal


class Command(BaseCommand):
    help = "Import a goal document (see docs/goal-format.md) in one locked transaction."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The JSON document to import.")
        choice = parser.add_mutually_exclusive_group()
        choice.add_argument(
            "--replace", action="store_true", help="Delete the existing goals (and what hangs on them) first."
        )
        choice.add_argument(
            "--skip-if-present",
            action="store_true",
            help="Do nothing, successfully, when goals already exist.",
        )

    def handle(self, *args, path, replace, skip_if_present, **options):
        already = _("The goal tree is already there; nothing was imported.")
        if skip_if_present and Goal.objects.exists():
            self.stdout.write(already)
            return
        try:
            with open(path, "rb") as file:
                data = file.read()
        except OSError as error:
            message = _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            raise CommandError(message) from None
        try:
            plan = goalfile.read(goalfile.decode(data))
            counts = goalfile.import_plan(plan, replace=replace)
        except goalfile.GoalFileError as error:
            raise CommandError(str(error)) from None
        except goalfile.ImportRefused as error:
            if skip_if_present:  # another process imported between our check and the lock
                self.stdout.write(already)
                return
            raise CommandError(str(error)) from None
        if plan.municipality and plan.municipality != settings.MUNICIPALITY_NAME:
            note = _('Note: the file is for "%(file)s"; this installation serves "%(site)s".')
            self.stdout.write(
                self.style.WARNING(note % {"file": plan.municipality, "site": settings.MUNICIPALITY_NAME})
            )
        message = _(
            "Imported goals: %(goals)d, indicators: %(indicators)d, targets: %(targets)d, "
            "activities: %(activities)d, organisations: %(organisations)d, perspectives: %(perspectives)d."
        )
        self.stdout.write(self.style.SUCCESS(message % counts))
