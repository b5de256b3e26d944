"""The computed suggestion: green / yellow / red per indicator, and the one rule that rolls them up per goal.

The rule is written down for readers in docs/assessment-rule.md and on screen in
templates/followup/includes/rule_legend.html; change all three together.

1. An indicator is green when its value reaches the year's target (at or above it when higher is better, at
   or below it when lower is better), yellow when it misses the target by no more than the tolerance, and red
   when it misses by more. Without a value or without a target for the period's year it gives no signal.
   The total is compared; women and men are shown but not judged. At an interim period the value so far is
   compared with the year's target.
2. A goal collects one signal from each of its indicators and one from each of its child goals. A child goal
   counts with its own body's judgement once that has been submitted or approved (met = green, partly met =
   yellow, not met = red); otherwise, or when judged "not assessed", with its own computed suggestion.
3. Signals are combined by counting, every signal weighing the same and "no signal" not counting:
   - no signals at all: no suggestion (grey);
   - more than half red: red;
   - no red and more than half green: green;
   - anything else: yellow.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from goals.models import Goal, Indicator, Target
from goals.targets import target_text

from .models import Assessment, IndicatorValue, ReportingPeriod


class Signal(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    NONE = "none"

    @property
    def label(self):
        return SIGNAL_LABELS[self]


SIGNAL_LABELS = {
    Signal.GREEN: _("Green: target reached"),
    Signal.YELLOW: _("Yellow: within tolerance"),
    Signal.RED: _("Red: outside tolerance"),
    Signal.NONE: _("Grey: no basis"),
}

JUDGEMENT_SIGNAL = {
    Assessment.Judgement.MET: Signal.GREEN,
    Assessment.Judgement.PARTLY_MET: Signal.YELLOW,
    Assessment.Judgement.NOT_MET: Signal.RED,
    Assessment.Judgement.NOT_ASSESSED: Signal.NONE,
}
# A child's judgement counts once its body has stated it; a draft may still change.
STATED = set(Assessment.STATED)


def indicator_signal(value, target, *, year, previous=None):
    """Rule 1: one indicator's `value` in `year` against `target`, the target in force that year.

    `previous` is the indicator's value the year before, which the last-year comparisons compare with.
    A target whose span does not hold `year` gives no signal: never is a value judged by another year's.
    """
    if value is None or target is None or not target.covers(year):
        return Signal.NONE
    low, high, open_ends = _bounds(target, previous)
    if low is None and high is None:
        return Signal.NONE
    below = low is not None and (value <= low if open_ends else value < low)
    above = high is not None and (value >= high if open_ends else value > high)
    if not below and not above:
        return Signal.GREEN
    # The bound that is missed, and how far off the value is; within the band outside the bound is yellow.
    bound = low if below else high
    band = target.tolerance or 0
    if target.tolerance_unit == Target.ToleranceUnit.PERCENT:
        band = abs(bound) * band / 100
    if band > 0 and abs(value - bound) <= band:
        return Signal.YELLOW
    return Signal.RED


def _bounds(target, previous):
    """(low, high, open): where green begins and ends (None: no end) and whether the ends themselves miss."""
    C = Target.Comparison
    comparison = target.comparison
    if comparison == C.AT_LEAST:
        return target.value, None, target.exclusive
    if comparison == C.AT_MOST:
        return None, target.value, target.exclusive
    if comparison == C.EXACTLY:
        return target.value, target.value, False
    if comparison == C.WITHIN:
        return target.value, target.high, target.exclusive
    if comparison == C.HIGHER_THAN_LAST_YEAR:
        return previous, None, True  # "ska öka": the same as last year is no increase
    return None, previous, True


def combine(signals):
    """Rule 3: count the signals; more than half red is red, no red and more than half green is green."""
    counted = [s for s in signals if s != Signal.NONE]
    if not counted:
        return Signal.NONE
    reds = sum(1 for s in counted if s == Signal.RED)
    greens = sum(1 for s in counted if s == Signal.GREEN)
    if reds * 2 > len(counted):
        return Signal.RED
    if reds == 0 and greens * 2 > len(counted):
        return Signal.GREEN
    return Signal.YELLOW


@dataclass
class Basis:
    """One thing a goal's suggestion rests on: an indicator or a child goal."""

    kind: str  # "indicator" or "goal"
    pk: int
    name: str
    signal: Signal
    # For an indicator: value, target (as written, with its tolerance), unit, decimals. For a goal: "source".
    detail: dict = field(default_factory=dict)


