"""What the entry pages of one organisation and period show: the indicators whose values it enters, or the
activities whose status it reports (its own, whichever organisation owns their goals), grouped under their
goals, with this year's targets and earlier years' values, read in a fixed number of queries. Judgements
are of the goals it owns."""

from dataclasses import dataclass, field
from functools import cached_property

from goals.models import Activity, Assignment, Goal, Indicator, Target
from goals.numbers import format_number
from goals.targets import target_text

from .models import ActivityStatus, Assessment, AssignmentStatus, IndicatorValue, ReportingPeriod

HISTORY_YEARS = 3


def goals_of(organisation):
    """The goals `organisation` owns, in tree order."""
    return list(
        Goal.objects.filter(owner=organisation)
        .in_tree_order()
        .only("pk", "title", "level_kind", "tree_id", "lft")
    )


@dataclass
class Row:
    """One indicator or activity with its inputs and what is shown beside them."""

    obj: object
    fields: dict = field(default_factory=dict)
    comment: object = None
    version: object = None
    stored: object = None
    conflict: object = None
    target: str = ""
    history: list = field(default_factory=list)  # (year, value as text)

    @property
    def error_fields(self):
        """The row's inputs that have errors, for the summary at the top of the page."""
        return [f for f in (*self.fields.values(), self.comment) if f is not None and f.errors]


@dataclass
class Group:
    goal: Goal
    rows: list


def goals_of_rows(rows):
    """The goals the rows (indicators or activities) hang on, in tree order."""
    return list(
        Goal.objects.filter(pk__in={r.goal_id for r in rows})
        .in_tree_order()
        .only("pk", "title", "level_kind", "tree_id", "lft")
    )


class IndicatorSheet:
    """The indicators an organisation enters (`Indicator.objects.entered_by`) in one period, by goal."""

    def __init__(self, organisation, period):
        self.organisation, self.period = organisation, period
        self.indicators = list(
            Indicator.objects.entered_by(organisation).order_by("goal_id", "position", "pk")
        )
        self.objects = self.indicators
        self.ids = [i.pk for i in self.indicators]
        self.stored = {
            v.indicator_id: v
            for v in IndicatorValue.objects.filter(period=period, indicator_id__in=self.ids).select_related(
                "updated_by"
            )
        }
        self.years = list(range(period.year - HISTORY_YEARS, period.year))

    # What only the page shows is read when the page is shown: a save that succeeds is answered by a
    # redirect and needs the indicators and their stored values alone.
    @cached_property
    def goals(self):
        return goals_of_rows(self.indicators)

    @cached_property
    def targets(self):
        in_force = Target.objects.in_force(self.period.year).filter(indicator_id__in=self.ids)
        return {t.indicator_id: t for t in in_force}

    @cached_property
    def history(self):
        earlier = IndicatorValue.objects.filter(
            indicator_id__in=self.ids, period__kind=ReportingPeriod.Kind.ANNUAL, period__year__in=self.years
        ).values_list("indicator_id", "period__year", "total")
        return {(pk, year): total for pk, year, total in earlier}

    def groups(self, form=None):
        """Goals with their rows; with a form, each row carries its bound inputs and any conflict."""
        by_goal = {}
        for indicator in self.indicators:
            row = Row(
                indicator,
                stored=self.stored.get(indicator.pk),
                target=target_text(self.targets.get(indicator.pk), indicator.decimals, tolerance=True),
                history=[
                    (year, format_number(self.history.get((indicator.pk, year)), indicator.decimals))
                    for year in self.years
                ],
            )
            if form is not None:
                prefix = form.row_prefix(indicator.pk)
                row.fields = {n: form[f"{prefix}-{n}"] for n in form.number_names(indicator)}
                row.comment, row.version = form[f"{prefix}-comment"], form[f"{prefix}-version"]
                row.conflict = form.conflicts.get(indicator.pk)
            by_goal.setdefault(indicator.goal_id, []).append(row)
        return [Group(g, by_goal[g.pk]) for g in self.goals if g.pk in by_goal]


