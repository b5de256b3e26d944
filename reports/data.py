"""What a report shows, as plain data: read in a fixed number of queries whatever the size of the goal tree.

`build_report(spec)` returns a `Report` that the HTML template, the PDF and the Excel workbook all draw
from, so that the three always show the same numbers. Labels are Swedish: a report is a Swedish document
whatever language the person who asks for it uses.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation

from followup.models import (
    ActivityStatus,
    Assessment,
    AssignmentStatus,
    IndicatorValue,
    ReportingPeriod,
    WorkStatus,
)
from followup.rollup import STATED, Signal, indicator_signal, previous_totals, suggestions_for
from followup.timeline import DRAWN, same_kind_before
from followup.wording import judgement_label
from goals import chain
from goals.models import Activity, Assignment, Category, Goal, GoalCategory, Indicator, Organisation, Target
from goals.targets import change_note, in_force, target_text

from . import comparison
from .economy import FINANCIAL_PREFIX, economy_section
from .models import Kind, ReportLook, report_file_name
from .provenance import appendix
from .summary import with_summary

J = Assessment.Judgement
# How many years of values an indicator table shows, the report's own year included.
YEARS_SHOWN = 4
DRAFT, PUBLISHED = "utkast", "fastställd"
TITLES = {
    Kind.INTERIM: "Delårsrapport {year} – måluppfyllelse",
    Kind.ANNUAL: "Årsredovisning {year} – måluppfyllelse",
    Kind.COMPILATION: "Sammanställning av mål {year}",
    Kind.BOARD: "{board_title} {year} – {board}",  # the board title of ReportLook: "Verksamhetsberättelse"
}
SIGNAL_WORDS = {
    Signal.GREEN: "Nått",
    Signal.YELLOW: "Nära",
    Signal.RED: "Ej nått",
    Signal.NONE: "–",
}
SUGGESTION_WORDS = {
    Signal.GREEN: "grön",
    Signal.YELLOW: "gul",
    Signal.RED: "röd",
    Signal.NONE: "grå (underlag saknas)",
}
NO_STATUS = "Ingen status rapporterad"
JUDGEMENT_ORDER = (J.MET, J.PARTLY_MET, J.NOT_MET, J.NOT_ASSESSED)


class ReportUnavailable(Exception):
    """The report cannot be made: no goal tree, or a period of the wrong kind."""


@dataclass(frozen=True)
class Spec:
    """Which report: its kind, the period it follows up, and the board for a board report."""

    kind: str
    period: ReportingPeriod
    board: Organisation | None = None

    @property
    def year(self):
        return self.period.year

    @property
    def series(self):
        """The name that all published versions of this report share."""
        if self.kind == Kind.COMPILATION:
            return f"{self.kind}/{self.year}"
        parts = [self.kind, str(self.year), self.period.kind]
        if self.board is not None:
            parts.append(self.board.code)
        return "/".join(parts)

    def file_name(self, extension, *suffixes):
        return report_file_name(self.kind, self.period, self.board, extension, *suffixes)


@dataclass(frozen=True)
class Column:
    """One column of values: an annual period of an earlier year, or the report's own period."""

    label: str
    year: int
    period_id: int
    current: bool


@dataclass(frozen=True)
class Value:
    """An indicator's value in one column."""

    total: Decimal | None
    women: Decimal | None
    men: Decimal | None
    source: str
    late_at: object = None  # a Kolada figure added after the books were closed: when
    revised_at: object = None  # a Kolada figure Kolada has revised: when
    before: Decimal | None = None  # the figure before that revision
    pk: int | None = None  # the IndicatorValue, for its provenance page (followup.provenance)

    @property
    def from_kolada(self):
        return self.source == IndicatorValue.Source.KOLADA

    @property
    def marked(self):
        """A late or revised Kolada figure, footnoted in the report (reports.comparison.notes_for)."""
        return self.from_kolada and (self.late_at is not None or self.revised_at is not None)


@dataclass
class IndicatorRow:
    """An indicator with its values per column and the target it is judged against."""

    pk: int
    name: str
    unit: str
    decimals: int
    direction: str
    gender_split: bool
    kolada_kpi: str
    owner_code: str
    values: list  # a Value or None per column of the report
    target: Decimal | None  # the bound drawn on the chart, when the target in force has one
    target_year: int | None  # the report's year when a target is in force then, else the next target's
    tolerance: Decimal | None
    target_text: str  # that target as written: "≥ 90 ± 5", "ska öka", "80–90"
    targets: list  # every target as written with its years ("2024–2027: ≥ 90"), for the compilation
    signal: str
    signal_word: str
    target_note: str = ""  # the footnote of a target changed after its decision (goals.targets.change_note)
    comparison: list = field(default_factory=list)  # reports.comparison.ComparisonRow: groups, the country
    value_notes: list = field(default_factory=list)  # late and revised Kolada figures, as footnotes
    target_pk: int | None = None  # the target shown, for its provenance page

    @property
    def from_kolada(self):
        return any(v is not None and v.from_kolada for v in self.values)

    @property
    def current(self):
        """The value of the report's own period (the last column)."""
        return self.values[-1] if self.values else None


