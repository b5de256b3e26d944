"""Deterministic demo follow-up for `manage.py seed_demo`.

Two sizes:
- `seed_nora`: on top of Nora's real goal chain (fixtures/nora.json) it adds a few boards, their goals
  (through the tree service), indicators with targets, and years of invented follow-up: values, activity
  statuses and judgements in every state. The periods are the reporting calendar's (`calendar.create_periods`)
  up to the one being reported on the given day, which stays open with its deadlines moved around that day;
  the earlier ones are closed. A new mandate period's revision of the goals (`goals.goalfile.revision`,
  with reason and decision) ends one goal, begins one and raises one target.
- `seed_large`: a synthetic municipality (goals.synthetic) of any size with the same kind of follow-up,
  written in bulk, for benchmarks.

Every number comes from a random generator seeded by a fixed number and the names of what it describes,
so that two runs give the same data. The values are made up and say nothing about the real Nora.
"""

import json
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import AuditEvent, record_event
from goals import keys, tree, treecache
from goals.goalfile import export_document, json_number, revision
from goals.goalfile import read as goalfile_read
from goals.goalfile.format import BOARD, COUNCIL, OVERARCHING, VISION
from goals.models import Activity, Goal, Indicator, Organisation, Target
from goals.numbers import format_number
from goals.targets import target_text

from . import demo_economy
from .calendar import add_working_days, create_periods, plan_periods, working_days_until
from .models import KIND_ORDER, ActivityStatus, Assessment, IndicatorValue, PeriodDeadline, ReportingPeriod
from .rollup import Signal, indicator_signal
from .services import close_period, open_period_for_write

SEED = 1884
# Swedish mandate periods are four years from the year after the September election: 2023–2026, 2027–2030.
MANDATE_START = 2023
MANDATE_YEARS = 4
MARKER = "demo.seeded"
BATCH = 1000
INTERIM = ReportingPeriod.Kind.INTERIM_AUGUST
ANNUAL = ReportingPeriod.Kind.ANNUAL


class DemoRefused(Exception):
    """The database is not one the demo may be written into."""


class FollowUpPresent(DemoRefused):
    """The database already holds follow-up (or goals, for the large demo) that the demo must not mix with."""


@dataclass(frozen=True)
class Profile:
    """How an indicator develops: its value in the first year, the change per year, and the ambition."""

    base: float
    step: float
    target_step: float
    noise: float | None = None  # how far a year may stray from the trend; by default from base and step

    @property
    def spread(self):
        return self.noise if self.noise is not None else abs(self.step) * 0.8 + abs(self.base) * 0.008


@dataclass(frozen=True)
class IndicatorSpec:
    name: str
    unit: str
    direction: str
    decimals: int
    split: bool
    profile: Profile


@dataclass(frozen=True)
class GoalSpec:
    council: int  # index of the KF goal it breaks down, in tree order
    owner: str
    title: str
    indicators: tuple
    activities: tuple


def _i(name, unit, direction, decimals, split, base, step, target_step):
    return IndicatorSpec(name, unit, direction, decimals, split, Profile(base, step, target_step))


