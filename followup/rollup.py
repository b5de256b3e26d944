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

from .models import Assessment, IndicatorValue


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
STATED = {Assessment.State.SUBMITTED, Assessment.State.APPROVED}


def indicator_signal(value, target, tolerance, direction):
    """Rule 1: one indicator's value against the year's target and tolerance."""
    if value is None or target is None:
        return Signal.NONE
    # How far the value is on the good side of the target (negative: it falls short).
    margin = value - target if direction == Indicator.Direction.HIGHER else target - value
    if margin >= 0:
        return Signal.GREEN
    if margin >= -(tolerance or 0):
        return Signal.YELLOW
    return Signal.RED


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
    # For an indicator: value, target, tolerance, unit, decimals. For a goal: "judgement" or "suggestion".
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


def suggest(goals, indicators, targets, values, assessments):
    """Compute every goal's suggestion from plain data; returns {goal id: Suggestion}.

    goals: dicts with pk, parent_id, title, tree_id, lft; indicators: dicts with pk, goal_id, name, direction,
    unit, decimals; targets and values: {indicator id: (value, tolerance)} and {indicator id: total};
    assessments: {goal id: dict with judgement, state}.
    """
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
            target, tolerance = targets.get(indicator["pk"], (None, None))
            value = values.get(indicator["pk"])
            signal = indicator_signal(value, target, tolerance, indicator["direction"])
            detail = {
                "value": value,
                "target": target,
                "tolerance": tolerance,
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
    """Every goal's suggestion in `period`, read in five queries."""
    goals = list(Goal.objects.order_by().values("pk", "parent_id", "title", "tree_id", "lft"))
    indicators = list(
        Indicator.objects.order_by("goal_id", "position", "pk").values(
            "pk", "goal_id", "name", "direction", "unit", "decimals"
        )
    )
    targets = {
        t["indicator_id"]: (t["value"], t["tolerance"])
        for t in Target.objects.filter(year=period.year)
        .order_by()
        .values("indicator_id", "value", "tolerance")
    }
    values = dict(
        IndicatorValue.objects.filter(period=period).order_by().values_list("indicator_id", "total")
    )
    assessments = {
        a["goal_id"]: a
        for a in Assessment.objects.filter(period=period).order_by().values("goal_id", "judgement", "state")
    }
    return suggest(goals, indicators, targets, values, assessments)
