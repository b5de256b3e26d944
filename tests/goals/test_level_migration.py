"""Nora's goals keep their levels when `level_kind` becomes a reference to the styrmodell's levels."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.migrations import whole_schema_afterwards  # noqa: F401

BEFORE = [("goals", "0007_membership_auditevent_moved_to_accounts")]
AFTER = [("goals", "0010_goal_level_kind_fk")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_today(transactional_db):
    """Leave the database at the latest schema, which the flush after the test expects (PostgreSQL refuses
    to empty tables that a dropped model's table, still there in an old schema, refers to)."""
    yield
    _migrate([MigrationExecutor(connection).loader.graph.leaf_nodes("goals")[0]])


def test_goals_keep_their_levels_owners_and_places_through_the_migration(back_to_today):
    old = _migrate(BEFORE)
    Organisation, Goal = old.get_model("goals", "Organisation"), old.get_model("goals", "Goal")
    kf = Organisation.objects.create(code="KF", name="Kommunfullmäktige", kind="council")
    bn = Organisation.objects.create(code="BN", name="Bildningsnämnden", kind="board", parent=kf)
    chain = [
        ("vision", "Nora – en levande kommun", kf),
        ("overarching", "En hållbar kommun med livskvalitet", kf),
        ("council", "Alla barns kunskapsutveckling, trivsel och trygghet", kf),
        ("board", "Fler elever når kunskapskraven", bn),
        ("unit", "Alla elever läser varje dag", bn),
    ]
    parent = None
    for depth, (level, title, owner) in enumerate(chain):
        # The historical model has no mptt manager: the tree columns are written as django-mptt would.
        parent = Goal.objects.create(
            parent=parent, level_kind=level, title=title, owner=owner,
            tree_id=1, lft=depth + 1, rght=2 * len(chain) - depth, level=depth,
        )  # fmt: skip
    before = list(
        Goal.objects.order_by("lft").values_list("pk", "level_kind", "title", "owner_id", "parent_id")
    )

    new = _migrate(AFTER)
    Goal, GoalLevel = new.get_model("goals", "Goal"), new.get_model("goals", "GoalLevel")
    after = list(
        Goal.objects.order_by("lft").values_list("pk", "level_kind", "title", "owner_id", "parent_id")
    )
    assert after == before
    levels = {level.key: level for level in GoalLevel.objects.all()}
    assert [(lv.key, lv.name, lv.plural) for lv in GoalLevel.objects.order_by("position")] == [
        ("vision", "Vision", "Visioner"),
        ("overarching", "Övergripande mål", "Övergripande mål"),
        ("council", "KF-mål", "KF-mål"),
        ("board", "Nämndmål", "Nämndmål"),
        ("unit", "Verksamhetsmål", "Verksamhetsmål"),
    ]
    parents = {key: sorted(p.key for p in level.parents.all()) for key, level in levels.items()}
    assert parents == {
        "vision": [], "overarching": ["vision"], "council": ["overarching"],
        "board": ["council"], "unit": ["board"],
    }  # fmt: skip
    assert levels["board"].owner_kinds == ["board", "committee"]
    assert [key for key, level in levels.items() if level.is_headline] == ["council"]
    assert [key for key, level in levels.items() if level.owner_within_parent] == ["unit"]
    assert Goal.objects.get(level_kind="board").level_kind.name == "Nämndmål"
    # Back to today's schema and forward again: the rows stay as they were.
    _migrate(BEFORE)
    _migrate(AFTER)
    Goal = new.get_model("goals", "Goal")
    assert (
        list(Goal.objects.order_by("lft").values_list("pk", "level_kind", "title", "owner_id", "parent_id"))
        == before
    )