BOARDS = (
    ("SN", "Socialnämnden", Organisation.Kind.BOARD, "KF"),
    ("SBN", "Samhällsbyggnadsnämnden", Organisation.Kind.BOARD, "KF"),
    ("KFN", "Kultur- och fritidsnämnden", Organisation.Kind.BOARD, "KF"),
    ("BN-GR", "Grundskolan", Organisation.Kind.UNIT, "BN"),
)
GOALS = (
    GoalSpec(0, "KS", "Invånarna ska få snabba och tydliga svar när de kontaktar kommunen",
             (_i("Andel som får svar på e-post inom en dag", "%", "higher", 0, False, 72, 3, 4),),
             ("Införa en gemensam kundtjänst", "Utbilda medarbetare i klarspråk")),
    GoalSpec(0, "KS", "Fler invånare ska kunna följa och påverka kommunens beslut",
             (_i("Antal medborgardialoger per år", "antal", "higher", 0, False, 4, 1, 1),),
             ("Sända kommunfullmäktiges sammanträden på webben",)),
    GoalSpec(1, "SBN", "Kommunens utsläpp av växthusgaser ska minska",
             (_i("Andel fossilfria fordon i kommunens fordonsflotta", "%", "higher", 0, False, 35, 8, 10),
              _i("Energianvändning i kommunens lokaler", "kWh/m²", "lower", 0, False, 165, -4, -5)),
             ("Byta till LED-belysning i skolor och förskolor", "Ta fram en plan för laddinfrastruktur")),
    GoalSpec(2, "KS", "Kommunens ekonomi ska vara i balans",
             (_i("Resultat i förhållande till skatteintäkter och statsbidrag", "%", "higher", 1, False,
                 1.2, 0.3, 0.2),),
             ("Införa månadsvis ekonomisk uppföljning i alla nämnder",)),
    GoalSpec(3, "SN", "Äldre ska känna sig trygga med hemtjänsten",
             (_i("Brukarbedömning hemtjänst, trygghet", "%", "higher", 0, False, 84, 1, 1),
              _i("Väntetid till särskilt boende", "dagar", "lower", 0, False, 75, -6, -8)),
             ("Minska antalet personal per brukare i hemtjänsten", "Införa digital tillsyn nattetid")),
    GoalSpec(3, "SN", "Handläggningen av ekonomiskt bistånd ska vara snabb och rättssäker",
             (_i("Handläggningstid för nybesök, ekonomiskt bistånd", "dagar", "lower", 0, False,
                 21, -1, -2),),
             ("Digitalisera ansökan om ekonomiskt bistånd",)),
    GoalSpec(4, "BN", "Alla barn ska ha en trygg och stimulerande förskola",
             (_i("Antal barn per årsarbetare i förskolan", "antal", "lower", 1, False, 5.6, -0.1, -0.1),),
             ("Minska barngruppernas storlek",)),
    GoalSpec(5, "SBN", "Snabbt bredband ska nå hela kommunen",
             (_i("Andel hushåll med tillgång till minst 1 Gbit/s", "%", "higher", 0, False, 68, 5, 6),),
             ("Stötta byanätsföreningarnas bredbandsutbyggnad",)),
    GoalSpec(6, "KFN", "Fler ska besöka och uppleva Noras kulturmiljöer",
             (_i("Antal besökare i Nora museum och Pershyttan", "antal", "higher", 0, False,
                 18500, 600, 800),),
             ("Ta fram en kulturmiljöplan", "Skylta kulturmiljöerna i Gyttorp")),
    GoalSpec(7, "KFN", "Barn och unga ska ha en aktiv fritid",
             (_i("Deltagartillfällen i idrottsföreningar, 7–20 år, per invånare", "antal", "higher", 1, True,
                 28.0, 0.4, 0.8),),
             ("Erbjuda lovaktiviteter tillsammans med föreningarna",)),
    GoalSpec(8, "KS", "Sjukfrånvaron bland medarbetarna ska minska",
             (_i("Sjukfrånvaro bland kommunens medarbetare", "%", "lower", 1, True, 7.4, -0.2, -0.3),),
             ("Införa tidiga insatser vid korttidsfrånvaro",)),
    GoalSpec(9, "KFN", "Fler barn och unga ska ta del av kulturskolan",
             (_i("Andel elever i kulturskolan", "%", "higher", 0, True, 24, 1, 2),),
             ("Erbjuda kulturskola i alla skolområden",)),
    GoalSpec(10, "SBN", "Bygglov ska handläggas snabbt och med gott bemötande",
             (_i("Handläggningstid för bygglov", "veckor", "lower", 1, False, 5.8, -0.2, -0.3),),
             ("Införa e-tjänst för bygglovsansökan",)),
)  # fmt: skip
# A unit goal under Nora's own BN goal shows the chain's last level.
UNIT_GOAL = GoalSpec(
    4, "BN-GR", "Alla elever i årskurs 3 ska kunna läsa",
    (_i("Andel elever i åk 3 som klarat nationella provet i svenska", "%", "higher", 0, True, 78, 1.5, 2),),
    ("Läsfrämjande insatser i förskoleklass",),
)  # fmt: skip
# How Nora's own indicators (from the fixture) develop in the demo, by Kolada KPI.
NORA_PROFILES = {
    "N15643": Profile(82, 0.8, 1),  # Andel elever som känner sig trygga
    "N15428": Profile(83.5, 0.6, 1),  # Andelen behöriga till vidare utbildning
    "N01951": Profile(10450, 25, 120, noise=20),  # Invånare totalt: 13 000 in 2030 is far off
}
# The new mandate period's revision: the goal that ends, the one that begins and the target that is raised.
ENDED_GOAL = "Fler invånare ska kunna följa och påverka kommunens beslut"
NEW_GOAL = GoalSpec(
    0, "KS", "Invånarna ska kunna sköta sina ärenden med kommunen digitalt",
    (_i("Andel ärenden som inleds via e-tjänst", "%", "higher", 0, False, 38, 6, 7),),
    ("Införa e-tjänster för de tio vanligaste ärendena",),
)  # fmt: skip
RAISED_TARGET = "Andel fossilfria fordon i kommunens fordonsflotta"
NEW_MANDATE_REASON = (
    "Strategisk plan %(first)d–%(last)d: målet om medborgardialoger ersätts av ett mål om e-tjänster, "
    "och målvärdet för fossilfria fordon höjs när upphandlingen av nya fordon är klar."
)
NEW_MANDATE_DECISION = "KF § 118 %(year)d-11-23"
RETURN_COMMENT = "Analysen behöver utvecklas: beskriv vilka åtgärder som planeras och när de ger effekt."
STATUS_COMMENTS = {
    ActivityStatus.Status.DELAYED: "Försenad på grund av vakanser; beräknas klar under nästa år.",
    ActivityStatus.Status.CANCELLED: "Avbruten efter beslut i nämnden; ersätts av en ny insats.",
    ActivityStatus.Status.DONE: "Genomförd enligt plan.",
}


