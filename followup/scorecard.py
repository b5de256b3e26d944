"""The scorecard (styrkort): goals as rows, the last years' periods as columns, each cell the judgement's
symbol, as the viewer may see it (`Assessment.objects.visible_to`: the public sees approved judgements of
closed periods, users with a role also submitted ones and open periods').

The council's scorecard has the styrmodell's headline level; a board's has its own goals, level by level.
Read in a fixed number of queries, whatever the number of goals (the organisations, the categories in force,
the goals, the periods, the judgements).
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goals import categories
from goals.chain import styrmodell
from goals.models import Goal, GoalCategory, Organisation
from goals.validity import is_valid_in_year

from .models import Assessment, ReportingPeriod
from .permissions import can_see_open_values
from .status import SYMBOLS, GoalStatus
from .wording import judgement_label

YEARS = 5
NOT_ASSESSED = Assessment.Judgement.NOT_ASSESSED
# The columns' short names under their year: the full names do not fit ten columns on one A4 page.
SHORT_KINDS = {
    ReportingPeriod.Kind.INTERIM_APRIL: gettext_lazy("Interim April"),
    ReportingPeriod.Kind.INTERIM_AUGUST: gettext_lazy("Interim August"),
    ReportingPeriod.Kind.ANNUAL: gettext_lazy("Annual"),
}


@dataclass(frozen=True)
class Column:
    period: ReportingPeriod

    @property
    def year(self):
        return self.period.year

    @property
    def short(self):
        return SHORT_KINDS.get(self.period.kind, self.period.get_kind_display())


@dataclass(frozen=True)
class Cell:
    """One goal in one period: its judgement's symbol, "Not assessed" without one, or outside its years."""

    period: ReportingPeriod
    status: GoalStatus | None
    in_force: bool = True

    @property
    def symbol(self):
        return self.status.symbol if self.status else SYMBOLS[NOT_ASSESSED]

    @property
    def label(self):
        return self.status.label if self.status else judgement_label(self.period, NOT_ASSESSED)

    @property
    def period_label(self):
        return str(self.period)

    @property
    def note(self):
        return self.status.note if self.status else ""

    @property
    def url(self):
        return self.status.url if self.status else ""


@dataclass
class Row:
    goal: Goal
    cells: list


@dataclass
class Section:
    """The rows of one level (a board's scorecard may hold several levels)."""

    heading: str
    rows: list


@dataclass
class Scorecard:
    organisation: Organisation | None  # None: the council's
    columns: list
    sections: list
    organisations: list  # the choices: organisations that own goals
    category_groups: list  # the categories in force, by set: the filter's choices
    category: object = None  # the chosen category, or None
    public_only: bool = False
    notes: list = field(default_factory=list)  # what the filter could not use, in Swedish

    @property
    def boards(self):
        """The organisations with a scorecard of their own (the council's is the default one)."""
        return [o for o in self.organisations if o.kind != Organisation.Kind.COUNCIL]

    @property
    def council(self):
        """The council, whose scorecard has the headline level (None when it owns no goal)."""
        return next((o for o in self.organisations if o.kind == Organisation.Kind.COUNCIL), None)

    @property
    def width(self):
        """The table's columns: the goal and one per period."""
        return len(self.columns) + 1

    @property
    def rows(self):
        return [row for section in self.sections for row in section.rows]

    @property
    def title(self):
        if self.organisation is None:
            return _("Scorecard")
        return _("Scorecard: %(organisation)s") % {"organisation": self.organisation.name}


def _chosen_organisation(value, organisations):
    """The organisation asked for by pk or code; None for the council's; `False` for an unknown one."""
    value = (value or "").strip()
    if not value:
        return None
    for organisation in organisations:
        if value == str(organisation.pk) or value.upper() == organisation.code:
            return None if organisation.kind == Organisation.Kind.COUNCIL else organisation
    return False


def _chosen_category(value, shown):
    value = (value or "").strip()
    if not value:
        return None
    return next((c for c in shown if str(c.pk) == value), False)


def scorecard(user, *, organisation=None, category=None, years=YEARS):
    """The scorecard `user` sees: the council's, or one organisation's (`organisation`: its pk or code),
    filtered by a category in force this year (`category`: its pk); unknown choices are said in `notes`."""
    notes = []
    organisations = list(
        Organisation.objects.filter(Exists(Goal.objects.filter(owner=OuterRef("pk")))).order_by(
            "position", "code"
        )
    )
    chosen = _chosen_organisation(organisation, organisations)
    if chosen is False:
        notes.append(
            _("There is no organisation “%(value)s” with goals; the council’s scorecard is shown.")
            % {"value": str(organisation)[:40]}
        )
        chosen = None
    shown = list(categories.in_force(categories.this_year()))
    picked = _chosen_category(category, shown)
    if picked is False:
        notes.append(_("There is no such category this year; all goals are shown."))
        picked = None

    show_open = can_see_open_values(user)
    periods = ReportingPeriod.objects.all() if show_open else ReportingPeriod.objects.closed()
    periods = sorted(periods, key=lambda p: p.sort_key)
    if periods:
        last = periods[-1].year
        periods = [p for p in periods if p.year > last - years]

    model = styrmodell()
    goals = Goal.objects.in_tree_order().only(
        "pk", "title", "level_kind", "owner", "valid_from", "valid_to", "tree_id", "lft"
    )
    if chosen is None:
        headline = model.headline
        goals = goals.filter(level_kind=headline.key) if headline else goals.none()
    else:
        goals = goals.filter(owner=chosen)
    if picked is not None:
        goals = goals.filter(Exists(GoalCategory.objects.filter(goal=OuterRef("pk"), category=picked)))
    if periods:
        # Goals in force in some year shown: one that ended before the first column leaves the card.
        first_year, last_year = periods[0].year, periods[-1].year
        goals = goals.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=last_year))
        goals = goals.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first_year))
    statuses = _statuses(user, goals, periods)
    goals = list(goals)

    by_level = {}
    for goal in goals:
        cells = [
            Cell(period, statuses.get((goal.pk, period.pk)), in_force=is_valid_in_year(goal, period.year))
            for period in periods
        ]
        by_level.setdefault(goal.level_kind_id, []).append(Row(goal, cells))
    positions = {rule.key: rule.position for rule in model}
    sections = [
        Section(model.plural(key), rows)
        for key, rows in sorted(by_level.items(), key=lambda item: positions.get(item[0], 99))
    ]
    return Scorecard(
        organisation=chosen,
        columns=[Column(p) for p in periods],
        sections=sections,
        organisations=organisations,
        category_groups=categories.grouped_by_set(shown),
        category=picked,
        public_only=not show_open,
        notes=notes,
    )


def _statuses(user, goals, periods):
    """{(goal id, period id): GoalStatus} of the judgements `user` may see; one query."""
    if not periods:
        return {}
    rows = (
        Assessment.objects.visible_to(user)
        .filter(goal__in=goals.order_by().values("pk"), period_id__in=[p.pk for p in periods])
        .only("goal_id", "period_id", "judgement", "state")
        .order_by()
    )
    by_pk = {p.pk: p for p in periods}
    pattern = reverse("followup:assessment", args=[987654321, 123456789])
    return {
        (row.goal_id, row.period_id): GoalStatus(
            goal_id=row.goal_id,
            judgement=row.judgement,
            period=by_pk[row.period_id],
            approved=row.state == Assessment.State.APPROVED,
            url=pattern.replace("987654321", str(row.period_id)).replace("123456789", str(row.goal_id)),
        )
        for row in rows
    }
