"""goals 0014–0016: perspectives become the categories of the set "perspektiv", nothing lost, and back."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from goals.history import category_history_model
from goals.models import Category, CategorySet, Goal, GoalCategory
from tests.migrations import whole_schema_afterwards  # noqa: F401

BEFORE = ("goals", "0013_target_spans_complete")
AFTER = ("goals", "0016_perspectives_removed")


def latest():
    """The newest goals migration (at least AFTER): the rows are read back through today's models."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes("goals")[0]


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


def _old_world(apps):
    """Perspectives (two differing only in case), goals carrying them, and their history rows."""
    importlib.import_module("goals.migrations.0009_default_goal_levels").install(apps, None)
    Organisation = apps.get_model("goals", "Organisation")
    Perspective = apps.get_model("goals", "Perspective")
    HistoricalPerspective = apps.get_model("goals", "HistoricalPerspective")
    Goal = apps.get_model("goals", "Goal")
    HistoricalGoal = apps.get_model("goals", "HistoricalGoal")
    HistoryLink = apps.get_model("goals", "HistoricalGoal_perspectives")
    kf = Organisation.objects.create(code="KF", name="Kommunfullmäktige", kind="council")
    attraktivitet = Perspective.objects.create(name="Attraktivitet", description="Näringsliv.", position=3)
    hallbarhet = Perspective.objects.create(name=" Hållbarhet", description="Långsiktigt.", position=1)
    livskvalitet = Perspective.objects.create(name="Livskvalitet", description="För alla.", position=2)
    lower = Perspective.objects.create(name="livskvalitet", description="En dubblett.", position=4)
    for p in (attraktivitet, hallbarhet, livskvalitet, lower):
        HistoricalPerspective.objects.create(
            id=p.pk, name=p.name, description=p.description, position=p.position,
            history_date="2025-01-01T00:00:00Z", history_type="+",
        )  # fmt: skip
    first = Goal.objects.create(
        level_kind_id="council", title="Barnen", owner=kf, lft=1, rght=2, tree_id=1, level=0
    )
    second = Goal.objects.create(
        level_kind_id="council", title="Klimatet", owner=kf, lft=1, rght=2, tree_id=2, level=0
    )
    first.perspectives.set([attraktivitet, livskvalitet, hallbarhet])
    second.perspectives.set([lower])
    for goal, chosen in ((first, [livskvalitet, attraktivitet]), (second, [lower])):
        row = HistoricalGoal.objects.create(
            id=goal.pk, level_kind_id="council", title=goal.title, owner_id=kf.pk, position=0,
            history_date="2025-02-01T00:00:00Z", history_type="+",
        )  # fmt: skip
        for p in chosen:
            through = Goal.perspectives.through.objects.get(goal_id=goal.pk, perspective_id=p.pk)
            HistoryLink.objects.create(id=through.pk, history=row, goal_id=goal.pk, perspective_id=p.pk)
    return {
        "perspectives": list(
            Perspective.objects.order_by("pk").values_list("pk", "name", "description", "position")
        ),
        "links": sorted(Goal.perspectives.through.objects.values_list("goal_id", "perspective_id")),
        "history": sorted(HistoryLink.objects.values_list("history_id", "goal_id", "perspective_id")),
        "perspective_history": HistoricalPerspective.objects.count(),
        "ids": {p.name: p.pk for p in (attraktivitet, hallbarhet, livskvalitet, lower)},
        "goals": (first.pk, second.pk),
    }


def test_perspectives_become_categories_in_order_and_come_back(old_schema):
    before = _old_world(old_schema)
    ids = before["ids"]
    first, second = before["goals"]

    migrate(latest())

    category_set = CategorySet.objects.get()
    assert (category_set.key, category_set.name) == ("perspektiv", "Perspektiv")
    # Every perspective is a category with its own id; the one that differs only in case keeps its row.
    assert list(
        Category.objects.order_by("pk").values_list("pk", "set_id", "name", "description", "position")
    ) == [
        (ids["Attraktivitet"], category_set.pk, "Attraktivitet", "Näringsliv.", 3),
        (ids[" Hållbarhet"], category_set.pk, "Hållbarhet", "Långsiktigt.", 1),
        (ids["Livskvalitet"], category_set.pk, "Livskvalitet", "För alla.", 2),
        (ids["livskvalitet"], category_set.pk, "livskvalitet (2)", "En dubblett.", 4),
    ]
    # Each goal's categories in the perspectives' order (the order the pages showed).
    links = GoalCategory.objects.order_by("goal_id", "position")
    assert list(links.values_list("goal_id", "category_id", "position")) == [
        (first, ids[" Hållbarhet"], 0),
        (first, ids["Livskvalitet"], 1),
        (first, ids["Attraktivitet"], 2),
        (second, ids["livskvalitet"], 0),
    ]
    # The history moves along: the categories' own rows and each goal history row's categories.
    assert Category.history.count() == before["perspective_history"]
    kept = category_history_model().objects.order_by("history_id", "position")
    assert [(k.goal_id, k.category_id, k.position) for k in kept] == [
        (first, ids["Livskvalitet"], 0),
        (first, ids["Attraktivitet"], 1),
        (second, ids["livskvalitet"], 0),
    ]
    assert Goal.history.get(id=first).categories.count() == 2
    # New categories get new ids (the id sequence continues past the copied ones, also on PostgreSQL).
    assert Category.objects.create(set=category_set, name="Ny").pk > max(ids.values())

    old = migrate(BEFORE)
    Perspective = old.get_model("goals", "Perspective")
    OldGoal = old.get_model("goals", "Goal")
    HistoryLink = old.get_model("goals", "HistoricalGoal_perspectives")
    # Back again: the names as they were trimmed, every row and link as it was.
    restored = list(Perspective.objects.order_by("pk").values_list("pk", "name", "description", "position"))
    trimmed = [
        (pk, {"livskvalitet": "livskvalitet (2)"}.get(name, name.strip()), d, p)
        for pk, name, d, p in before["perspectives"]
    ]
    assert restored[:4] == trimmed and restored[4][1] == "Ny"  # a category made since is kept too
    assert (
        sorted(OldGoal.perspectives.through.objects.values_list("goal_id", "perspective_id"))
        == before["links"]
    )
    assert (
        sorted(HistoryLink.objects.values_list("history_id", "goal_id", "perspective_id"))
        == before["history"]
    )
    assert (
        old.get_model("goals", "HistoricalPerspective").objects.count() == before["perspective_history"] + 1
    )
    assert "categoryset" not in {m._meta.model_name for m in old.get_models()}


def test_an_installation_without_perspectives_gets_no_empty_set(old_schema):
    migrate(AFTER)
    assert not CategorySet.objects.exists()