# --- Numbers -------------------------------------------------------------------------------------


def _rng(*parts):
    # A string seed is hashed the same way in every Python process (unlike hash()).
    return random.Random(":".join(str(p) for p in (SEED, *parts)))


def _fit(number, spec):
    """Round to the indicator's decimals and keep within what a value may be (0–100 for shares)."""
    step = Decimal(1).scaleb(-spec.decimals)
    value = Decimal(repr(number)).quantize(step, rounding=ROUND_HALF_UP)
    ceiling = Decimal(100) if spec.unit.strip() == "%" else None
    value = max(value, step if spec.profile.base > 0 else Decimal(0))
    return min(value, ceiling) if ceiling is not None else value


def series(key, spec, years):
    """{year: (total, women, men)} of an indicator over `years`; the same `key` gives the same numbers."""
    rng, profile = _rng("values", key), spec.profile
    out = {}
    for offset, year in enumerate(years):
        total = profile.base + profile.step * offset + rng.uniform(-profile.spread, profile.spread)
        women = men = None
        if spec.split:
            gap = abs(profile.base) * rng.uniform(0.01, 0.06)
            women, men = _fit(total + gap, spec), _fit(total - gap, spec)
        out[year] = (_fit(total, spec), women, men)
    return out


def targets(key, spec, years):
    """{year: (target, tolerance)}: a steady ambition, sometimes ahead of the trend and sometimes behind."""
    rng, profile = _rng("targets", key), spec.profile
    first = profile.base + profile.target_step * rng.uniform(-1.0, 1.2)
    tolerance = _fit(max(abs(profile.target_step), profile.spread), spec)
    return {year: (_fit(first + profile.target_step * n, spec), tolerance) for n, year in enumerate(years)}


def comparison_of(direction):
    """The comparison a target of the demo's makes: "at least" when higher is better, else "at most"."""
    lower = direction == Indicator.Direction.LOWER
    return Target.Comparison.AT_MOST if lower else Target.Comparison.AT_LEAST


JUDGEMENT_OF = {
    "green": Assessment.Judgement.MET,
    "yellow": Assessment.Judgement.PARTLY_MET,
    "red": Assessment.Judgement.NOT_MET,
}


def _combined(judgements):
    """One judgement from several: met when all are, not met when most are not, else partly met."""
    judged = [j for j in judgements if j != Assessment.Judgement.NOT_ASSESSED]
    if not judged:
        return Assessment.Judgement.NOT_ASSESSED
    if all(j == Assessment.Judgement.MET for j in judged):
        return Assessment.Judgement.MET
    if sum(j == Assessment.Judgement.NOT_MET for j in judged) * 2 > len(judged):
        return Assessment.Judgement.NOT_MET
    return Assessment.Judgement.PARTLY_MET