@dataclass
class ActivityRow:
    """An activity and how it stands in the period."""

    pk: int
    title: str
    owner_code: str
    responsible: str
    start_date: date | None
    end_date: date | None
    status: str
    status_label: str
    comment: str


@dataclass
class AssignmentRow:
    """A council assignment and its status in each period of the report's year up to the report's own."""

    pk: int
    title: str
    description: str
    decision: str
    owner_code: str
    owner_name: str
    due_date: date | None
    goal_title: str  # "" for an assignment that belongs to no goal
    statuses: list  # (period label, status label, comment), the report's own period last
    status: str  # the status code in the report's own period, "" when none is reported
    status_label: str


@dataclass
class JudgementView:
    """A goal's assessment as the report states it, beside the computed suggestion."""

    code: str
    label: str
    analysis: str
    state: str  # "" when the body has written nothing
    stated: bool  # submitted or approved: only those are reported as the body's judgement
    suggestion: str
    suggestion_word: str
    pk: int | None = None  # the Assessment, for its provenance page; None when nothing is written

    @property
    def approved(self):
        return self.state == Assessment.State.APPROVED

    @property
    def state_label(self):
        """The state as a reader names it ("Godkänd"), for exports; "" when nothing is written."""
        if not self.state:
            return ""
        with translation.override("sv"):  # a report is Swedish whoever exports it
            return str(Assessment.State(self.state).label)


@dataclass
class GoalSection:
    """A goal as the report shows it, with what hangs on it and its sub-goals."""

    pk: int
    number: str
    level: str
    level_name: str
    show_owner: bool  # the owner is named where it is not the council
    title: str
    description: str
    owner_code: str
    owner_name: str
    decision: str
    valid_from: int | None
    valid_to: int | None
    categories: list  # (set name, [category names]) of the categories in force in the report's year
    judgement: JudgementView | None
    indicators: list = field(default_factory=list)
    activities: list = field(default_factory=list)
    assignments: list = field(default_factory=list)
    children: list = field(default_factory=list)  # the goals under a goal below a headline goal
    # (column label, judgement code, judgement label) in the same kind of period of earlier years, oldest
    # first; [] when none of them has a stated judgement.
    history: list = field(default_factory=list)

    @property
    def anchor(self):
        return f"mal-{self.pk}"

    @property
    def category_text(self):
        """ "Perspektiv: Hållbarhet, Livskvalitet; Agenda 2030: …" """
        return "; ".join(f"{name}: {', '.join(names)}" for name, names in self.categories)

    @property
    def category_short(self):
        """The names alone when they come from one set (the overview's column names the set)."""
        if len(self.categories) == 1:
            return ", ".join(self.categories[0][1])
        return self.category_text


@dataclass
class BoardGroup:
    """One board's goals under a KF goal."""

    code: str
    name: str
    goals: list


@dataclass
class CouncilSection:
    """A KF goal with each board's goals under it."""

    goal: GoalSection
    boards: list
    counts: dict  # judgement code -> number of the board goals under it so judged

    @property
    def board_goal_count(self):
        return sum(len(group.goals) for group in self.boards)