@dataclass
class Suggestion:
    """A goal's computed suggestion and what it rests on."""

    signal: Signal
    basis: list

    def count(self, signal):
        return sum(1 for b in self.basis if b.signal == signal)

    @property
    def counts(self):
        return {s.value: self.count(s) for s in Signal}


def child_signal(assessment, suggestion):
    """Rule 2: a child goal's stated judgement, or else its own suggestion; returns (signal, source)."""
    if assessment is not None and assessment["state"] in STATED:
        signal = JUDGEMENT_SIGNAL[assessment["judgement"]]
        if signal != Signal.NONE:
            return signal, "judgement"
    return suggestion.signal, "suggestion"


def suggest(goals, indicators, targets, values, assessments, *, year, previous=None):
    """Compute every goal's suggestion in `year` from plain data; returns {goal id: Suggestion}.

    goals: dicts with pk, parent_id, title, tree_id, lft; indicators: dicts with pk, goal_id, name, direction,
    unit, decimals; targets: {indicator id: Target in force}; values and previous: {indicator id: total} of
    the period and of the year before (annual); assessments: {goal id: dict with judgement, state}.
    """
    previous = previous or {}
    by_goal = {}
    for indicator in indicators:
        by_goal.setdefault(indicator["goal_id"], []).append(indicator)
    children = {}
    for goal in goals:
        children.setdefault(goal["parent_id"], []).append(goal)
    result = {}
    # Descendants have a larger lft than their ancestors: walking lft downwards meets children first.
    for goal in sorted(goals, key=lambda g: (g["tree_id"], g["lft"]), reverse=True):
        basis = []
        for indicator in by_goal.get(goal["pk"], ()):
            target = targets.get(indicator["pk"])
            value = values.get(indicator["pk"])
            signal = indicator_signal(value, target, year=year, previous=previous.get(indicator["pk"]))
            detail = {
                "value": value,
                "target": target_text(target, indicator["decimals"], tolerance=True) if target else None,
                "unit": indicator["unit"],
                "decimals": indicator["decimals"],
            }
            basis.append(Basis("indicator", indicator["pk"], indicator["name"], signal, detail))
        for child in sorted(children.get(goal["pk"], ()), key=lambda g: g["lft"]):
            signal, source = child_signal(assessments.get(child["pk"]), result[child["pk"]])
            basis.append(Basis("goal", child["pk"], child["title"], signal, {"source": source}))
        result[goal["pk"]] = Suggestion(combine(b.signal for b in basis), basis)
    return result


def suggestions_for(period):
    """Every goal's suggestion in `period`, read in six queries."""
    goals = list(Goal.objects.order_by().values("pk", "parent_id", "title", "tree_id", "lft"))
    indicators = list(
        Indicator.objects.order_by("goal_id", "position", "pk").values(
            "pk", "goal_id", "name", "direction", "unit", "decimals"
        )
    )
    targets = {t.indicator_id: t for t in Target.objects.in_force(period.year).order_by()}
    values = dict(
        IndicatorValue.objects.filter(period=period).order_by().values_list("indicator_id", "total")
    )
    previous = previous_totals(period.year)
    assessments = {
        a["goal_id"]: a
        for a in Assessment.objects.filter(period=period).order_by().values("goal_id", "judgement", "state")
    }
    return suggest(goals, indicators, targets, values, assessments, year=period.year, previous=previous)


def previous_totals(year, indicator_ids=None):
    """{indicator id: total} of the annual period of the year before `year`: what "ska öka" compares with."""
    rows = IndicatorValue.objects.filter(
        period__year=year - 1, period__kind=ReportingPeriod.Kind.ANNUAL, total__isnull=False
    )
    if indicator_ids is not None:
        rows = rows.filter(indicator_id__in=indicator_ids)
    return dict(rows.order_by().values_list("indicator_id", "total"))
