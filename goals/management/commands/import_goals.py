from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from goals import goalfile
from goals.goalfile import revision
from goals.models import Goal


class Command(BaseCommand):
    help = (
        "Import a goal document (see docs/goal-format.md) in one locked transaction; on an installation that "
        "has goals, apply it as a revision that keeps all follow-up."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The JSON document to import.")
        choice = parser.add_mutually_exclusive_group()
        choice.add_argument(
            "--replace",
            action="store_true",
            help="Delete the existing goals first; refused while any follow-up hangs on them.",
        )
        choice.add_argument(
            "--skip-if-present",
            action="store_true",
            help="Do nothing, successfully, when goals already exist.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what a revision would change, and change nothing."
        )
        parser.add_argument(
            "--from-year",
            type=int,
            help="The first year the revision holds for (default: next year from 1 October, else this year).",
        )
        parser.add_argument("--reason", default="", help="Why the goals are revised (needed for a revision).")
        parser.add_argument(
            "--decision", default="", help='The decision behind the revision, e.g. "KF § 112 2026-11-23".'
        )
        parser.add_argument("--user", help="The username the revision is recorded under.")

    def handle(self, *args, path, replace, skip_if_present, dry_run, from_year, reason, decision, user,
               **options):  # fmt: skip
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
        if len(data) > goalfile.MAX_BYTES:
            raise CommandError(goalfile.too_large_message(len(data)))
        account = self._user(user)
        try:
            plan = goalfile.read(goalfile.decode(data))
            if Goal.objects.exists() and not replace:
                self._revise(plan, data, dry_run, from_year, reason, decision, account)
                return
            if dry_run:
                raise CommandError(_("--dry-run shows a revision: the installation has no goals to revise."))
            counts = goalfile.import_plan(plan, replace=replace, user=account)
        except goalfile.GoalFileError as error:
            raise CommandError(str(error)) from None
        except goalfile.ImportRefused as error:
            if skip_if_present:  # another process imported between our check and the lock
                self.stdout.write(already)
                return
            raise CommandError(str(error)) from None
        self._note_municipality(plan)
        message = _(
            "Imported goals: %(goals)d, indicators: %(indicators)d, targets: %(targets)d, "
            "activities: %(activities)d, organisations: %(organisations)d, perspectives: %(perspectives)d."
        )
        self.stdout.write(self.style.SUCCESS(message % counts))

    def _user(self, username):
        if not username:
            return None
        account = get_user_model().objects.filter(username=username).first()
        if account is None:
            raise CommandError(_("No user “%(username)s”.") % {"username": username})
        return account

    def _note_municipality(self, plan):
        if plan.municipality and plan.municipality != settings.MUNICIPALITY_NAME:
            note = _('Note: the file is for "%(file)s"; this installation serves "%(site)s".')
            self.stdout.write(
                self.style.WARNING(note % {"file": plan.municipality, "site": settings.MUNICIPALITY_NAME})
            )

    def _revise(self, file_plan, data, dry_run, from_year, reason, decision, user):
        year = from_year or revision.default_from_year()
        plan = revision.plan_revision(file_plan, year, sha256=revision.file_sha256(data))
        self._note_municipality(file_plan)
        self.stdout.write(revision.revision_text(plan))
        if dry_run:
            self.stdout.write(self.style.WARNING(_("Dry run: nothing was changed.")))
            return
        if not plan.changes:
            return
        revision.apply_revision(plan, user=user, reason=reason, decision=decision)
        self.stdout.write(self.style.SUCCESS(_("The revision is applied.")))
