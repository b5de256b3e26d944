"""`manage.py purge_personal_data`: delete expired sessions and records past their retention (run daily)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from accounts import retention


class Command(BaseCommand):
    help = (
        "Delete expired sessions, login records older than NORAMAL_LOGIN_LOG_DAYS and, when "
        "NORAMAL_AUDIT_RETENTION_DAYS is set, audit events older than that."
    )

    def handle(self, *args, **options):
        gone = retention.purge_expired()
        self.stdout.write(
            _(
                "Deleted %(sessions)d expired sessions, %(login_records)d login records and "
                "%(audit_events)d audit events."
            )
            % gone
        )
