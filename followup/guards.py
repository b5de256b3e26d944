"""Rules that follow-up lays on deletions in the goal chain (registered in `FollowupConfig.ready`)."""

from django.db import transaction
from django.utils.translation import gettext as _

from goals.models import Target
from goals.targets import span_text

from .models import ActivityStatus, Assessment, AssignmentStatus, IndicatorValue, ReportingPeriod


def closed_period_rows(collected):
    """Refuse a deletion that would take along values, statuses or assessments of a closed period."""
    period_ids = {
        row.period_id
        for model in (IndicatorValue, ActivityStatus, AssignmentStatus, Assessment)
        for row in collected.get(model, ())
    }
    if not period_ids:
        return []
    periods = ReportingPeriod.objects.filter(pk__in=period_ids)
    if transaction.get_connection().in_atomic_block:
        # Inside a deletion: hold the periods' rows (as value saves and closing do), so that none of them
        # closes between this check and the deletion.
        periods = periods.select_for_update()
    closed = [p for p in periods.order_by("year", "kind") if not p.is_open]
    return [
        _("It would delete follow-up data of %(period)s, which is closed.") % {"period": period}
        for period in closed
    ]


def open_periods(period_ids):
    """{period id: its name} of those of `period_ids` that are open (a revision names them)."""
    periods = ReportingPeriod.objects.filter(pk__in=period_ids)
    return {period.pk: str(period) for period in periods if period.is_open}


def closed_years():
    """The years whose annual period is closed: their targets are fixed for good (`goals.targets`)."""
    return set(ReportingPeriod.objects.annual().closed().values_list("year", flat=True))


def closed_year_targets(collected):
    """Refuse a deletion that would take along a target of a year whose annual report is closed."""
    targets = collected.get(Target, ())
    if not targets:
        return []
    closed = closed_years()
    return [
        _("It would delete the target for %(span)s of “%(indicator)s”, a year whose annual report is closed.")
        % {"span": span_text(t.from_year, t.to_year), "indicator": t.indicator}
        for t in targets
        if closed & set(range(t.from_year, t.to_year + 1))
    ]


def assignment_follow_up(collected):
    """Refuse deleting an assignment once its owner has reported a status in any period, open or closed:
    the council's decision and what was done about it stay on record."""
    statuses = collected.get(AssignmentStatus, ())
    if not statuses:
        return []
    periods = ReportingPeriod.objects.filter(pk__in={s.period_id for s in statuses}).order_by("year", "kind")
    return [
        _("The assignment has follow-up (a status reported for %(periods)s); it cannot be deleted.")
        % {"periods": ", ".join(str(p) for p in periods)}
    ]