class ActivitySheet:
    """The activities an organisation reports on (`Activity.objects.entered_by`) and their status in one
    period, grouped by goal."""

    def __init__(self, organisation, period):
        self.organisation, self.period = organisation, period
        self.activities = list(
            Activity.objects.entered_by(organisation).order_by("goal_id", "position", "pk")
        )
        self.goals = goals_of_rows(self.activities)
        self.objects = self.activities
        self.stored = {
            s.activity_id: s
            for s in ActivityStatus.objects.filter(
                period=period, activity_id__in=[a.pk for a in self.activities]
            ).select_related("updated_by")
        }

    def groups(self, form=None):
        by_goal = {}
        for activity in self.activities:
            row = Row(activity, stored=self.stored.get(activity.pk))
            if form is not None:
                prefix = form.row_prefix(activity.pk)
                row.fields = {"status": form[f"{prefix}-status"]}
                row.comment, row.version = form[f"{prefix}-comment"], form[f"{prefix}-version"]
                row.conflict = form.conflicts.get(activity.pk)
            by_goal.setdefault(activity.goal_id, []).append(row)
        return [Group(g, by_goal[g.pk]) for g in self.goals if g.pk in by_goal]


class AssignmentSheet:
    """The council's assignments an organisation owns (`Assignment.objects.entered_by`) and their status in
    one period: first those on goals, grouped by goal in tree order, then those without a goal."""

    def __init__(self, organisation, period):
        self.organisation, self.period = organisation, period
        self.assignments = list(
            Assignment.objects.entered_by(organisation).order_by("due_date", "position", "pk")
        )
        self.goals = goals_of_rows([a for a in self.assignments if a.goal_id is not None])
        self.objects = self.assignments
        self.stored = {
            s.assignment_id: s
            for s in AssignmentStatus.objects.filter(
                period=period, assignment_id__in=[a.pk for a in self.assignments]
            ).select_related("updated_by")
        }

    def groups(self, form=None):
        """Goals with their assignments; the assignments without a goal come last, in a group of no goal."""
        by_goal = {}
        for assignment in self.assignments:
            row = Row(assignment, stored=self.stored.get(assignment.pk))
            if form is not None:
                prefix = form.row_prefix(assignment.pk)
                row.fields = {"status": form[f"{prefix}-status"]}
                row.comment, row.version = form[f"{prefix}-comment"], form[f"{prefix}-version"]
                row.conflict = form.conflicts.get(assignment.pk)
            by_goal.setdefault(assignment.goal_id, []).append(row)
        groups = [Group(g, by_goal[g.pk]) for g in self.goals if g.pk in by_goal]
        if None in by_goal:
            groups.append(Group(None, by_goal[None]))
        return groups


class AssessmentSheet:
    """An organisation's goals with their suggestion and judgement in one period."""

    def __init__(self, organisation, period, suggestions):
        self.goals = goals_of(organisation)
        stored = Assessment.objects.filter(period=period, goal__in=[g.pk for g in self.goals])
        self.assessments = {a.goal_id: a for a in stored}
        self.rows = [(g, suggestions[g.pk], self.assessments.get(g.pk)) for g in self.goals]


@dataclass
class IndicatorNote:
    """An indicator of the goal with its value in the period and what its writer said of it."""

    indicator: Indicator
    total: str
    comment: str
    entered_by: object = None


@dataclass
class ActivityNote:
    activity: Activity
    status: ActivityStatus | None


class GoalSheet:
    """What the judgement page shows beside the judgement: the goal's indicators with their values' comments
    in the period (those the viewer may see) and its activities with their status; four queries."""

    def __init__(self, goal, period, *, show_open):
        indicators = list(Indicator.objects.filter(goal=goal).order_by("position", "pk"))
        values = IndicatorValue.objects.filter(period=period, indicator__in=[i.pk for i in indicators])
        if not show_open:
            values = values.public()
        stored = {v.indicator_id: v for v in values.select_related("updated_by")}
        self.indicators = [
            IndicatorNote(
                i,
                format_number(stored[i.pk].total, i.decimals) if i.pk in stored else "",
                stored[i.pk].comment if i.pk in stored else "",
                stored[i.pk].updated_by if i.pk in stored else None,
            )
            for i in indicators
        ]
        activities = list(Activity.objects.filter(goal=goal).order_by("position", "pk"))
        statuses = {
            s.activity_id: s
            for s in ActivityStatus.objects.filter(period=period, activity__in=[a.pk for a in activities])
        }
        self.activities = [ActivityNote(a, statuses.get(a.pk)) for a in activities]

    @property
    def value_comments(self):
        return [note for note in self.indicators if note.comment]
