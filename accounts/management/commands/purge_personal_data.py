"""`manage.py purge_personal_data`: delete expired sessions and records past their retention (run daily)."""

from django.core.management.base import BaseCommand

from accounts import retention


class Command(BaseCommand):
    help = (
        "Delete expired sessions, login records older than NORAMAL_LOGIN_LOG_DAYS and, when "
        "NORAMAL_AUDIT_RETENTION_DAYS is set, audit events older than that."
    )

    def handle(self, *args, **options):
        gone = retention.purge_expired()
        self.stdout.write(
            f"Deleted {gone['sessions']} expired sessions, {gone['login_records']} login records and "
            f"{gone['audit_events']} audit events."
        )
