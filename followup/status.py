"""How each goal is going, as the viewer may see it: every page that shows a goal's status asks here.

A goal's status is its body's latest stated judgement with its period ("Årsredovisning 2025: Delvis
uppfyllt"). What a viewer sees is `Assessment.objects.visible_to`: the public sees approved judgements of
closed periods, users with a role also submitted ones and open periods'. The goal pages (the goals app)
get these through `goals.standing`, which this app fills in (`FollowupConfig.ready`).
"""

from dataclasses import dataclass, field

from django.db.models import Case, F, IntegerField, Value, When, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.translation import gettext as _

from goals.chain import styrmodell
from goals.validity import is_valid_in_year

from .models import KIND_ORDER, Assessment, ReportingPeriod
from .permissions import can_see_open_values
from .timeline import trends_for
from .wording import judgement_label

J = Assessment.Judgement
# The symbol of each judgement: its shape (templates/includes/symbols/) carries the meaning besides its
# colour, and its words are always written beside it.
SYMBOLS = {J.MET: "met", J.PARTLY_MET: "partly_met", J.NOT_MET: "not_met", J.NOT_ASSESSED: "not_assessed"}
# The order of the bar's parts and of the counts beside it.
BAR_ORDER = (J.MET, J.PARTLY_MET, J.NOT_MET, J.NOT_ASSESSED)


def audience(user):
    """Who the status is shown to: the tree's cache keeps one rendering per audience."""
    return "staff" if can_see_open_values(user) else "public"


@dataclass(frozen=True)
class GoalStatus:
    """One goal's judgement in one period, worded for the period's kind."""

    goal_id: int
    judgement: str
    period: ReportingPeriod
    approved: bool
    url: str
    analysis: str = ""

    @property
    def symbol(self):
        return SYMBOLS[self.judgement]

    @property
    def label(self):
        return judgement_label(self.period, self.judgement)

    @property
    def period_label(self):
        return str(self.period)

    @property
    def text(self):
        return _("%(period)s: %(judgement)s") % {"period": self.period, "judgement": self.label}

    @property
    def note(self):
        """Said of a judgement that is submitted but not yet approved (only users with a role see those)."""
        return "" if self.approved else _("submitted, not yet approved")


def judgements_for(user, goal_ids=None, *, period=None):
    """{goal id: GoalStatus}: each goal's latest judgement that `user` may see, or its judgement in `period`.

    One query, whatever the number of goals: the latest is picked by the database (one row per goal).
    """
    rows = Assessment.objects.visible_to(user)
    if goal_ids is not None:
        rows = rows.filter(goal_id__in=list(goal_ids))
    if period is not None:
        rows = rows.filter(period=period)
    else:
        in_year = Case(
            *[When(period__kind=kind, then=Value(order)) for kind, order in KIND_ORDER.items()],
            default=Value(9),
            output_field=IntegerField(),
        )
        newest_first = Window(
            RowNumber(),
            partition_by=[F("goal_id")],
            order_by=[F("period__year").desc(), in_year.desc()],
        )
        rows = rows.annotate(newest=newest_first).filter(newest=1)
    # Plain rows, not model instances: for the whole tree (5,000 goals) building an Assessment and a
    # ReportingPeriod per row cost three times the query. Each period is made once, with the fields the
    # status words need (the others load on access, as with only()).
    columns = ("goal_id", "judgement", "state", "analysis", "period_id", "period__year", "period__kind")
    periods = {} if period is None else {period.pk: period}
    pattern = reverse("followup:assessment", args=[987654321, 123456789])
    statuses = {}
    for goal_id, judgement, state, analysis, period_id, year, kind in rows.values_list(*columns).order_by():
        shown = periods.get(period_id)
        if shown is None:
            shown = periods[period_id] = ReportingPeriod.from_db(
                rows.db, ["id", "year", "kind"], [period_id, year, kind]
            )
        statuses[goal_id] = GoalStatus(
            goal_id=goal_id,
            judgement=judgement,
            period=shown,
            approved=state == Assessment.State.APPROVED,
            url=pattern.replace("987654321", str(period_id)).replace("123456789", str(goal_id)),
            analysis=analysis,
        )
    return statuses


def previous_judgement(user, goal, period):
    """The goal's judgement that `user` may see in the latest period before `period` (this year's or last
    year's), or None; one query."""
    rows = (
        Assessment.objects.visible_to(user)
        .filter(goal=goal, period__year__gte=period.year - 1, period__year__lte=period.year)
        .exclude(period=period)
        .select_related("period")
        .only("goal_id", "judgement", "state", "analysis", "period")
        .order_by()
    )
    earlier = [row for row in rows if row.period.sort_key < period.sort_key]
    if not earlier:
        return None
    row = max(earlier, key=lambda r: r.period.sort_key)
    return GoalStatus(
        goal_id=goal.pk,
        judgement=row.judgement,
        period=row.period,
        approved=row.state == Assessment.State.APPROVED,
        url=reverse("followup:assessment", args=[row.period_id, goal.pk]),
        analysis=row.analysis,
    )


# The start page: the headline level's outcome ----------------------------------------------------------


