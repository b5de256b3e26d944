import re

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from followup import kolada, kolada_api, kolada_fetch


def parse_years(text):
    """ "2019-2025", "2019–2025", "2024" or "2019,2021" as a list of years."""
    text = text.strip()
    span = re.fullmatch(r"(\d{4})\s*[-–]\s*(\d{4})", text)
    if span:
        first, last = int(span[1]), int(span[2])
        if last < first or last - first > 50:
            raise ValueError(text)
        return list(range(first, last + 1))
    if re.fullmatch(r"\d{4}(\s*,\s*\d{4})*", text):
        return sorted({int(y) for y in text.split(",")})
    raise ValueError(text)


class Command(BaseCommand):
    help = (
        "Fetch the values of every indicator with a Kolada KPI id from Kolada's API (NORAMAL_KOLADA_URL) "
        "and import them into the annual periods, as the file import does."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", help='The years to fetch, e.g. "2019-2025" (default: every year).')
        parser.add_argument("--dry-run", action="store_true", help="Fetch and report, but write nothing.")
        parser.add_argument("--url", help="Another API base than NORAMAL_KOLADA_URL.")
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Fetch nothing now: plan the weekly fetch (NORAMAL_KOLADA_FETCH_DAYS) unless one is.",
        )

    def handle(self, *args, years=None, dry_run=False, url=None, schedule=False, **options):
        if schedule:
            planned = kolada_fetch.schedule_fetch()
            if planned is None:
                self.stdout.write(_("No fetch is planned: NORAMAL_KOLADA_FETCH_DAYS is 0."))
            else:
                when = timezone.localtime(planned.scheduled_for)
                self.stdout.write(_("Next fetch from Kolada: %(when)s.") % {"when": f"{when:%Y-%m-%d %H:%M}"})
            return
        try:
            wanted = parse_years(years) if years else []
        except ValueError:
            raise CommandError(
                _('--years takes a year or a span such as "2019-2025", not "%(text)s".') % {"text": years}
            ) from None
        try:
            report = kolada_api.fetch(years=wanted, dry_run=dry_run, base_url=url)
        except (kolada_api.KoladaUnavailable, kolada.KoladaError) as error:
            raise CommandError(str(error)) from None
        for line in report.lines():
            self.stdout.write(line)
