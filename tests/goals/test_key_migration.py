"""Every goal and indicator there is gets its stable key from its id, and keeps every other field."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.migrations import whole_schema_afterwards  # noqa: F401

BEFORE = [("goals", "0018_assignments")]
AFTER = [("goals", "0020_fill_keys")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _rows(apps):
    Goal, Indicator = apps.get_model("goals", "Goal"), apps.get_model("goals", "Indicator")
    fields = ("pk", "title", "level_kind", "owner_id", "parent_id")
    goals = list(Goal.objects.order_by("lft").values_list(*fields))
    indicators = list(Indicator.objects.order_by("pk").values_list("pk", "name", "goal_id", "owner_id"))
    return goals, indicators


@pytest.mark.django_db(transaction=True)
def test_existing_goals_and_indicators_get_keys_from_their_ids():
    old = _migrate(BEFORE)
    Organisation, Goal = old.get_model("goals", "Organisation"), old.get_model("goals", "Goal")
    Indicator, HistoricalGoal = old.get_model("goals", "Indicator"), old.get_model("goals", "HistoricalGoal")
    if not old.get_model("goals", "GoalLevel").objects.exists():  # an earlier test's flush emptied them
        from goals.chain import install_defaults

        install_defaults(old.get_model("goals", "GoalLevel"))
    kf = Organisation.objects.create(code="KF", name="Kommunfullmäktige", kind="council")
    bn = Organisation.objects.create(code="BN", name="Bildningsnämnden", kind="board", parent=kf)
    vision = Goal.objects.create(
        level_kind_id="vision", title="Vision", owner=kf, tree_id=1, lft=1, rght=4, level=0
    )
    board = Goal.objects.create(
        parent=vision, level_kind_id="overarching", title="Hållbar kommun", owner=kf,
        tree_id=1, lft=2, rght=3, level=1,
    )  # fmt: skip
    HistoricalGoal.objects.create(
        id=board.pk, level_kind_id="overarching", title="Hållbar kommun", owner=kf, position=0,
        history_date="2026-01-01T00:00:00Z", history_type="+",
    )  # fmt: skip
    first = Indicator.objects.create(goal=board, name="Invånare", unit="antal", owner=kf)
    second = Indicator.objects.create(goal=board, name="Andel behöriga", unit="%", owner=bn)
    before = _rows(old)

    new = _migrate(AFTER)
    assert _rows(new) == before
    Goal, Indicator = new.get_model("goals", "Goal"), new.get_model("goals", "Indicator")
    assert dict(Goal.objects.values_list("pk", "key")) == {
        vision.pk: f"mal-{vision.pk}",
        board.pk: f"mal-{board.pk}",
    }
    assert dict(Indicator.objects.values_list("pk", "key")) == {
        first.pk: f"ind-{first.pk}",
        second.pk: f"ind-{second.pk}",
    }
    assert new.get_model("goals", "HistoricalGoal").objects.get(id=board.pk).key == f"mal-{board.pk}"
    # Back and forward again: the rows stay as they were and get the same keys.
    _migrate(BEFORE)
    assert _rows(_migrate(BEFORE)) == before
    new = _migrate(AFTER)
    assert new.get_model("goals", "Goal").objects.get(pk=board.pk).key == f"mal-{board.pk}"
