"""Reminders by e-mail: one digest per person with work left in an open period, on the days the rule names.

The rule (docs/reminders.md), counted in working days (`calendar.is_working_day`) to the person's own
deadline — the earliest deadline of their organisations with work left in a period:
- `REMINDER_DAYS` working days before it (10 and 3 by default), on the day itself, and when late: the working
  day after, then at most once a week (when the person's last digest is `LATE_EVERY` days old or more);
- a person who chose weekly digests gets one on Mondays instead, while any of their deadlines is at most
  the largest of `REMINDER_DAYS` ahead or has passed; one who chose none gets no digest;
- nothing on a day off. Each digest is logged (`SentMail`) under the person and the day: a second run the
  same day sends nothing.
A period about to close (its own deadline within `CLOSING_NOTICE_DAYS` working days) is told once to
everyone with work left in it, unless they chose no reminders (`mail.stopped_by_choice`).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.tasks import default_task_backend, task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import MailPreference, mail_frequency

from .calendar import is_working_day, working_days_until
from .mail import send_once, site_url
from .models import SentMail
from .worklist import everyones_work

Frequency = MailPreference.Frequency
# Late reminders: the working day after the deadline, then when the last digest is this old or more.
LATE_EVERY = datetime.timedelta(days=7)


def reminder_window(days_left, frequency, today, last_sent=None):
    """Why a digest goes out today to a person whose deadline is `days_left` working days away (negative:
    late) and whose last digest went out on `last_sent`, or None when it does not."""
    if frequency == Frequency.NONE or not is_working_day(today):
        return None
    if frequency == Frequency.WEEKLY:
        return "weekly" if today.weekday() == 0 and days_left <= max(settings.REMINDER_DAYS) else None
    if days_left > 0:
        return f"before-{days_left}" if days_left in settings.REMINDER_DAYS else None
    if days_left == 0:
        return "day"
    late = -days_left
    if late == 1 or last_sent is None or today - last_sent >= LATE_EVERY:
        return f"late-{late}"
    return None


def reason_text(window, period):
    if window == "weekly":
        return _("Weekly digest (%(period)s)") % {"period": period}
    if window == "day":
        return _("Deadline today (%(period)s)") % {"period": period}
    kind, days = window.split("-")
    if kind == "before":
        return _("%(days)s working days before the deadline (%(period)s)") % {"days": days, "period": period}
    return _("%(days)s working days late (%(period)s)") % {"days": days, "period": period}


@dataclass
class Outcome:
    digests: int = 0
    notices: int = 0

    def lines(self):
        return [
            _("Reminders sent: %(n)d.") % {"n": self.digests},
            _("Notices of periods about to close sent: %(n)d.") % {"n": self.notices},
        ]


def _rows(periods, today):
    """The digest's data: per period its deadline and days left, per organisation its tasks with links."""
    rows = []
    for work in periods:
        for org_work in work.organisations:
            for t in org_work.tasks:
                t.link = site_url(t.url)
        rows.append(
            {
                "period": work.period,
                "deadline": work.deadline,
                "days_left": working_days_until(today, work.deadline) if work.deadline else None,
                "organisations": work.organisations,
            }
        )
    return rows


def send_reminders(today=None):
    """Send today's digests and closing notices; returns how many of each went out."""
    today = today or timezone.localdate()
    outcome = Outcome()
    last_sent = _last_digests()
    for user, periods in everyones_work(today):
        frequency = mail_frequency(user)
        last = last_sent.get(user.pk)
        triggers = [
            (work, reminder_window(working_days_until(today, work.deadline), frequency, today, last))
            for work in periods
            if work.deadline
        ]
        triggers = [(work, window) for work, window in triggers if window]
        if triggers:
            first, window = triggers[0]
            sent = send_once(
                key=f"reminder:{user.pk}:{today.isoformat()}",
                kind=SentMail.Kind.WEEKLY if window == "weekly" else SentMail.Kind.REMINDER,
                user=user,
                subject=_("Noramål: your follow-up tasks, deadline %(date)s")
                % {"date": min(w.deadline for w, _w in triggers).isoformat()},
                template="followup/mail/digest",
                context={
                    "periods": _rows(periods, today),
                    "workspace_url": site_url(reverse("accounts:workspace")),
                    "preference_text": Frequency(frequency).label,
                },
                period=first.period,
                reason="; ".join(reason_text(window, work.period) for work, window in triggers),
            )
            outcome.digests += sent
        outcome.notices += _closing_notices(user, periods, today)  # unless their choice stops it
    return outcome


def _last_digests():
    """{user id: the day of their last digest}."""
    rows = (
        SentMail.objects.filter(kind__in=(SentMail.Kind.REMINDER, SentMail.Kind.WEEKLY), user__isnull=False)
        .order_by()
        .values_list("user_id")
        .annotate(last=Max("sent_at"))
    )
    return {user_id: timezone.localdate(last) for user_id, last in rows}


def _closing_notices(user, periods, today):
    sent = 0
    for work in periods:
        closes = work.period.deadline
        if closes is None or not 0 <= working_days_until(today, closes) <= settings.CLOSING_NOTICE_DAYS:
            continue
        sent += send_once(
            key=f"closing:{user.pk}:{work.period.pk}",
            kind=SentMail.Kind.CLOSING,
            user=user,
            subject=_("Noramål: %(period)s closes on %(date)s")
            % {"period": work.period, "date": closes.isoformat()},
            template="followup/mail/closing",
            context={"periods": _rows([work], today), "closes": closes},
            period=work.period,
            reason=_("The period closes within %(n)d working days") % {"n": settings.CLOSING_NOTICE_DAYS},
        )
    return sent


# The worker's daily run ------------------------------------------------------------------------------------


def next_run(now=None):
    """The next REMINDER_HOUR o'clock, local time, after `now`."""
    now = timezone.localtime(now)
    run = now.replace(hour=settings.REMINDER_HOUR, minute=0, second=0, microsecond=0)
    if run <= now:
        run += timezone.timedelta(days=1)
    return run


@task()
def send_reminders_task():
    """The task: today's reminders, then the next day's run planned."""
    outcome = send_reminders()
    schedule_reminders()
    return outcome.digests


def schedule_reminders():
    """Plan the worker's next daily run unless one is planned; returns when it runs (None: not planned)."""
    if not default_task_backend.supports_defer:
        return None
    from django_tasks_db.models import DBTaskResult

    path = f"{send_reminders_task.func.__module__}.{send_reminders_task.func.__qualname__}"
    with transaction.atomic():
        planned = DBTaskResult.objects.filter(task_path=path, status="READY").order_by("run_after").first()
        if planned is not None:
            return planned.run_after
        when = next_run()
        send_reminders_task.using(run_after=when).enqueue()
    return when
