import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from goals import tree
from goals.deletion import DeletionRefused
from goals.models import Goal
from goals.treecheck import tree_violations
from tests import factories
from tests.levels import Level


def titles_under(goal):
    return list(Goal.objects.get(pk=goal.pk).get_children().values_list("title", flat=True))


def test_created_goals_follow_the_chain_and_keep_order(small_chain):
    overarching = small_chain.get_children().get()
    kf1, kf2 = overarching.get_children()
    assert overarching.level_kind_id == Level.OVERARCHING
    assert [kf1.level_kind_id, kf2.level_kind_id] == [Level.COUNCIL, Level.COUNCIL]
    assert titles_under(kf1) == ["Nämndmål 1.1", "Nämndmål 1.2"]
    assert tree_violations() == []


def test_create_at_index_places_goal_between_siblings(small_chain, bn):
    kf1 = Goal.objects.get(title="KF-mål 1")
    tree.create_goal(parent=kf1, title="Först", owner=bn, index=0)
    tree.create_goal(parent=kf1, title="Mitten", owner=bn, index=2)
    assert titles_under(kf1) == ["Först", "Nämndmål 1.1", "Mitten", "Nämndmål 1.2"]
    assert tree_violations() == []


def test_board_goal_owned_by_council_is_refused(small_chain, council):
    kf1 = Goal.objects.get(title="KF-mål 1")
    with pytest.raises(ValidationError) as error:
        tree.create_goal(parent=kf1, title="Fel ägare", owner=council)
    assert "owner" in error.value.message_dict
    assert not Goal.objects.filter(title="Fel ägare").exists()


def test_council_goal_directly_under_vision_is_refused(small_chain, council):
    with pytest.raises(ValidationError) as error:
        tree.create_goal(parent=small_chain, title="Hoppar över", owner=council, level_kind=Level.COUNCIL)
    assert "Övergripande mål" in " ".join(error.value.message_dict["parent"])
    assert not Goal.objects.filter(title="Hoppar över").exists()


def test_move_board_goal_to_other_council_goal(small_chain):
    goal = Goal.objects.get(title="Nämndmål 1.1")
    kf2 = Goal.objects.get(title="KF-mål 2")
    tree.move_goal(goal, parent=kf2, index=0)
    assert titles_under(kf2) == ["Nämndmål 1.1", "Nämndmål 2.1", "Nämndmål 2.2"]
    assert titles_under(Goal.objects.get(title="KF-mål 1")) == ["Nämndmål 1.2"]
    assert tree_violations() == []


def test_reorder_within_parent(small_chain):
    kf1 = Goal.objects.get(title="KF-mål 1")
    tree.move_goal(Goal.objects.get(title="Nämndmål 1.2"), parent=kf1, index=0)
    assert titles_under(kf1) == ["Nämndmål 1.2", "Nämndmål 1.1"]
    tree.move_goal(Goal.objects.get(title="Nämndmål 1.2"), parent=kf1)
    assert titles_under(kf1) == ["Nämndmål 1.1", "Nämndmål 1.2"]
    assert tree_violations() == []


def test_move_board_goal_under_board_goal_is_refused(small_chain):
    goal = Goal.objects.get(title="Nämndmål 1.1")
    with pytest.raises(ValidationError):
        tree.move_goal(goal, parent=Goal.objects.get(title="Nämndmål 1.2"))
    assert Goal.objects.get(pk=goal.pk).parent.title == "KF-mål 1"


def test_move_under_own_descendant_is_refused(small_chain):
    kf1 = Goal.objects.get(title="KF-mål 1")
    with pytest.raises(ValidationError):
        tree.move_goal(kf1, parent=Goal.objects.get(title="Nämndmål 1.1"))
    assert tree_violations() == []


def test_delete_goal_takes_subtree_and_keeps_tree_sound(small_chain):
    kf1 = Goal.objects.get(title="KF-mål 1")
    assert tree.delete_goal(kf1) == 3
    assert not Goal.objects.filter(title__startswith="Nämndmål 1.").exists()
    assert tree_violations() == []


def test_the_vision_is_not_deleted_goal_by_goal(small_chain):
    with pytest.raises(DeletionRefused, match="Målkedjans översta mål"):
        tree.delete_goal(small_chain)
    assert Goal.objects.count() == 8