def analysis(judgement, interim, facts):
    """A Swedish analysis text of the kind a board writes."""
    facts = " ".join(facts)
    if interim:
        opening = {
            Assessment.Judgement.MET: "Målet bedöms uppfyllas vid årets slut.",
            Assessment.Judgement.PARTLY_MET: "Målet bedöms delvis uppfyllas vid årets slut.",
            Assessment.Judgement.NOT_MET: "Målet bedöms inte uppfyllas vid årets slut.",
            Assessment.Judgement.NOT_ASSESSED: "Målet har inte kunnat bedömas vid delåret.",
        }[judgement]
    else:
        opening = {
            Assessment.Judgement.MET: "Målet är uppfyllt.",
            Assessment.Judgement.PARTLY_MET: "Målet är delvis uppfyllt.",
            Assessment.Judgement.NOT_MET: "Målet är inte uppfyllt.",
            Assessment.Judgement.NOT_ASSESSED: "Målet har inte kunnat bedömas.",
        }[judgement]
    closing = {
        Assessment.Judgement.MET: "Arbetet fortsätter i samma riktning.",
        Assessment.Judgement.PARTLY_MET: "Utvecklingen går åt rätt håll men målvärdet nås inte fullt ut; "
        "nämnden prioriterar insatserna under kommande period.",
        Assessment.Judgement.NOT_MET: "Nämnden har beslutat om åtgärder och följer upp dem vid nästa delår.",
        Assessment.Judgement.NOT_ASSESSED: "Underlag saknas; uppföljningen kompletteras till bokslutet.",
    }[judgement]
    return " ".join(part for part in (opening, facts, closing) if part)


# --- Follow-up ------------------------------------------------------------------------------------


@dataclass
class Item:
    """An indicator with its spec and the key its numbers are drawn from."""

    indicator: Indicator
    spec: IndicatorSpec
    key: str
    years: tuple = ()  # the years its targets and numbers are drawn for, the first one first


def _periods(year, years):
    """Interim (31 August) and annual periods of the past years, and this year's interim."""
    first = year - years + 1
    periods = []
    for y in range(first, year + 1):
        periods.append(ReportingPeriod(year=y, kind=INTERIM, deadline=date(y, 9, 20)))
        if y < year:
            periods.append(ReportingPeriod(year=y, kind=ANNUAL, deadline=date(y + 1, 2, 15)))
    return periods


def _aware(day):
    return timezone.make_aware(datetime.combine(day, time(12)))


def write_follow_up(items, activities, *, year, years):
    """Create the periods and fill them; close all but this year's interim. Returns row counts."""
    for item in items:
        item.years = tuple(range(year - years + 1, year + 1))
    _add_targets(items)
    filler = _Filler(items, activities)
    periods = ReportingPeriod.objects.bulk_create(_periods(year, years))
    for period in periods:
        current = period.year == year
        filler.fill(period, current)
        if not current:
            close_period(period)
    filler.counts["periods"] = len(periods)
    return dict(filler.counts)


def _in_force(row, year):
    """True when a goal's or an indicator's validity years hold `year`."""
    after_first = row.valid_from is None or row.valid_from <= year
    return after_first and (row.valid_to is None or year <= row.valid_to)


class _Filler:
    """Writes a period's values, judgements and activity statuses for the goals and indicators valid in its
    year; `add` takes the goals a revision brings."""

    def __init__(self, items, activities):
        self.items, self.goals, self.activities = [], [], []
        self.numbers, self.counts = {}, defaultdict(int)
        self.add(items, activities)

    def add(self, items, activities):
        self.items += items
        for item in items:
            self.numbers[item.indicator.pk] = series(item.key, item.spec, item.years)
        # Goals, indicators and activities as stored now (a revision may have ended some).
        self.goals = list(Goal.objects.all())
        by_pk = {g.pk: g for g in self.goals}
        for item in self.items:
            item.indicator.goal = by_pk[item.indicator.goal_id]
        self.activities = [a for a in self.activities + list(activities) if a.goal_id in by_pk]
        for activity in self.activities:
            activity.goal = by_pk[activity.goal_id]

    def fill(self, period, current):
        year = period.year
        items = [i for i in self.items if _in_force(i.indicator, year) and _in_force(i.indicator.goal, year)]
        goals = [g for g in self.goals if _in_force(g, year)]
        activities = [a for a in self.activities if _in_force(a.goal, year)]
        stored = Target.objects.in_force(year).filter(indicator__in=[i.indicator for i in items])
        goal_targets = {(t.indicator_id, year): t for t in stored}
        by_goal = defaultdict(list)
        for item in items:
            by_goal[item.indicator.goal_id].append(item)
        # Children before parents, so that a parent's judgement can lean on its children's.
        goals.sort(key=lambda g: (-g.level, g.tree_id, g.lft))
        with transaction.atomic():
            locked = open_period_for_write(period)
            values = _values(items, self.numbers, locked, current)
            assessments = _assessments(goals, by_goal, self.numbers, goal_targets, locked, current)
            statuses = _statuses(activities, locked, current)
            bulk_create_with_history(values, IndicatorValue, batch_size=BATCH)
            bulk_create_with_history(assessments, Assessment, batch_size=BATCH)
            bulk_create_with_history(statuses, ActivityStatus, batch_size=BATCH)
        self.counts["values"] += len(values)
        self.counts["assessments"] += len(assessments)
        self.counts["statuses"] += len(statuses)