@dataclass
class Report:
    """Everything one report shows."""

    kind: str
    title: str
    subtitle: str
    municipality: str
    year: int
    period_id: int
    period_kind: str
    period_label: str
    board_code: str
    board_name: str
    status: str
    version: int | None
    made_on: date
    follow_up: bool  # False for the compilation: the decided chain without values or judgements
    columns: list
    top: list  # GoalSection: the goals above the headline level (Nora: the vision, the overarching goal)
    top_heading: str  # "Vision och övergripande mål"
    category_sets: list  # (set name, [(category name, description)]): the sets the report's goals use
    overview_category_heading: str  # the names of the sets the headline goals use ("Perspektiv"), or ""
    council_goals: list  # CouncilSection: the goals of the headline level (Nora: the KF goals)
    headline_name: str  # the headline level's name ("KF-mål")
    below_name: str  # the plural of the levels under it ("Nämndmål")
    headline: str
    judgement_labels: list  # (code, label) in the overview's column order
    totals: dict  # judgement code -> number, over the counted goals
    assignments: list = field(default_factory=list)  # AssignmentRow: those on no goal shown in the report
    decision: str = ""  # the council's decision of a published report ("KF § 23 2027-04-26"), on its cover
    # The same count in the same kind of period a year before ("2025: 5 av 11"), "" when there is none.
    previous_headline: str = ""
    previous_totals: dict = field(default_factory=dict)
    colour: str = "#0b3d5c"  # the municipality's colour (ReportLook)
    emblem: bytes | None = None  # its coat of arms or logo, PNG or SVG
    emblem_type: str = ""
    economy: object = None  # economy.EconomySection: god ekonomisk hushållning, None in a board report
    provenance: object = None  # reports.provenance.Appendix: "Källor och härkomst" of a follow-up report

    @property
    def counted(self):
        """How many goals the headline counts."""
        return sum(self.totals.values())

    @property
    def judgement_parts(self):
        """(code, label, number, number the year before or None) of the headline's goals per judgement."""
        return [
            (code, label, self.totals[code], self.previous_totals.get(code))
            for code, label in self.judgement_labels
        ]

    @property
    def vision(self):
        """The first goal at the top of the chain."""
        return self.top[0] if self.top else None

    def all_goals(self):
        """Every goal section in reading order."""
        yield from self.top
        for council in self.council_goals:
            yield council.goal
            for group in council.boards:
                for goal in group.goals:
                    yield goal
                    yield from goal.children
        if self.economy is not None:
            yield from self.economy.all_goals()


def spec_for(kind, year, *, board_code=None, period_kind=None):
    """Find the period and board a report of `kind` for `year` is made from; raise ReportUnavailable."""
    periods = ReportingPeriod.objects.filter(year=year)
    if period_kind:
        periods = periods.filter(kind=period_kind)
    elif kind == Kind.INTERIM:
        periods = periods.exclude(kind=ReportingPeriod.Kind.ANNUAL)
    elif kind == Kind.ANNUAL:
        periods = periods.filter(kind=ReportingPeriod.Kind.ANNUAL)
    # The latest period of the year: annual before interim August before interim April.
    order = {ReportingPeriod.Kind.ANNUAL: 0, ReportingPeriod.Kind.INTERIM_AUGUST: 1}
    found = sorted(periods, key=lambda p: order.get(p.kind, 2))
    if not found:
        raise ReportUnavailable(f"There is no reporting period for a {kind} report of {year}.")
    board = None
    if kind == Kind.BOARD:
        board = Organisation.objects.filter(
            code=board_code or "", kind__in=Organisation.ANSWERING_KINDS
        ).first()
        if board is None:
            raise ReportUnavailable(f"There is no board with the code {board_code!r}.")
    spec = Spec(kind, found[0], board)
    check_spec(spec)
    return spec


def check_spec(spec):
    """Refuse a report whose kind does not fit its period (an annual report of an interim period)."""
    if spec.kind not in Kind.values:
        raise ReportUnavailable(f"Unknown kind of report: {spec.kind}.")
    if spec.kind == Kind.ANNUAL and spec.period.is_interim:
        raise ReportUnavailable("An annual report follows up an annual period.")
    if spec.kind == Kind.INTERIM and not spec.period.is_interim:
        raise ReportUnavailable("An interim report follows up an interim period.")
    if (spec.kind == Kind.BOARD) != (spec.board is not None):
        raise ReportUnavailable("A board report, and only a board report, names a board.")


def build_report(spec, *, status=DRAFT, version=None, made_on=None, decision=""):
    """Gather everything `spec`'s report shows, in a fixed number of queries (at most 27) at any tree size."""
    check_spec(spec)
    with translation.override("sv"):
        report = _Builder(spec).build(status, version, made_on or timezone.localdate())
    report.decision = decision
    return report


