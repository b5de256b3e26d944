"""The controllers' approval queue ("Att godkänna"): every submitted judgement in an open period, across
organisations, oldest first, with its computed suggestion and whether the four-eyes rule lets this
controller approve it. Read in a fixed number of queries whatever the number of judgements (one more set
of suggestion queries per open period that has any)."""

from dataclasses import dataclass

from django.db.models import F

from . import four_eyes
from .models import Assessment, ReportingPeriod
from .rollup import suggestions_for


@dataclass
class QueueRow:
    assessment: Assessment
    suggestion: object  # rollup's Suggestion of the goal in the judgement's period
    refusal: str | None  # why this controller may not approve it (four eyes), or None


def waiting():
    """The submitted judgements of open periods, oldest submission first, with what the queue shows."""
    return (
        Assessment.objects.filter(state=Assessment.State.SUBMITTED)
        .exclude(period__state=ReportingPeriod.State.CLOSED)
        .select_related("period", "goal__owner", "submitted_by")
        .order_by(F("submitted_at").asc(nulls_first=True), "pk")
    )


def queue(user):
    """The queue as `user` (a controller) sees it: one `QueueRow` per submitted judgement."""
    assessments = list(waiting())
    periods = {a.period_id: a.period for a in assessments}
    suggestions = {pk: suggestions_for(period) for pk, period in periods.items()}
    known = four_eyes.authorship(assessments)
    return [
        QueueRow(a, suggestions[a.period_id][a.goal_id], four_eyes.refusal(user, a, known[a.pk]))
        for a in assessments
    ]
