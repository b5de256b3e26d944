"""The roll-up rule of docs/assessment-rule.md, case by case."""

from decimal import Decimal as D

import pytest

from followup import rollup
from followup.models import Assessment
from followup.rollup import Signal, child_signal, combine, suggest, suggestions_for
from goals.models import Indicator, Target

G, Y, R, N = Signal.GREEN, Signal.YELLOW, Signal.RED, Signal.NONE
HIGHER, LOWER = Indicator.Direction.HIGHER, Indicator.Direction.LOWER


def target(value, tolerance, direction=HIGHER, year=2026):
    """A one-year target as every target was before spans: "at least" or "at most" by the direction."""
    comparison = Target.Comparison.AT_MOST if direction == LOWER else Target.Comparison.AT_LEAST
    return Target(from_year=year, to_year=year, comparison=comparison, value=value, tolerance=tolerance)


@pytest.mark.parametrize(
    ("signals", "result"),
    [
        ([], N),
        ([N, N], N),  # "no signal" does not count
        ([G], G),
        ([Y], Y),
        ([R], R),
        ([G, G], G),
        ([G, Y], Y),  # half green is not more than half
        ([G, G, Y], G),
        ([G, G, G, R], Y),  # a single red keeps a goal from green
        ([G, R], Y),  # half red is not more than half
        ([R, R, G], R),
        ([R, R, Y, G], Y),
        ([R, R, R, G, G], R),
        ([Y, Y], Y),
        ([G, N, N], G),
        ([R, N], R),
    ],
)
def test_combine(signals, result):
    assert combine(signals) == result


@pytest.mark.parametrize(
    ("assessment", "own", "expected"),
    [
        (None, G, (G, "suggestion")),
        ({"state": "draft", "judgement": "not_met"}, G, (G, "suggestion")),  # a draft may still change
        ({"state": "submitted", "judgement": "not_met"}, G, (R, "judgement")),
        ({"state": "approved", "judgement": "partly_met"}, G, (Y, "judgement")),
        ({"state": "approved", "judgement": "met"}, R, (G, "judgement")),
        ({"state": "approved", "judgement": "not_assessed"}, R, (R, "suggestion")),
    ],
)
def test_child_counts_with_its_stated_judgement_else_its_suggestion(assessment, own, expected):
    assert child_signal(assessment, rollup.Suggestion(own, [])) == expected


def goal(pk, parent, lft, title=None):
    return {"pk": pk, "parent_id": parent, "title": title or f"Mål {pk}", "tree_id": 1, "lft": lft}


def indicator(pk, goal_id, direction=HIGHER):
    return {
        "pk": pk,
        "goal_id": goal_id,
        "name": f"Ind {pk}",
        "direction": direction,
        "unit": "%",
        "decimals": 1,
    }


def test_suggest_rolls_up_through_the_tree():
    # 1 council goal ← 2 board goals (2 and 3); goal 2 has two indicators, goal 3 one.
    goals = [goal(1, None, 1), goal(2, 1, 2), goal(3, 1, 4)]
    indicators = [indicator(10, 2), indicator(11, 2, LOWER), indicator(12, 3)]
    targets = {10: target(D("90"), D("5")), 11: target(D("10"), D("2"), LOWER), 12: target(D("50"), D("0"))}
    values = {10: D("92"), 11: D("9"), 12: D("40")}
    result = suggest(goals, indicators, targets, values, {}, year=2026)
    assert result[2].signal == G  # both indicators green
    assert result[3].signal == R  # its only indicator red
    assert result[1].signal == Y  # one green child, one red child
    assert [(b.kind, b.pk, b.signal) for b in result[1].basis] == [("goal", 2, G), ("goal", 3, R)]


def test_suggest_uses_a_submitted_child_judgement_over_its_suggestion():
    goals = [goal(1, None, 1), goal(2, 1, 2), goal(3, 1, 4)]
    indicators = [indicator(10, 2), indicator(12, 3)]
    targets = {10: target(D("90"), D("5")), 12: target(D("50"), D("0"))}
    values = {10: D("92"), 12: D("40")}
    assessments = {3: {"state": Assessment.State.SUBMITTED, "judgement": Assessment.Judgement.MET}}
    result = suggest(goals, indicators, targets, values, assessments, year=2026)
    assert result[3].signal == R  # its own suggestion stays red
    assert result[1].signal == G  # but the parent counts the board's stated "met"
    assert result[1].basis[1].detail == {"source": "judgement"}


def test_goal_with_indicators_and_children_weighs_each_signal_the_same():
    goals = [goal(1, None, 1), goal(2, 1, 2), goal(3, 1, 4)]
    indicators = [indicator(10, 1), indicator(11, 1), indicator(12, 2), indicator(13, 3)]
    targets = {pk: target(D("50"), D("5")) for pk in (10, 11, 12, 13)}
    values = {10: D("60"), 11: D("60"), 12: D("30"), 13: D("30")}
    result = suggest(goals, indicators, targets, values, {}, year=2026)
    # Two green indicators, two red children: half red is not more than half, and a red blocks green.
    assert result[1].counts == {"green": 2, "yellow": 0, "red": 2, "none": 0}
    assert result[1].signal == Y


def test_goal_without_anything_to_go_on_has_no_suggestion():
    result = suggest([goal(1, None, 1)], [indicator(10, 1)], {}, {10: D("5")}, {}, year=2026)
    assert result[1].signal == N


def test_a_target_of_another_year_gives_no_signal():
    targets = {10: target(D("50"), D("5"), year=2025)}
    result = suggest([goal(1, None, 1)], [indicator(10, 1)], targets, {10: D("60")}, {}, year=2026)
    assert result[1].signal == N


def test_suggestions_for_reads_the_database_in_six_queries(world, django_assert_num_queries):
    from followup.models import IndicatorValue

    IndicatorValue.objects.filter(pk=world.bn_value.pk).update(total=D("91"))
    with django_assert_num_queries(6):
        result = suggestions_for(world.period)
    assert result[world.bn_goal.pk].signal == G
    assert result[world.ks_goal.pk].signal == N  # no value yet
    # The KF goal: BN goal green, KS goal no signal, the other BN goal (submitted "partly met") yellow.
    assert result[world.kf_goal.pk].signal == Y
