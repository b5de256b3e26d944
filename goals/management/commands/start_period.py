from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from goals import goalfile, mandate
from goals.goalfile import revision
from goals.models import Goal


class Command(BaseCommand):
    help = (
        "Start a new mandate period or budget year (docs/mandate.md): goals ending with the old period "
        "continue unless ended, a revised goal file brings new goals, targets are carried forward or left."
    )

    def add_arguments(self, parser):
        parser.add_argument("--first", type=int, required=True, help="The first year of the new period.")
        parser.add_argument(
            "--last", type=int, required=True, help="Its last year (= --first for a budget year)."
        )
        parser.add_argument("--file", help="A revised goal file applied as a revision from --first.")
        parser.add_argument(
            "--end", action="append", default=[], help="The key of a goal to end (repeatable)."
        )
        parser.add_argument("--targets", choices=mandate.TARGET_CHOICES, default=mandate.CARRY)
        parser.add_argument("--dry-run", action="store_true", help="Print the changes and write nothing.")
        parser.add_argument("--reason", default="", help="Why the new period starts as it does.")
        parser.add_argument("--decision", default="", help='The decision, e.g. "KF § 118 2026-11-23".')
        parser.add_argument("--user", help="The username the change is recorded under.")

    def handle(self, *args, first, last, file, end, targets, dry_run, reason, decision, user, **options):
        file_plan, sha256 = None, ""
        try:
            if file:
                try:
                    with open(file, "rb") as handle:
                        data = handle.read()
                except OSError as error:
                    message = _("Cannot read %(path)s: %(error)s") % {"path": file, "error": error.strerror}
                    raise CommandError(message) from None
                if len(data) > goalfile.MAX_BYTES:
                    raise CommandError(goalfile.too_large_message(len(data)))
                file_plan, sha256 = goalfile.read(goalfile.decode(data)), revision.file_sha256(data)
            ending = self._ending(end)
            plan = mandate.plan_mandate(first, last, file_plan=file_plan, sha256=sha256, ending=ending,
                                        targets=targets)  # fmt: skip
            if dry_run:
                self.stdout.write(mandate.mandate_text(plan))
                return
            changes = mandate.apply_mandate(plan, user=self._user(user), reason=reason, decision=decision)
        except (goalfile.GoalFileError, mandate.MandateRefused) as error:
            raise CommandError(str(error)) from None
        message = _("The period %(first)d–%(last)d is started: %(changes)d changes.")
        self.stdout.write(self.style.SUCCESS(message % {"first": first, "last": last, "changes": changes}))

    def _ending(self, keys):
        found = dict(Goal.objects.filter(key__in=keys).values_list("key", "pk"))
        unknown = [key for key in keys if key not in found]
        if unknown:
            raise CommandError(_("No goal has the key %(keys)s.") % {"keys": ", ".join(unknown)})
        return [found[key] for key in keys]

    def _user(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(_("No user is called %(username)s.") % {"username": username}) from None
