"""goals 0006–0008: one-year targets become spans with a comparison and keep their meaning and signals."""

import importlib
from decimal import Decimal as D

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from followup.rollup import Signal, indicator_signal
from goals.models import Indicator, Target
from goals.targets import target_text
from tests.migrations import whole_schema_afterwards  # noqa: F401

BEFORE = ("goals", "0010_goal_level_kind_fk")
AFTER = ("goals", "0013_target_spans_complete")


def latest():
    """The newest goals migration (at least AFTER): the rows are read back through today's models."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes("goals")[0]


def old_signal(value, target, tolerance, direction):
    """The rule before spans (followup.rollup.indicator_signal as it was), to compare the signals with."""
    margin = value - target if direction == "higher" else target - value
    if margin >= 0:
        return Signal.GREEN
    return Signal.YELLOW if margin >= -tolerance else Signal.RED


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.fixture
def old_schema(transactional_db):
    apps = migrate(BEFORE)
    yield apps
    migrate(latest())


def test_old_targets_keep_their_meaning_and_their_signals(old_schema):
    apps = old_schema
    Organisation = apps.get_model("goals", "Organisation")
    Goal = apps.get_model("goals", "Goal")
    OldIndicator = apps.get_model("goals", "Indicator")
    OldTarget = apps.get_model("goals", "Target")
    HistoricalTarget = apps.get_model("goals", "HistoricalTarget")
    # The default levels, as migration 0009 installs them (an earlier test's flush may have removed them).
    importlib.import_module("goals.migrations.0009_default_goal_levels").install(apps, None)
    bn = Organisation.objects.create(code="BN", name="Bildningsnämnden", kind="board")
    goal = Goal.objects.create(
        level_kind_id="board", title="Trygg skola", owner=bn, lft=1, rght=2, tree_id=1, level=0
    )
    safe = OldIndicator.objects.create(
        goal=goal, name="Trygga", unit="%", direction="higher", decimals=1, owner=bn
    )
    costs = OldIndicator.objects.create(goal=goal, name="Kostnad", unit="kr", direction="lower", owner=bn)
    rows = [
        OldTarget.objects.create(indicator=safe, year=2025, value=D("90"), tolerance=D("5")),
        OldTarget.objects.create(indicator=safe, year=2026, value=D("92.5"), tolerance=D("0")),
        OldTarget.objects.create(indicator=costs, year=2026, value=D("-10"), tolerance=D("2")),
    ]
    HistoricalTarget.objects.create(
        id=rows[2].pk, indicator_id=costs.pk, year=2026, value=D("-10"), tolerance=D("2"),
        history_date="2026-01-01T00:00:00Z", history_type="+",
    )  # fmt: skip
    before = {(t.indicator_id, t.year): (t.value, t.tolerance) for t in OldTarget.objects.all()}
    directions = {safe.pk: "higher", costs.pk: "lower"}

    migrate(latest())

    migrated = {(t.indicator_id, t.from_year): t for t in Target.objects.all()}
    assert set(migrated) == set(before)
    for (indicator_id, year), (value, tolerance) in before.items():
        target = migrated[(indicator_id, year)]
        lower = directions[indicator_id] == "lower"
        assert (target.to_year, target.value, target.tolerance, target.exclusive, target.high) == (
            year, value, tolerance, False, None
        )  # fmt: skip
        assert target.comparison == ("at_most" if lower else "at_least")
        assert target.tolerance_unit == "absolute"
        # Every value around the bound gets the signal the old rule gave it.
        for step in ("-7", "-5", "-2", "-0.01", "0", "0.01", "2", "5", "7"):
            number = value + D(step)
            assert indicator_signal(number, target, year=year) == old_signal(
                number, value, tolerance, directions[indicator_id]
            ), (target, number)
    historical = Target.history.get(id=rows[2].pk)
    assert (historical.from_year, historical.to_year, historical.comparison) == (2026, 2026, "at_most")
    # The indicators gain their new fields at their defaults: nothing they allowed changes.
    indicator = Indicator.objects.get(pk=safe.pk)
    assert (indicator.allow_negative, indicator.allow_above_100, indicator.kolada_scale) == (False, False, 1)
    assert target_text(migrated[(safe.pk, 2026)], 1) == "≥ 92,5"
    assert target_text(migrated[(costs.pk, 2026)], 0) == "≤ -10"