def _add_targets(items):
    existing = {
        (pk, year)
        for pk, first, last in Target.objects.filter(indicator__in=[i.indicator for i in items]).values_list(
            "indicator_id", "from_year", "to_year"
        )
        for year in range(first, last + 1)
    }
    new = []
    for item in items:
        comparison = comparison_of(item.spec.direction)
        for year, (value, tolerance) in targets(item.key, item.spec, item.years).items():
            if (item.indicator.pk, year) not in existing:
                span = {"from_year": year, "to_year": year, "comparison": comparison}
                new.append(Target(indicator=item.indicator, value=value, tolerance=tolerance, **span))
    Target.objects.bulk_create(new, batch_size=BATCH)


def _values(items, numbers, period, current):
    values = []
    for item in items:
        total, women, men = numbers[item.indicator.pk][period.year]
        rng = _rng("entered", item.key, period.year, period.kind)
        if current and rng.random() < 0.3:
            continue  # this year's interim is still being filled in
        if period.kind == INTERIM and not current:
            # At the interim the year is not over: a forecast a little off the outcome.
            spread = item.spec.profile.spread
            total = _fit(float(total) + rng.uniform(-spread, spread) / 2, item.spec)
        comment = ""
        if rng.random() < 0.2:
            comment = "Uppgiften är preliminär." if period.kind == INTERIM else "Enligt verksamhetssystemet."
        values.append(
            IndicatorValue(
                indicator=item.indicator, period=period, total=total, women=women, men=men, comment=comment
            )
        )
    return values


def _assessments(goals, by_goal, numbers, goal_targets, period, current):
    rows, children, turn = [], defaultdict(list), 0
    for goal in goals:
        colours, facts = [], []
        for item in by_goal.get(goal.pk, ()):
            value = numbers[item.indicator.pk][period.year][0]
            target = goal_targets[(item.indicator.pk, period.year)]
            signal = indicator_signal(value, target, year=period.year)
            if signal != Signal.NONE:
                colours.append(signal.value)
            decimals = item.spec.decimals
            unit = "" if item.spec.unit == "antal" else f" {item.spec.unit}"
            facts.append(
                f"{item.indicator.name}: {format_number(value, decimals)}{unit} "
                f"(målvärde {target_text(target, decimals)}{unit})."
            )
        judgement = _combined([JUDGEMENT_OF[c] for c in colours] + children[goal.pk])
        if goal.parent_id:
            children[goal.parent_id].append(judgement)
        state = None
        if current and goal.level_kind_id not in (VISION, OVERARCHING):
            state, turn = OPEN_STATES[turn % len(OPEN_STATES)], turn + 1
        rows.append(_assessment(goal, period, judgement, facts, current, state))
    return rows


# The states of this year's interim judgements, in turn: every state of the approval flow is there.
OPEN_STATES = ("draft", "submitted", "approved", "sent_back")


def _assessment(goal, period, judgement, facts, current, state):
    """A judgement: approved in a closed period; in this year's open one, in the `state` given."""
    row = Assessment(
        goal=goal, period=period, judgement=judgement, analysis=analysis(judgement, period.is_interim, facts)
    )
    when = min(_aware(period.deadline), timezone.now())
    if not current or state == "approved":
        row.state, row.submitted_at, row.approved_at = Assessment.State.APPROVED, when, when
    elif state is None:  # the vision and the overarching goal are judged at the annual report
        row.judgement, row.analysis = Assessment.Judgement.NOT_ASSESSED, ""
    elif state == "submitted":
        row.state, row.submitted_at = Assessment.State.SUBMITTED, when
    elif state == "sent_back":
        row.return_comment = RETURN_COMMENT
    return row


def _statuses(activities, period, current):
    rows = []
    for activity in activities:
        # Names, not primary keys, seed the numbers: they are the same in every database.
        rng = _rng("status", activity.goal.title, activity.title, activity.position, period.year, period.kind)
        if current:
            status = rng.choice(list(ActivityStatus.Status))
        elif period.kind == ANNUAL:
            status = rng.choices(
                [ActivityStatus.Status.DONE, ActivityStatus.Status.ONGOING, ActivityStatus.Status.CANCELLED],
                weights=[6, 3, 1],
            )[0]
        else:
            status = rng.choice([ActivityStatus.Status.ONGOING, ActivityStatus.Status.DELAYED])
        rows.append(
            ActivityStatus(
                activity=activity, period=period, status=status, comment=STATUS_COMMENTS.get(status, "")
            )
        )
    return rows


