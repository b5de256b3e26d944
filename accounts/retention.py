"""How long personal data that only serves for a time is kept: sessions, login records, audit events.

`purge_expired` is what `manage.py purge_personal_data` runs (daily, from cron or a systemd timer): expired
sessions go (Django's `clearsessions`), login records older than NORAMAL_LOGIN_LOG_DAYS, and audit events
older than NORAMAL_AUDIT_RETENTION_DAYS when that is set (unset, the default, keeps the audit trail whole).
"""

from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from .models import AuditEvent


def purge_expired(now=None):
    """Delete what has outlived its retention; return how many rows of each kind went."""
    now = now or timezone.now()
    expired_sessions = Session.objects.filter(expire_date__lte=now).count()
    call_command("clearsessions")
    login_cutoff = now - timedelta(days=settings.NORAMAL_LOGIN_LOG_DAYS)
    login_records = sum(
        model.objects.filter(attempt_time__lt=login_cutoff).delete()[0]
        for model in (AccessLog, AccessFailureLog, AccessAttempt)
    )
    audit_events = 0
    if settings.NORAMAL_AUDIT_RETENTION_DAYS:
        audit_cutoff = now - timedelta(days=settings.NORAMAL_AUDIT_RETENTION_DAYS)
        audit_events = AuditEvent.objects.filter(at__lt=audit_cutoff).delete()[0]
    return {"sessions": expired_sessions, "login_records": login_records, "audit_events": audit_events}
