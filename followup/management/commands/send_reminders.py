import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from followup import reminders


class Command(BaseCommand):
    help = (
        "Send each person with work left in an open period their reminder digest, when today is one of "
        "their reminder days, and the notices of periods about to close (docs/reminders.md). A second run "
        "the same day sends nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Send as if today were this day (YYYY-MM-DD).")
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Send nothing now: plan the worker's daily run (NORAMAL_REMINDER_HOUR) unless one is.",
        )

    def handle(self, *args, date=None, schedule=False, **options):
        if schedule:
            when = reminders.schedule_reminders()
            if when is None:
                self.stdout.write(_("No run is planned: the task backend cannot run tasks later."))
            else:
                when = timezone.localtime(when)
                self.stdout.write(_("Next reminder run: %(when)s.") % {"when": f"{when:%Y-%m-%d %H:%M}"})
            return
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(
                _("--date takes a day as YYYY-MM-DD, not “%(text)s”.") % {"text": date}
            ) from None
        for line in reminders.send_reminders(today).lines():
            self.stdout.write(line)
