import pytest
from django.contrib.auth.models import User

from goals.models import Goal
from goals.treecheck import tree_violations


@pytest.fixture
def admin_client_logged_in(client, db):
    user = User.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(user)
    return client


def form_data(goal, **changes):
    data = {
        "parent": goal.parent_id or "",
        "position": goal.position,
        "level_kind": goal.level_kind_id,
        "title": goal.title,
        "description": goal.description,
        "owner": goal.owner_id,
        "decision": goal.decision,
        "valid_from": goal.valid_from or "",
        "valid_to": goal.valid_to or "",
        "chosen_categories": [],
    }
    data.update(changes)
    return data


def test_admin_adds_board_goal_through_tree_service(admin_client_logged_in, small_chain, bn):
    kf1 = Goal.objects.get(title="KF-mål 1")
    template = Goal(parent=kf1, level_kind_id="board", title="Från admin", owner=bn, position=0)
    response = admin_client_logged_in.post("/admin/goals/goal/add/", form_data(template))
    assert response.status_code == 302
    assert list(Goal.objects.get(pk=kf1.pk).get_children().values_list("title", flat=True)) == [
        "Från admin",
        "Nämndmål 1.1",
        "Nämndmål 1.2",
    ]
    assert tree_violations() == []


def test_admin_refuses_board_goal_owned_by_council(admin_client_logged_in, small_chain, council):
    kf1 = Goal.objects.get(title="KF-mål 1")
    template = Goal(parent=kf1, level_kind_id="board", title="Fel ägare", owner=council, position=0)
    response = admin_client_logged_in.post("/admin/goals/goal/add/", form_data(template))
    assert response.status_code == 200
    assert not Goal.objects.filter(title="Fel ägare").exists()


def test_admin_moves_goal_to_other_parent(admin_client_logged_in, small_chain):
    goal = Goal.objects.get(title="Nämndmål 1.1")
    kf2 = Goal.objects.get(title="KF-mål 2")
    response = admin_client_logged_in.post(
        f"/admin/goals/goal/{goal.pk}/change/", form_data(goal, parent=kf2.pk, position=5, title="Flyttat")
    )
    assert response.status_code == 302
    moved = Goal.objects.get(pk=goal.pk)
    assert (moved.parent_id, moved.title) == (kf2.pk, "Flyttat")
    assert list(Goal.objects.get(pk=kf2.pk).get_children().values_list("title", flat=True))[-1] == "Flyttat"
    assert tree_violations() == []


def test_admin_bulk_delete_keeps_tree_sound(admin_client_logged_in, small_chain):
    ids = list(
        Goal.objects.filter(title__in=["KF-mål 1", "Nämndmål 1.1", "Nämndmål 2.2"]).values_list(
            "pk", flat=True
        )
    )
    response = admin_client_logged_in.post(
        "/admin/goals/goal/", {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
    )
    assert response.status_code == 302
    assert sorted(Goal.objects.values_list("title", flat=True)) == [
        "13 000 invånare år 2030",
        "KF-mål 2",
        "Nämndmål 2.1",
        "Vision",
    ]
    assert tree_violations() == []