def test_bulk_created_tree_is_numbered_like_a_grown_one(small_chain, bn):
    council = small_chain.owner

    def goal(title, level, owner=council):
        return Goal(title=title, level_kind_id=level, owner=owner)

    unit_goals = [(goal(f"Enhetsmål {n}", Level.UNIT, bn), []) for n in range(3)]
    root = (
        goal("Ny vision", Level.VISION),
        [
            (
                goal("Övergripande", Level.OVERARCHING),
                [(goal("KF-mål", Level.COUNCIL), [(goal("Nämndmål", Level.BOARD, bn), unit_goals)])],
            )
        ],
    )
    goals = tree.bulk_create_tree(root)
    assert [g.level for g in goals] == [0, 1, 2, 3, 4, 4, 4]
    assert tree_violations() == []
    vision = Goal.objects.get(title="Ny vision")
    assert vision.tree_id == small_chain.tree_id + 1
    assert vision.get_descendant_count() == 6
    board_goal = Goal.objects.get(title="Nämndmål")
    assert list(board_goal.get_children().values_list("title", "position")) == [
        ("Enhetsmål 0", 0),
        ("Enhetsmål 1", 1),
        ("Enhetsmål 2", 2),
    ]
    # The bulk tree takes moves and deletions like any other.
    tree.delete_goal(Goal.objects.get(title="Enhetsmål 0"))
    assert list(board_goal.get_children().values_list("position", flat=True)) == [0, 1]
    assert tree_violations() == []


def test_update_goal_changes_fields_not_place(small_chain):
    goal = Goal.objects.get(title="Nämndmål 1.1")
    before = (goal.lft, goal.rght, goal.tree_id)
    tree.update_goal(goal, title="Nytt namn", decision="BN § 12 2024-02-01")
    goal = Goal.objects.get(pk=goal.pk)
    assert (goal.title, goal.decision) == ("Nytt namn", "BN § 12 2024-02-01")
    assert (goal.lft, goal.rght, goal.tree_id) == before


def test_update_with_stale_instance_does_not_overwrite_tree_fields(small_chain, bn):
    stale = Goal.objects.get(title="Nämndmål 1.2")
    kf1 = Goal.objects.get(title="KF-mål 1")
    tree.create_goal(parent=kf1, title="Ny först", owner=bn, index=0)
    tree.update_goal(stale, title="Omdöpt")
    assert tree_violations() == []


def test_check_goal_tree_passes_on_sound_tree(small_chain, capsys):
    call_command("check_goal_tree")
    assert "Målträdet är helt." in capsys.readouterr().out


def test_check_goal_tree_reports_corruption(small_chain):
    victim = Goal.objects.get(title="Nämndmål 2.1")
    # Corrupt on purpose, as a concurrent writer would: overlap the previous sibling's interval.
    Goal.objects.filter(pk=victim.pk).update(lft=victim.lft - 1)
    with pytest.raises(CommandError, match="Målträdet är trasigt: antal fel"):
        call_command("check_goal_tree")
    problems = tree_violations()
    assert any("Nämndmål 2.1" in p for p in problems)
    assert any("exakt en gång vardera" in p for p in problems)


def test_check_goal_tree_reports_wrong_level(small_chain):
    victim = Goal.objects.get(title="Nämndmål 1.1")
    Goal.objects.filter(pk=victim.pk).update(level=7)
    assert any("har nivå 7" in p for p in tree_violations())


def test_check_goal_tree_reports_second_root_in_tree(small_chain):
    kf1 = Goal.objects.get(title="KF-mål 1")
    Goal.objects.filter(pk=kf1.pk).update(parent=None)
    problems = tree_violations()
    assert any("har 2 rötter" in p for p in problems)


def test_factory_chain_shape(db, bn):
    vision = factories.chain(council_goals=3, board_goals_each=1)
    assert vision.get_descendant_count() == 1 + 3 + 3


def test_a_batch_of_writes_leaves_the_same_sound_tree_as_one_write_at_a_time(small_chain, bn):
    """`tree.batched` computes the tree fields once at the end: the tree the writes one by one give."""
    kf1, kf2 = Goal.objects.get(title="KF-mål 1"), Goal.objects.get(title="KF-mål 2")
    with tree.batched():
        tree.create_goal(parent=kf1, title="Först", owner=bn, index=0)
        tree.move_goal(Goal.objects.get(title="Nämndmål 1.2"), parent=kf2, index=1)
        tree.delete_goal(Goal.objects.get(title="Nämndmål 2.2"))
        with pytest.raises(ValidationError):  # a goal under its own sub-goal: refused inside a batch too
            tree.move_goal(kf1, parent=Goal.objects.get(title="Först"))
    assert tree_violations() == []
    assert titles_under(kf1) == ["Först", "Nämndmål 1.1"]
    assert titles_under(kf2) == ["Nämndmål 2.1", "Nämndmål 1.2"]
    order = list(Goal.objects.in_tree_order().values_list("title", flat=True))
    assert (
        order.index("KF-mål 1") < order.index("Först") < order.index("Nämndmål 1.1") < order.index("KF-mål 2")
    )
    assert tree.rebuild_tree_fields() == 0  # nothing left to put right