class _Builder:
    """Reads the rows once, then assembles the report from dictionaries."""

    def __init__(self, spec):
        self.spec = spec
        self.period = spec.period
        self.follow_up = spec.kind != Kind.COMPILATION

    def build(self, status, version, made_on):
        self._read()
        sections = self._sections()
        top = [sections[pk] for pk in self.top_ids]
        councils = self._councils(sections, self.headline_ids)
        financial = self._councils(sections, self.financial_ids, prefix=FINANCIAL_PREFIX)
        labels = [(code.value, self._judgement_word(code)) for code in JUDGEMENT_ORDER]
        totals, headline = self._headline(councils)
        board = self.spec.board
        look = self._look()
        title = TITLES[self.spec.kind].format(
            year=self.spec.year, board=board.name if board else "", board_title=look.pop("board_title")
        )
        report = Report(
            kind=self.spec.kind,
            title=title,
            subtitle=self._period_label()
            if self.follow_up
            else f"Beslutade mål och målvärden {self.spec.year}",
            municipality=settings.MUNICIPALITY_NAME,
            year=self.spec.year,
            period_id=self.period.pk,
            period_kind=self.period.kind,
            period_label=self._period_label(),
            board_code=board.code if board else "",
            board_name=board.name if board else "",
            status=status,
            version=version,
            made_on=made_on,
            follow_up=self.follow_up,
            columns=self.columns,
            top=top,
            top_heading=_joined_names(self._names_of(top)),
            category_sets=self._category_sets(),
            overview_category_heading=", ".join(
                dict.fromkeys(name for council in councils for name, _names in council.goal.categories)
            ),
            council_goals=councils,
            headline_name=self.headline_level.name if self.headline_level else "",
            below_name=self.below_name,
            headline=headline,
            judgement_labels=labels,
            totals=totals,
            assignments=self._loose_assignments(_shown_ids(top, [*councils, *financial])),
            economy=economy_section(self.spec.kind, self._own_period(), financial),
            **self._previous_headline(),
            **look,
        )
        report.provenance = appendix(report, self.targets) if self.follow_up else None
        return report

    def _own_period(self):
        """The report's period as read with the year's periods, carrying its summary judgement."""
        return next((p for p in self.year_periods if p.pk == self.period.pk), self.period)

    def _look(self):
        look = ReportLook.current()
        emblem = bytes(look.emblem) if look.emblem else None
        return {
            "colour": look.colour,
            "emblem": emblem,
            "emblem_type": look.emblem_type if emblem else "",
            "board_title": look.board_title,
        }

    def _previous_headline(self):
        """The headline's count in the same kind of period of the year before: the goals of the counted
        level valid that year (a board report: the board's own goals under them), by stated judgement."""
        if not self.follow_up or self.headline_level is None:
            return {}
        previous = next((p for p in self.earlier_periods if p.year == self.period.year - 1), None)
        if previous is None:
            return {}
        year, board = previous.year, self.spec.board
        valid = {g["pk"]: g for g in self.all_goals if self._valid(g, year)}
        headline = {pk for pk, g in valid.items() if g["level_kind"] == self.headline_level.key}
        if board is None:
            # As this year's overview: without the financial goals, which have their own section.
            counted = {pk for pk in headline if not valid[pk]["is_financial"]}
        else:
            counted = {
                pk for pk, g in valid.items()
                if g["parent_id"] in headline and self.organisations[g["owner_id"]]["code"] == board.code
            }  # fmt: skip
        totals = dict.fromkeys(J.values, 0)
        rows = Assessment.objects.filter(period=previous, goal_id__in=counted, state__in=STATED)
        judged = dict(rows.values_list("goal_id", "judgement"))
        for pk in counted:
            totals[judged.get(pk, J.NOT_ASSESSED.value)] += 1
        return {
            "previous_headline": f"{year}: {totals[J.MET]} av {len(counted)}",
            "previous_totals": totals,
        }

    # --- Reading: one query per table --------------------------------------------------------------

    def _read(self):
        year = self.spec.year
        chain.forget()  # a report may be made by a worker that has served other requests
        self.styrmodell = chain.styrmodell()
        self.headline_level = self.styrmodell.headline
        below = self.styrmodell.children_of(self.headline_level.key) if self.headline_level else []
        self.below_name = ", ".join(rule.plural for rule in below if not rule.decided_by_council) or "mål"
        self.organisations = {
            o["pk"]: o for o in Organisation.objects.values("pk", "code", "name", "position")
        }
        goals = Goal.objects.order_by("tree_id", "lft").values(
            "pk", "parent_id", "level_kind", "title", "description", "owner_id", "decision",
            "valid_from", "valid_to", "tree_id", "lft", "is_financial",
        )  # fmt: skip
        self.all_goals = list(goals)
        self.goals = [g for g in self.all_goals if self._valid(g, year)]
        # Only the categories in force in the report's year: a dropped perspective leaves later reports.
        self.categories = {
            c["pk"]: c
            for c in Category.objects.in_force(year)
            .order_by("set__position", "set__name", "position", "name")
            .values("pk", "name", "description", "set_id", "set__name")
        }
        self.goal_categories = defaultdict(list)
        links = GoalCategory.objects.filter(category_id__in=list(self.categories)).order_by("position", "pk")
        for goal_id, category_id in links.values_list("goal_id", "category_id"):
            self.goal_categories[goal_id].append(self.categories[category_id])
        self.indicators = defaultdict(list)
        indicator_rows = Indicator.objects.order_by("goal_id", "position", "pk").values(
            "pk",
            "goal_id",
            "name",
            "unit",
            "decimals",
            "direction",
            "gender_split",
            "kolada_kpi",
            "owner_id",
            "kolada_scale",
        )
        for row in indicator_rows:
            self.indicators[row["goal_id"]].append(row)
        self.targets = defaultdict(list)
        for target in Target.objects.select_related("changed_by").order_by("indicator_id", "from_year"):
            self.targets[target.indicator_id].append(target)
        self.activities = defaultdict(list)
        activity_rows = Activity.objects.order_by("goal_id", "position", "pk").values(
            "pk", "goal_id", "title", "owner_id", "responsible", "start_date", "end_date"
        )
        for row in activity_rows:
            self.activities[row["goal_id"]].append(row)
        self.assignments = defaultdict(list)
        for row in Assignment.objects.order_by("due_date", "position", "pk").values(
            "pk", "goal_id", "title", "description", "decision", "owner_id", "due_date"
        ):
            self.assignments[row["goal_id"]].append(row)
        self.columns, self.values, self.statuses, self.assessments, self.suggestions = [], {}, {}, {}, {}
        self.previous = {}
        self.comparisons = {}
        self.earlier_periods = []
        self.earlier_judgements = {}
        self.assignment_statuses, self.year_periods = defaultdict(dict), []
        if self.follow_up:
            self._read_follow_up()

    def _read_follow_up(self):
        year, period = self.spec.year, self.period
        # An interim report compares with the same interim period of earlier years, never with annual values.
        # One query for the columns' periods (same_kind_before) and the year's periods so far.
        shown = same_kind_before(period, YEARS_SHOWN - 1)
        periods = list(
            with_summary(ReportingPeriod.objects.filter(Q(pk__in=shown.values("pk")) | Q(year=year)))
        )
        earlier = sorted(
            (p for p in periods if p.kind == period.kind and p.year < year), key=lambda p: p.year
        )
        self.earlier_periods = earlier
        self.columns = [Column(_column_label(p), p.year, p.pk, False) for p in earlier]
        self.columns.append(Column(_column_label(period), year, period.pk, True))
        # "ska öka" compares with the annual value of the year before, also at an interim period.
        self.previous = {} if not period.is_interim else previous_totals(year)
        index = {column.period_id: i for i, column in enumerate(self.columns)}
        self.values = defaultdict(lambda: [None] * len(self.columns))
        values = list(IndicatorValue.objects.filter(period_id__in=index).values_list(
            "indicator_id", "period_id", "total", "women", "men", "source", "late_at", "revised_at", "pk",
            "version",
        ))  # fmt: skip
        before = comparison.earlier_figures({row[8]: row[9] for row in values if row[7] is not None})
        for indicator_id, period_id, total, women, men, source, late, revised, pk, _version in values:
            value = Value(total, women, men, source, late, revised, before.get(pk), pk=pk)
            self.values[indicator_id][index[period_id]] = value
        rows = [row for rows in self.indicators.values() for row in rows]
        self.comparisons = comparison.read(period, self.columns, rows)
        self.statuses = {
            row["activity_id"]: row
            for row in ActivityStatus.objects.filter(period=period).values("activity_id", "status", "comment")
        }
        # An assignment's status in each of the year's periods so far, the report's own period last.
        self.year_periods = sorted(
            (p for p in periods if p.year == year and p.sort_key <= period.sort_key),
            key=lambda p: p.sort_key,
        )
        for row in AssignmentStatus.objects.filter(period__in=self.year_periods).values(
            "assignment_id", "period_id", "status", "comment"
        ):
            self.assignment_statuses[row["assignment_id"]][row["period_id"]] = row
        self.assessments = {
            row["goal_id"]: row
            for row in Assessment.objects.filter(period=period).values(
                "goal_id", "judgement", "analysis", "state", "pk"
            )
        }
        self.suggestions = suggestions_for(period)
        # Each goal's stated judgements in the earlier periods of the columns: its history in the report.
        self.earlier_judgements = defaultdict(dict)
        earlier_ids = [column.period_id for column in self.columns if not column.current]
        stated = Assessment.objects.filter(period_id__in=earlier_ids, state__in=STATED)
        for goal_id, period_id, code in stated.values_list("goal_id", "period_id", "judgement"):
            self.earlier_judgements[goal_id][period_id] = code

    @staticmethod
    def _valid(goal, year):
        """Goals decided for the report's year (a goal without years is valid until changed)."""
        return (goal["valid_from"] is None or goal["valid_from"] <= year) and (
            goal["valid_to"] is None or goal["valid_to"] >= year
        )

    # --- Assembling ---------------------------------------------------------------------------------

    def _sections(self):
        """A GoalSection per goal that is valid and whose whole chain above it is valid."""
        kept = {}
        headline = self.headline_level
        above = {
            rule.key
            for rule in self.styrmodell
            if headline is not None and rule.position < headline.position and rule.decided_by_council
        }
        self.top_ids, self.headline_ids, self.financial_ids = [], [], []
        by_parent = defaultdict(list)
        for goal in self.goals:
            parent = goal["parent_id"]
            if parent is not None and parent not in kept:
                continue  # an invalid goal's sub-goals leave with it
            kept[goal["pk"]] = self._section(goal)
            by_parent[parent].append(goal["pk"])
            if goal["is_financial"] and self.spec.board is None and parent not in self.financial_ids:
                # God ekonomisk hushållning: its own section, not among the goals the overview counts.
                self.financial_ids.append(goal["pk"])
            elif goal["level_kind"] in above:
                self.top_ids.append(goal["pk"])
            elif headline is not None and goal["level_kind"] == headline.key:
                self.headline_ids.append(goal["pk"])
        # The goals two steps below a headline goal hang on the goal between (Nora: unit goals).
        second = {
            child for pk in (*self.headline_ids, *self.financial_ids) for child in by_parent.get(pk, ())
        }
        for goal in self.goals:
            if goal["parent_id"] in second and goal["pk"] in kept:
                kept[goal["parent_id"]].children.append(kept[goal["pk"]])
        self.by_parent = by_parent
        return kept

    def _names_of(self, sections):
        """The level names of `sections`, once each, in order: plural where the level has several."""
        counts = defaultdict(int)
        for section in sections:
            counts[section.level] += 1
        names = []
        for section in sections:
            rule = self.styrmodell.get(section.level)
            name = rule.plural if counts[section.level] > 1 else rule.name
            if name not in names:
                names.append(name)
        return names

    def _section(self, goal):
        owner = self.organisations[goal["owner_id"]]
        rule = self.styrmodell.get(goal["level_kind"])
        return GoalSection(
            pk=goal["pk"],
            number="",
            level=goal["level_kind"],
            level_name=self.styrmodell.name(goal["level_kind"]),
            show_owner=not rule.decided_by_council if rule else True,
            title=goal["title"],
            description=goal["description"],
            owner_code=owner["code"],
            owner_name=owner["name"],
            decision=goal["decision"],
            valid_from=goal["valid_from"],
            valid_to=goal["valid_to"],
            categories=_grouped(self.goal_categories.get(goal["pk"], [])),
            judgement=self._judgement(goal["pk"]) if self.follow_up else None,
            history=self._history(goal),
            indicators=[self._indicator(row) for row in self.indicators.get(goal["pk"], ())],
            activities=[self._activity(row) for row in self.activities.get(goal["pk"], ())],
            assignments=[self._assignment(row, "") for row in self.assignments.get(goal["pk"], ())],
        )

    def _category_sets(self):
        """The sets that the report's goals use, each with its categories in force in the year."""
        reported = {g["pk"] for g in self.goals}
        used = {c["set_id"] for pk, rows in self.goal_categories.items() if pk in reported for c in rows}
        sets = {}
        for category in self.categories.values():
            if category["set_id"] in used:
                sets.setdefault(category["set__name"], []).append((category["name"], category["description"]))
        return list(sets.items())

    def _councils(self, sections, ids, prefix=""):
        """A CouncilSection of each goal of `ids` (the headline level's, or the financial goals) with the
        goals under it, numbered `prefix`1, `prefix`2 … and their sub-goals 1.1 …"""
        councils = []
        board = self.spec.board
        position = {o["code"]: o["position"] for o in self.organisations.values()}
        for n, kf_id in enumerate(ids, start=1):
            kf = sections[kf_id]
            kf.number = f"{prefix}{n}"
            n = kf.number
            groups = {}
            for child_id in self.by_parent.get(kf_id, ()):
                child = sections[child_id]
                group = groups.setdefault(
                    child.owner_code, BoardGroup(child.owner_code, child.owner_name, [])
                )
                group.goals.append(child)
            ordered = sorted(groups.values(), key=lambda g: (position[g.code], g.code))
            # Numbered over all boards, so that a goal has the same number in a board's own report.
            for m, child in enumerate((g for group in ordered for g in group.goals), start=1):
                child.number = f"{n}.{m}"
                for k, unit in enumerate(child.children, start=1):
                    unit.number = f"{n}.{m}.{k}"
            if board is not None:
                ordered = _boards_part(ordered, board.code)
                if not ordered and not _enters_on(kf, board.code):
                    continue  # a board's report shows only the KF goals it works towards
            counts = dict.fromkeys(J.values, 0)
            for child in (g for group in ordered for g in group.goals if self._counts_in(group)):
                counts[self._counted(child)] += 1
            councils.append(CouncilSection(kf, ordered, counts))
        return councils

    def _headline(self, councils):
        """The overview's sentence: the council's goals, or a board's own goals in its report."""
        if self.spec.board is not None:
            counted = [
                g for c in councils for group in c.boards if self._counts_in(group) for g in group.goals
            ]
        else:
            counted = [c.goal for c in councils]
        totals = dict.fromkeys(J.values, 0)
        for goal in counted:
            totals[self._counted(goal)] += 1
        if self.spec.board is not None:
            name = self.below_name
        else:
            name = self.headline_level.plural if self.headline_level else "mål"
        name = _lowered(name)
        if not self.follow_up:
            return totals, f"{len(counted)} {name}"
        verb = "bedöms uppfyllas" if self.period.is_interim else "uppfyllda"
        return totals, f"{totals[J.MET]} av {len(counted)} {name} {verb}"

    def _counts_in(self, group):
        """Are the group's goals counted? In a board report only the board's own, not another board's goals
        shown for the board's indicators or activities on them."""
        return self.spec.board is None or group.code == self.spec.board.code

    @staticmethod
    def _counted(goal):
        """The judgement a goal counts with in the overview: its stated judgement, else not assessed."""
        if goal.judgement is None or not goal.judgement.stated:
            return J.NOT_ASSESSED.value
        return goal.judgement.code

    def _judgement(self, goal_id):
        row = self.assessments.get(goal_id)
        suggestion = self.suggestions.get(goal_id)
        signal = suggestion.signal if suggestion is not None else Signal.NONE
        stated = row is not None and row["state"] in STATED
        code = row["judgement"] if stated else J.NOT_ASSESSED.value
        return JudgementView(
            code=code,
            label=self._judgement_word(code),
            analysis=row["analysis"] if stated else "",
            state=row["state"] if row else "",
            stated=stated,
            suggestion=signal.value,
            suggestion_word=SUGGESTION_WORDS[signal],
            pk=row["pk"] if stated else None,
        )

    def _history(self, goal):
        """The goal's stated judgements in the earlier columns' periods of its valid years."""
        judged = self.earlier_judgements.get(goal["pk"])
        if not judged:
            return []
        return [
            (column.label, code, str(judgement_label(self.period.kind, code)))
            for column in self.columns
            if not column.current and self._valid(goal, column.year)
            for code in [judged.get(column.period_id, J.NOT_ASSESSED.value)]
        ]

    def _judgement_word(self, code):
        return str(judgement_label(self.period.kind, code))

    def _indicator(self, row):
        targets = self.targets.get(row["pk"], [])
        year, decimals = self.spec.year, row["decimals"]
        target = in_force(targets, year)
        values = self.values[row["pk"]] if self.follow_up else []
        signal = Signal.NONE
        if self.follow_up and values[-1] is not None:
            previous = self._previous_total(row["pk"], values)
            signal = indicator_signal(values[-1].total, target, year=year, previous=previous)
        # Without a target for the year, the next one is shown with its year ("≥ 13 000 (2030)"), unjudged.
        shown = target or next((t for t in targets if t.from_year > year), None)
        drawn = shown is not None and shown.comparison in DRAWN
        return IndicatorRow(
            pk=row["pk"],
            name=row["name"],
            unit=row["unit"],
            decimals=row["decimals"],
            direction=row["direction"],
            gender_split=row["gender_split"],
            kolada_kpi=row["kolada_kpi"],
            owner_code=self.organisations[row["owner_id"]]["code"],
            values=values,
            target=shown.value if drawn else None,
            target_year=(year if target else shown.from_year) if shown else None,
            tolerance=shown.tolerance if shown else None,
            target_text=target_text(shown, decimals, tolerance=True),
            targets=[target_text(t, decimals, years=True) for t in targets],
            signal=signal.value,
            signal_word=SIGNAL_WORDS[signal],
            target_note=change_note(target),
            comparison=comparison.rows_for(self.comparisons.get(row["pk"], []), self.columns, decimals),
            value_notes=comparison.notes_for(self.columns, values, decimals) if self.follow_up else [],
            target_pk=shown.pk if shown else None,
        )

    def _previous_total(self, indicator_id, values):
        """The indicator's annual total of the year before the report's, from the columns (or a query)."""
        if self.period.is_interim:
            return self.previous.get(indicator_id)
        for column, value in zip(self.columns, values, strict=True):
            if not column.current and column.year == self.spec.year - 1:
                return value.total if value is not None else None
        return previous_totals(self.spec.year, [indicator_id]).get(indicator_id)

    def _activity(self, row):
        status = self.statuses.get(row["pk"]) if self.follow_up else None
        code = status["status"] if status else ""
        return ActivityRow(
            pk=row["pk"],
            title=row["title"],
            owner_code=self.organisations[row["owner_id"]]["code"],
            responsible=row["responsible"],
            start_date=row["start_date"],
            end_date=row["end_date"],
            status=code,
            status_label=str(ActivityStatus.Status(code).label) if code else NO_STATUS,
            comment=status["comment"] if status else "",
        )

    def _assignment(self, row, goal_title):
        owner = self.organisations[row["owner_id"]]
        statuses, current = [], None
        for period in self.year_periods if self.follow_up else ():
            status = self.assignment_statuses[row["pk"]].get(period.pk)
            if status is not None:
                label = str(WorkStatus(status["status"]).label)
                statuses.append((_period_name(period), label, status["comment"]))
            if period.pk == self.period.pk:
                current = status
        return AssignmentRow(
            pk=row["pk"],
            title=row["title"],
            description=row["description"],
            decision=row["decision"],
            owner_code=owner["code"],
            owner_name=owner["name"],
            due_date=row["due_date"],
            goal_title=goal_title,
            statuses=statuses,
            status=current["status"] if current else "",
            status_label=str(WorkStatus(current["status"]).label) if current else NO_STATUS,
        )

    def _loose_assignments(self, shown):
        """The assignments the goal sections do not show: those on no goal, and those whose goal the report
        leaves out (not valid in its year, or another board's in a board report), with the goal's title."""
        titles = {goal["pk"]: goal["title"] for goal in self.goals}
        board = self.spec.board
        rows = []
        for goal_id, assignments in self.assignments.items():
            if goal_id in shown:
                continue
            for row in assignments:
                if board is not None and self.organisations[row["owner_id"]]["code"] != board.code:
                    continue
                rows.append(self._assignment(row, titles.get(goal_id, "")))
        return sorted(rows, key=lambda r: (r.due_date or date.max, r.pk))

    def _period_label(self):
        return f"{self.period.get_kind_display()} {self.period.year}"


