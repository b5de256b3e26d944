"""The council's summary judgement of god ekonomisk hushållning ("Samlad bedömning"), per period.

A controller writes it for the annual report (RKR R15) or, at an interim period, as a forecast (RKR R17).
Every save is a new row: the latest is the text the reports print, the earlier ones are its history with
author and time. It is report text, not follow-up data, so a closed period does not lock it: the annual
report is written after the period has closed, and a published report keeps the text it was made with.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from accounts.models import record_event
from followup.models import ReportingPeriod
from goals.permissions import is_controller

SUMMARY_MAX = 10_000


class EconomySummary(models.Model):
    """One version of a period's summary judgement of god ekonomisk hushållning."""

    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="economy_summaries"
    )
    text = models.TextField(_("summary judgement"), max_length=SUMMARY_MAX)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    # Kept as text too: the history must still say who wrote after the user account is gone.
    written_by_name = models.CharField(_("written by (name)"), max_length=300, blank=True)
    written_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["-written_at", "-pk"]
        verbose_name = _("summary judgement of god ekonomisk hushållning")
        verbose_name_plural = _("summary judgements of god ekonomisk hushållning")
        indexes = [models.Index(fields=["period", "-written_at"], name="economy_summary_latest")]

    def __str__(self):
        return f"{self.period}: {self.written_at:%Y-%m-%d %H:%M}"


def can_write_summary(user):
    """Controllers and admins write the summary judgement, as they write the council's own follow-up."""
    return is_controller(user)


def current_summary(period):
    """The period's summary judgement as it stands (its latest version), or None."""
    return EconomySummary.objects.filter(period=period).order_by("-written_at", "-pk").first()


def with_summary(periods):
    """`periods` (a queryset) with each one's current summary judgement as `summary_text`, `summary_by`
    and `summary_at` (None without one): read in the same query, so that a report needs none of its own."""
    latest = EconomySummary.objects.filter(period=OuterRef("pk")).order_by("-written_at", "-pk")
    return periods.annotate(
        summary_text=Subquery(latest.values("text")[:1]),
        summary_by=Subquery(latest.values("written_by_name")[:1]),
        summary_at=Subquery(latest.values("written_at")[:1]),
    )


def write_summary(period, text, user):
    """Save a new version of the period's summary judgement; refuses a user who may not write it and
    leaves an unchanged text as it is. Returns the current version."""
    if not can_write_summary(user):
        raise PermissionDenied
    text = text.strip()
    current = current_summary(period)
    if current is not None and current.text == text:
        return current
    name = user.get_full_name() or user.get_username()
    row = EconomySummary.objects.create(period=period, text=text, written_by=user, written_by_name=name)
    record_event("report.economy_summary", f"Summary judgement of {period} written", user=user, obj=row)
    return row
