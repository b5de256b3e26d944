"""`manage.py pseudonymise_user USERNAME`: remove a person the way the administrators' page does."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import personal_data


class Command(BaseCommand):
    help = (
        "Deactivate a user and replace their name, username and e-mail with a pseudonym (anonym-<id>), also "
        "in activities that name them as responsible; ends their sessions. Irreversible."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, username, yes, **options):
        user = personal_data.find_user(username)
        if user is None:
            raise CommandError(_("No user is called %(username)s.") % {"username": username})
        if not yes:
            answer = input(
                _("This cannot be undone. Type the username (%(username)s) to pseudonymise it: ")
                % {"username": username}
            )
            if answer.strip() != username:
                raise CommandError(_("Nothing was changed."))
        try:
            with transaction.atomic():
                done = personal_data.pseudonymise(user, by=None)
        except personal_data.PseudonymisationRefused as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(
            _(
                "%(username)s is now %(alias)s: deactivated, %(activities)d activities changed, "
                "%(sessions)d sessions ended."
            )
            % {"username": username, **done}
        )
