"""The controller's overview of a period: per organisation, how far values, statuses and judgements are."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from goals.models import Activity, Assignment, EnteredByQuerySet, Goal, Indicator, Organisation

from .calendar import deadline_for
from .models import ActivityStatus, Assessment, AssignmentStatus, IndicatorValue


@dataclass
class OverviewRow:
    organisation: Organisation
    goals: int = 0
    indicators: int = 0
    values: int = 0
    activities: int = 0
    statuses: int = 0
    assignments: int = 0
    assignment_statuses: int = 0
    draft: int = 0
    submitted: int = 0
    approved: int = 0
    overdue: bool = False

    @property
    def not_started(self):
        """Goals without any judgement saved yet."""
        return self.goals - self.draft - self.submitted - self.approved

    @property
    def values_missing(self):
        return self.indicators - self.values

    @property
    def assignments_missing(self):
        """The organisation's assignments without a status in the period."""
        return self.assignments - self.assignment_statuses

    @property
    def complete(self):
        """Every indicator has a value and every judgement is submitted or approved."""
        return self.values_missing == 0 and self.submitted + self.approved == self.goals


def _counts(queryset, key):
    return dict(queryset.order_by().values_list(key).annotate(n=Count("pk")).values_list(key, "n"))


def past_deadline(period, today=None):
    """True when the period is open and its deadline has passed."""
    today = today or timezone.localdate()
    return bool(period.is_open and period.deadline and period.deadline < today)


def overview(period, today=None):
    """One row per organisation that owns goals or enters values or statuses, the council first; read in
    ten queries. An organisation is overdue after its own step's deadline (`calendar.deadline_for`)."""
    goals = _counts(Goal.objects.all(), "owner_id")
    # Indicators and activities count with the organisation that enters them, whoever owns their goal.
    writer = f"{EnteredByQuerySet.FIELD}_id"
    indicators = _counts(Indicator.objects.all(), writer)
    has_number = Q(total__isnull=False) | Q(women__isnull=False) | Q(men__isnull=False)
    values = _counts(IndicatorValue.objects.filter(has_number, period=period), f"indicator__{writer}")
    activities = _counts(Activity.objects.all(), writer)
    statuses = _counts(ActivityStatus.objects.filter(period=period), f"activity__{writer}")
    assignments = _counts(Assignment.objects.all(), writer)
    assignment_statuses = _counts(AssignmentStatus.objects.filter(period=period), f"assignment__{writer}")
    states = {}
    for owner, state, n in (
        Assessment.objects.filter(period=period)
        .order_by()
        .values_list("goal__owner_id", "state")
        .annotate(n=Count("pk"))
        .values_list("goal__owner_id", "state", "n")
    ):
        states[(owner, state)] = n
    today = today or timezone.localdate()
    steps = list(period.deadlines.all())
    rows = []
    organisations = Organisation.objects.filter(
        pk__in=goals.keys() | indicators.keys() | activities.keys() | assignments.keys()
    )
    # The council first, then the organisations in their own order.
    for organisation in sorted(organisations, key=lambda o: o.kind != Organisation.Kind.COUNCIL):
        pk = organisation.pk
        row = OverviewRow(
            organisation,
            goals=goals.get(pk, 0),
            indicators=indicators.get(pk, 0),
            values=values.get(pk, 0),
            activities=activities.get(pk, 0),
            statuses=statuses.get(pk, 0),
            assignments=assignments.get(pk, 0),
            assignment_statuses=assignment_statuses.get(pk, 0),
            draft=states.get((pk, Assessment.State.DRAFT), 0),
            submitted=states.get((pk, Assessment.State.SUBMITTED), 0),
            approved=states.get((pk, Assessment.State.APPROVED), 0),
        )
        deadline = deadline_for(period, organisation, steps)
        row.overdue = bool(period.is_open and deadline and deadline < today) and not row.complete
        rows.append(row)
    return rows


@dataclass
class Outstanding:
    """What is left in a period before it is closed: the organisations with anything left, and the sums."""

    rows: list  # OverviewRow, only those with something outstanding
    draft: int = 0
    submitted: int = 0
    not_started: int = 0
    values_missing: int = 0

    @property
    def anything(self):
        return bool(self.rows)


def has_outstanding(row):
    """Judgements in draft, submitted but not approved, not begun, or values missing."""
    return bool(row.draft or row.submitted or row.not_started or row.values_missing)


def outstanding(period, today=None):
    """What closing `period` would leave undone, per organisation (the overview's counts, `overview`)."""
    rows = [row for row in overview(period, today) if has_outstanding(row)]
    return Outstanding(
        rows,
        draft=sum(r.draft for r in rows),
        submitted=sum(r.submitted for r in rows),
        not_started=sum(r.not_started for r in rows),
        values_missing=sum(r.values_missing for r in rows),
    )