def _shown_ids(top, councils):
    """The pks of the goals a report shows a section for."""
    shown = {section.pk for section in top}
    for council in councils:
        shown.add(council.goal.pk)
        for group in council.boards:
            for goal in group.goals:
                shown.add(goal.pk)
                shown.update(child.pk for child in goal.children)
    return shown


def _column_label(period):
    """A value column's heading: "2025" for an annual period, "Delår 2025" for an interim one."""
    return f"Delår {period.year}" if period.is_interim else str(period.year)


def _period_name(period):
    """A period's name within its year in the report ("Delårsrapport per 30 april", "Årsredovisning")."""
    return str(period.get_kind_display())


def _enters_on(section, code):
    """Does the organisation `code` enter values or statuses on the goal itself (its own indicator,
    activity or assignment on another owner's goal)?"""
    rows = (*section.indicators, *section.activities, *section.assignments)
    return any(row.owner_code == code for row in rows)


def _boards_part(groups, code):
    """What a board's report keeps of a KF goal's board groups: the board's own goals, and another board's
    goals where the board enters values or statuses (its indicator on that goal or a goal below it)."""
    kept = [group for group in groups if group.code == code]
    for group in groups:
        if group.code == code:
            continue
        goals = [g for g in group.goals if any(_enters_on(s, code) for s in (g, *g.children))]
        if goals:
            kept.append(BoardGroup(group.code, group.name, goals))
    return kept


def _joined_names(names):
    """Level names in a sentence: "Vision och övergripande mål" (common nouns in lower case)."""
    words = [names[0], *(_lowered(name) for name in names[1:])] if names else []
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " och " + words[-1]


def _lowered(name):
    # "Övergripande mål" reads "övergripande mål" in a sentence; "KF-mål" stays as it is.
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name


def _grouped(categories):
    """[(set name, [category names])] in the goal's own order, a set where its first category stands."""
    groups = {}
    for category in categories:
        groups.setdefault(category["set__name"], []).append(category["name"])
    return list(groups.items())