# --- Seeding ------------------------------------------------------------------------------------


def already_seeded():
    return AuditEvent.objects.filter(action=MARKER).exists()


def _refuse_mixing(year, years):
    if IndicatorValue.objects.exists() or Assessment.objects.exists() or ActivityStatus.objects.exists():
        raise FollowUpPresent(
            _("The database already holds follow-up data; the demo is only written into one without.")
        )
    clash = ReportingPeriod.objects.filter(year__gte=year - years + 1, year__lte=year)
    if clash.exists():
        raise FollowUpPresent(
            _("Reporting periods of %(first)d–%(last)d exist already; the demo creates its own.")
            % {"first": year - years + 1, "last": year}
        )


def nora_chain():
    """Nora's council goals in tree order, or None when the chain from fixtures/nora.json is missing."""
    overarching = Goal.objects.filter(level_kind=OVERARCHING, parent__level_kind=VISION).first()
    if overarching is None or Organisation.objects.filter(code__in=["KF", "KS", "BN"]).count() != 3:
        return None
    council_goals = list(Goal.objects.filter(parent=overarching, level_kind=COUNCIL).order_by("lft"))
    return council_goals or None


def current_period(today):
    """The calendar's period a demo seeded on `today` is reporting: the latest whose cut-off has passed, as
    `calendar.plan_periods` makes it (not stored)."""
    planned = [p for year in (today.year - 1, today.year) for p in plan_periods(year) if p.cutoff < today]
    if not planned:
        raise DemoRefused(
            _("The reporting calendar has no period in use; the demo makes its periods from it.")
        )
    return planned[-1]


def mandate_start(first, today):
    """The first year of the demo's second mandate period: the latest start after `first` that a revision on
    `today` may begin (`revision.default_from_year`: next year from October), so that the earlier period
    has follow-up; None when the demo's years are too few."""
    last = revision.default_from_year(today)
    starts = [y for y in range(first + 1, last + 1) if (y - MANDATE_START) % MANDATE_YEARS == 0]
    return starts[-1] if starts else None


def seed_nora(*, today, years=5):
    """Nora's chain plus demo boards, goals, indicators and `years` years of follow-up up to the period being
    reported on `today`, with a new mandate period's revision of the goals; returns counts."""
    with transaction.atomic():
        council_goals = nora_chain()
        if council_goals is None:
            raise DemoRefused(
                _("Nora's goal chain is missing: run `manage.py import_goals fixtures/nora.json` first.")
            )
        current = current_period(today)
        first = current.year - years + 1
        _refuse_mixing(current.year, years)
        start = mandate_start(first, today)
        organisations = _organisations()
        items, activities = _nora_items(council_goals, organisations, first)
        last = max(current.year, start or current.year)
        financial = demo_economy.financial_goals(
            council_goals[0].parent, organisations["KF"], first, range(first, last + 1),
            lambda goal, specs: _indicators_for(goal, GoalSpec(0, "KF", goal.title, tuple(specs), ())),
        )  # fmt: skip
        items += financial
        for item in items:
            ends = start is not None and item.indicator.goal.title == ENDED_GOAL
            item.years = tuple(range(first, start if ends else last + 1))
        activities += list(Activity.objects.exclude(pk__in=[a.pk for a in activities]).select_related("goal"))
        _add_targets(items)
        filler = _Filler(items, activities)
        periods = []
        for year in range(first, current.year + 1):
            periods += create_periods(year).created
        periods.sort(key=lambda p: p.sort_key)
        revised, filled = False, []
        for period in periods:
            if start is not None and not revised and period.year >= start:
                filler.add(*_new_mandate(start, today))
                revised = True
            if period.sort_key > (current.year, KIND_ORDER[current.kind]):
                continue  # a period of the calendar still ahead: nothing to report yet
            is_current = (period.year, period.kind) == (current.year, current.kind)
            filler.fill(period, is_current)
            filled.append(period)
            if is_current:
                _deadlines_around(period, today)
            else:
                close_period(period)
        if start is not None and not revised:
            filler.add(*_new_mandate(start, today))
        demo_economy.summaries(filled, financial, filled[-1])
        counts = dict(filler.counts, periods=len(periods))
        counts.update(
            goals=Goal.objects.count(), indicators=len(filler.items), activities=len(filler.activities)
        )
        record_event(MARKER, _("Demo follow-up written: %(counts)s.") % {"counts": _summary(counts)})
    return counts


