from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from followup import calendar


class Command(BaseCommand):
    help = "Create a year's periods from the reporting calendar; periods that exist are left as they are."

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, type=int)

    def handle(self, *args, year, **options):
        try:
            outcome = calendar.create_periods(year)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        for line in outcome.lines():
            self.stdout.write(line)
