import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from followup import demo
from followup.models import ReportingPeriod


class Command(BaseCommand):
    help = (
        "Write deterministic demo follow-up on top of Nora's goal chain (import fixtures/nora.json first), "
        "or with --boards and --goals-per-board a large synthetic municipality for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=5, help="Years of follow-up (default 5).")
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="The day the demo is seeded for, YYYY-MM-DD (default today): the periods are closed up to "
            "the one being reported then, whose deadlines lie around that day.",
        )
        parser.add_argument(
            "--year",
            type=int,
            help="The current year, whose interim period stays open (as --today YEAR-09-20; large demo: the "
            "last year).",
        )
        parser.add_argument("--boards", type=int, help="Large mode: the number of boards.")
        parser.add_argument("--goals-per-board", type=int, help="Large mode: goals per board.")
        parser.add_argument(
            "--no-report",
            action="store_true",
            help="Do not publish the latest closed year's annual report (which takes a few seconds).",
        )
        parser.add_argument(
            "--skip-if-present",
            action="store_true",
            help="Do nothing, successfully, when the database holds follow-up of its own (for make run).",
        )

    def handle(
        self, *args, years, today, year, boards, goals_per_board, skip_if_present, no_report, **options
    ):
        if today is None:
            today = datetime.date(year, 9, 20) if year else timezone.localdate()
        year = year or today.year
        if years < 1 or years > 50:
            raise CommandError(_("--years must be between 1 and 50."))
        large = boards is not None or goals_per_board is not None
        if large and (not boards or not goals_per_board or boards < 1 or goals_per_board < 1):
            raise CommandError(
                _("The large demo needs both --boards and --goals-per-board, each at least 1.")
            )
        if demo.already_seeded():
            self.stdout.write(_("The demo data is already in place; nothing was changed."))
            return
        started = time.perf_counter()
        try:
            if large:
                counts = demo.seed_large(
                    boards=boards, goals_per_board=goals_per_board, year=year, years=years
                )
            else:
                counts = demo.seed_nora(today=today, years=years)
        except demo.FollowUpPresent as error:
            if not skip_if_present:
                raise CommandError(str(error)) from None
            self.stdout.write(_("%(reason)s Nothing was written.") % {"reason": error})
            return
        except demo.DemoRefused as error:
            raise CommandError(str(error)) from None
        seconds = time.perf_counter() - started
        message = _(
            "Demo written in %(seconds).1f s: %(goals)d goals, %(indicators)d indicators, "
            "%(periods)d periods, %(values)d values, %(statuses)d activity statuses, "
            "%(assessments)d judgements."
        )
        self.stdout.write(self.style.SUCCESS(message % {"seconds": seconds, **counts}))
        if not large and not no_report:
            self._publish_annual_report()

    def _publish_annual_report(self):
        """Publish the latest closed annual period's report, so that the public reports page has one."""
        from reports.data import Spec
        from reports.models import Kind
        from reports.tasks import publish_now

        period = (
            ReportingPeriod.objects.filter(
                kind=ReportingPeriod.Kind.ANNUAL, state=ReportingPeriod.State.CLOSED
            )
            .order_by("-year")
            .first()
        )
        if period is None:
            return
        started = time.perf_counter()
        try:
            # The demo's council decision: the annual report is decided in April of the following year.
            decision = f"KF § 23 {period.year + 1}-04-26"
            published = publish_now(Spec(Kind.ANNUAL, period), decision=decision)
        except Exception as error:  # the demo data stays; say why the report is missing
            self.stderr.write(
                _("The demo's annual report could not be published: %(error)s") % {"error": error}
            )
            return
        message = _("Published %(title)s (%(pages)d pages) in %(seconds).1f s.")
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                message % {"title": published.title, "pages": published.pages, "seconds": seconds}
            )
        )