def _deadlines_around(period, today):
    """Move the open period's deadlines around `today`, staggered as the calendar made them: the first step's
    (the units') two working days ago, the later steps' ahead, so that at most the first step is late."""
    steps = list(period.deadlines.all())
    if not steps:
        return
    gaps = [working_days_until(steps[0].deadline, step.deadline) for step in steps]
    first = add_working_days(today, -2)
    for step, gap in zip(steps, gaps, strict=True):
        step.deadline = add_working_days(first, gap)
    PeriodDeadline.objects.bulk_update(steps, ["deadline"])
    period.deadline = max(step.deadline for step in steps)
    period.save(update_fields=["deadline"])


def _find(entries, test):
    """The goal entry of an exported document's tree that passes `test`, with the list it is in."""
    for entry in entries:
        if test(entry):
            return entry, entries
        found = _find(entry.get("children", []), test)
        if found:
            return found
    return None


def _new_mandate(start, today):
    """Revise the goals for the mandate period from `start` as a municipality does, through the revision of a
    goal file (`goals.goalfile.revision`): one goal ends, a new one begins, one target is raised. Returns the
    new goal's (items, activities) for the follow-up."""
    document = export_document()
    ended, siblings = _find(document["goals"], lambda e: e.get("title") == ENDED_GOAL)
    siblings.remove(ended)
    spec, years = NEW_GOAL, tuple(range(start, start + MANDATE_YEARS))
    comparison = comparison_of(spec.indicators[0].direction)
    siblings.append(
        {
            "level": ended["level"],
            "title": spec.title,
            "owner": spec.owner,
            "decision": NEW_MANDATE_DECISION % {"year": start - 1},
            "valid_from": start,
            "indicators": [
                {
                    "name": i.name,
                    "unit": i.unit,
                    "direction": i.direction,
                    "decimals": i.decimals,
                    "gender_split": i.split,
                    "targets": [
                        {
                            "from": y,
                            "to": y,
                            "comparison": comparison,
                            "value": json_number(value),
                            "tolerance": json_number(tolerance),
                        }
                        for y, (value, tolerance) in targets(f"{spec.title}:{i.name}", i, years).items()
                    ],  # fmt: skip
                }
                for i in spec.indicators
            ],
            "activities": [{"title": title} for title in spec.activities],
        }
    )
    raised, _siblings = _find(
        document["goals"],
        lambda e: any(i["name"] == RAISED_TARGET for i in e.get("indicators", [])),
    )
    indicator = next(i for i in raised["indicators"] if i["name"] == RAISED_TARGET)
    target = next(t for t in indicator["targets"] if t["from"] == start)
    target["value"] = json_number(min(Decimal(str(target["value"])) + 5, Decimal(100)))
    data = json.dumps(document).encode()
    plan = revision.plan_revision(goalfile_read(data.decode()), start, sha256=revision.file_sha256(data))
    values = {"first": start, "last": start + MANDATE_YEARS - 1}
    revision.apply_revision(
        plan, reason=NEW_MANDATE_REASON % values, decision=NEW_MANDATE_DECISION % {"year": start - 1}
    )
    goal = Goal.objects.get(title=spec.title, valid_from=start)
    by_name = {i.name: i for i in spec.indicators}
    span = tuple(range(start, max(start, today.year) + 1))
    items = [
        Item(row, by_name[row.name], f"{spec.title}:{row.name}", span)
        for row in Indicator.objects.filter(goal=goal).select_related("goal")
    ]
    return items, list(Activity.objects.filter(goal=goal).select_related("goal"))


def _organisations():
    organisations = {o.code: o for o in Organisation.objects.all()}
    for position, (code, name, kind, parent) in enumerate(BOARDS, start=len(organisations)):
        if code not in organisations:
            organisations[code] = Organisation.objects.create(
                code=code, name=name, kind=kind, parent=organisations[parent], position=position
            )
    return organisations