@dataclass
class BarPart:
    """One judgement's part of the bar: its count, and where it starts and how wide it is (in percent)."""

    symbol: str
    label: str
    count: int
    start: float
    width: float
    period_label: str = ""
    note: str = ""


@dataclass
class Summary:
    """How the headline level's goals went in one period: "4 of 11 KF goals met", and the bar."""

    period: ReportingPeriod
    heading: str
    sentence: str
    parts: list = field(default_factory=list)

    @property
    def is_forecast(self):
        return self.period.is_interim


@dataclass
class HeadlineSummary:
    template = "followup/includes/headline_summary.html"
    outcome: Summary | None
    forecast: Summary | None

    @property
    def summaries(self):
        return [s for s in (self.outcome, self.forecast) if s is not None]


def headline_summary(user, goal_ids):
    """The headline level's latest annual outcome and, when an interim period came after it, its forecast.

    `goal_ids`: the headline level's goals. Three queries.
    """
    level = styrmodell().headline
    goal_ids = list(goal_ids)
    if level is None or not goal_ids:
        return None
    visible = Assessment.objects.visible_to(user).filter(goal_id__in=goal_ids)
    periods = list(ReportingPeriod.objects.filter(pk__in=visible.values("period_id")))
    annual = max((p for p in periods if not p.is_interim), key=lambda p: p.sort_key, default=None)
    interim = max(
        (p for p in periods if p.is_interim and (annual is None or p.year > annual.year)),
        key=lambda p: p.sort_key,
        default=None,
    )
    shown = [p for p in (annual, interim) if p is not None]
    if not shown:
        return None
    by_period = {p.pk: [] for p in shown}
    for period_id, judgement in (
        visible.filter(period__in=shown).order_by().values_list("period_id", "judgement")
    ):
        by_period[period_id].append(judgement)
    outcome, forecast = (
        _summary(p, by_period[p.pk], len(goal_ids), level) if p else None for p in (annual, interim)
    )
    return HeadlineSummary(outcome, forecast)


def _summary(period, judgements, total, level):
    counts = dict.fromkeys(BAR_ORDER, 0)
    for judgement in judgements:
        counts[J(judgement)] += 1
    # A goal without a judgement counts as not assessed.
    counts[J.NOT_ASSESSED] += total - len(judgements)
    values = {"year": period.year, "met": counts[J.MET], "total": total, "plural": level.plural}
    if period.is_interim:
        heading = _("Forecast %(period)s") % {"period": period}
        sentence = _("%(met)d of %(total)d %(plural)s expected to be met") % values
    else:
        heading = _("Goal attainment %(year)s") % values
        sentence = _("%(met)d of %(total)d %(plural)s met") % values
    parts, start = [], 0.0
    for judgement in BAR_ORDER:
        if counts[judgement]:
            width = 100 * counts[judgement] / total
            label = judgement_label(period, judgement)
            parts.append(
                BarPart(SYMBOLS[judgement], label, counts[judgement], round(start, 2), round(width, 2))
            )
            start += width
    return Summary(period, heading, sentence, parts)


# A goal's story over time ------------------------------------------------------------------------------


@dataclass
class StoryCell:
    """One period in the goal's row of symbols; `status` is None when no judgement is shown for it."""

    period: ReportingPeriod
    status: GoalStatus | None


@dataclass
class GoalStory:
    template = "followup/includes/goal_story.html"
    cells: list
    analyses: list  # (GoalStatus, analysis text), newest first
    trends: list
    public_only: bool  # the viewer sees closed periods only


def goal_story(user, goal, indicators, up_to=None):
    """The goal's judgement per period (up to the year `up_to`, when given), its analyses year by year, its
    indicators' trends; three queries."""
    show_open = can_see_open_values(user)
    periods = ReportingPeriod.objects.all() if show_open else ReportingPeriod.objects.closed()
    if up_to is not None:
        periods = periods.filter(year__lte=up_to)
    periods = sorted((p for p in periods if is_valid_in_year(goal, p.year)), key=lambda p: p.sort_key)
    rows = (
        Assessment.objects.visible_to(user)
        .filter(goal=goal)
        .only("goal_id", "judgement", "state", "analysis", "period_id")
    )
    by_period = {row.period_id: row for row in rows}
    cells, analyses = [], []
    for period in periods:
        row = by_period.get(period.pk)
        status = None
        if row is not None:
            status = GoalStatus(
                goal.pk,
                row.judgement,
                period,
                row.state == Assessment.State.APPROVED,
                reverse("followup:assessment", args=[period.pk, goal.pk]),
            )
            if row.analysis.strip():
                analyses.append((status, row.analysis))
        cells.append(StoryCell(period, status))
    analyses.reverse()
    trends = trends_for(indicators, show_open=show_open, up_to=up_to)
    if not cells and not trends:
        return None
    return GoalStory(cells, analyses, trends, public_only=not show_open)


class Standing:
    """What `goals.standing` asks the follow-up: the functions above."""

    audience = staticmethod(audience)
    latest = staticmethod(judgements_for)
    summary = staticmethod(headline_summary)
    story = staticmethod(goal_story)


__all__ = ["Standing", "audience", "goal_story", "headline_summary", "judgements_for"]
