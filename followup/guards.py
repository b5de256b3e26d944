"""Rules that follow-up lays on deletions in the goal chain (registered in `FollowupConfig.ready`)."""

from django.utils.translation import gettext as _

from .models import ActivityStatus, Assessment, IndicatorValue, ReportingPeriod


def closed_period_rows(collected):
    """Refuse a deletion that would take along values, statuses or assessments of a closed period."""
    period_ids = {
        row.period_id
        for model in (IndicatorValue, ActivityStatus, Assessment)
        for row in collected.get(model, ())
    }
    if not period_ids:
        return []
    closed = ReportingPeriod.objects.closed().filter(pk__in=period_ids).order_by("year", "kind")
    return [
        _("It would delete follow-up data of %(period)s, which is closed.") % {"period": period}
        for period in closed
    ]