def _nora_items(council_goals, organisations, first_year):
    """Create the demo goals with indicators and activities; return every indicator as an Item."""
    items = []
    for indicator in Indicator.objects.select_related("goal").order_by("goal__lft", "position", "pk"):
        profile = NORA_PROFILES.get(indicator.kolada_kpi)
        if profile is not None:
            spec = IndicatorSpec(
                indicator.name,
                indicator.unit,
                indicator.direction,
                indicator.decimals,
                indicator.gender_split,
                profile,
            )
            items.append(Item(indicator, spec, f"nora:{indicator.name}"))
    activities = []
    for spec in GOALS:
        parent = council_goals[spec.council % len(council_goals)]
        decision = f"{spec.owner} § {_rng('decision', spec.title).randint(5, 140)} {first_year}-02-14"
        goal = tree.create_goal(
            parent=parent,
            title=spec.title,
            owner=organisations[spec.owner],
            decision=decision,
            valid_from=first_year,
        )
        items += _indicators_for(goal, spec)
        activities += _activities_for(goal, spec)
    # The unit goal sits under Nora's own BN goal.
    bn_goal = Goal.objects.filter(
        level_kind=BOARD, owner__code="BN", parent=council_goals[4 % len(council_goals)]
    )
    bn_goal = bn_goal.order_by("lft").first()
    if bn_goal is not None:
        goal = tree.create_goal(parent=bn_goal, title=UNIT_GOAL.title, owner=organisations[UNIT_GOAL.owner])
        items += _indicators_for(goal, UNIT_GOAL)
        activities += _activities_for(goal, UNIT_GOAL)
    return items, activities


def _indicators_for(goal, spec):
    rows = [
        Indicator(
            goal=goal, owner=goal.owner, name=i.name, unit=i.unit, direction=i.direction, decimals=i.decimals,
            gender_split=i.split, position=n,
        )
        for n, i in enumerate(spec.indicators)
    ]  # fmt: skip
    Indicator.objects.bulk_create(rows)
    keys.fill_missing(Indicator, rows)
    treecache.changed()  # the goal tree shows each goal's number of indicators
    return [Item(row, i, f"{goal.title}:{i.name}") for row, i in zip(rows, spec.indicators, strict=True)]


def _activities_for(goal, spec):
    people = ("Anna Lindqvist", "Erik Johansson", "Maria Karlsson", "Johan Nilsson", "Sara Berg")
    rng = _rng("activities", goal.title)
    rows = [
        Activity(goal=goal, owner=goal.owner, title=title, responsible=rng.choice(people), position=n)
        for n, title in enumerate(spec.activities)
    ]
    return Activity.objects.bulk_create(rows)


def _summary(counts):
    return ", ".join(f"{key} {value}" for key, value in sorted(counts.items()))


# --- The large municipality ------------------------------------------------------------------------

# Where a synthetic indicator starts, by unit, when it has no target to start from.
UNIT_BASES = {"%": (60, 90), "antal": (20, 400), "kr": (5000, 50000), "dagar": (20, 90), "veckor": (3, 10)}


def seed_large(*, boards, goals_per_board, year, years):
    """A synthetic municipality of about boards × goals_per_board goals with follow-up; returns counts."""
    from goals.goalfile import import_document
    from goals.synthetic import COUNCIL_GOALS, synthetic_document

    if Goal.objects.exists():
        raise FollowUpPresent(
            _(
                "The large demo builds a municipality of its own and needs a database without goals; "
                "this one has %(n)d."
            )
            % {"n": Goal.objects.count()}
        )
    _refuse_mixing(year, years)
    goal_count = boards * goals_per_board + 2 + min(len(COUNCIL_GOALS), boards * goals_per_board)
    with transaction.atomic():
        import_document(synthetic_document(goal_count=goal_count, boards=boards, seed=SEED))
        items = [
            _synthetic_item(i) for i in Indicator.objects.select_related("goal").prefetch_related("targets")
        ]
        goals = list(Goal.objects.all())
        activities = list(Activity.objects.select_related("goal"))
        counts = write_follow_up(items, activities, year=year, years=years)
        counts.update(goals=len(goals), indicators=len(items), activities=len(activities))
        record_event(MARKER, _("Large demo written: %(counts)s.") % {"counts": _summary(counts)})
    return counts


def _synthetic_item(indicator):
    key = f"{indicator.goal.title}:{indicator.goal.lft}:{indicator.name}:{indicator.position}"
    rng = _rng("profile", key)
    known = sorted((t for t in indicator.targets.all() if t.value is not None), key=lambda t: t.from_year)
    if known:
        base = float(known[0].value)
    else:
        low, high = UNIT_BASES.get(indicator.unit, (10, 100))
        base = rng.uniform(low, high)
    sign = 1 if indicator.direction == Indicator.Direction.HIGHER else -1
    # Most indicators improve, some worsen: every colour shows up.
    step = base * rng.uniform(-0.01, 0.03) * sign
    spec = IndicatorSpec(
        indicator.name, indicator.unit, indicator.direction, indicator.decimals, indicator.gender_split,
        Profile(base * rng.uniform(0.85, 1.0) if sign > 0 else base * rng.uniform(1.0, 1.15), step,
                base * 0.02 * sign),
    )  # fmt: skip
    return Item(indicator, spec, key)
