"""Writes of the follow-up cycle. Every path that changes a period's data goes through `open_period_for_write`."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import ReportingPeriod


class PeriodClosedError(ValidationError):
    """Raised when something tries to change data of a closed period."""


def open_period_for_write(period):
    """Lock the period's row for this transaction and return it; refuse when it is closed.

    Value saves and the period's closing both take this row lock, so a save either lands before
    the close or sees the period closed: never after it. Call inside `transaction.atomic()`.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("open_period_for_write must run inside transaction.atomic()")
    locked = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if not locked.is_open:
        raise PeriodClosedError(_("%(period)s is closed; nothing in it can be changed.") % {"period": locked})
    return locked
