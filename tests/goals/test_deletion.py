"""Every path that deletes goals, indicators or activities asks the same deletion guards."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from followup.models import ActivityStatus, Assessment, IndicatorValue
from goals import goalfile, tree
from goals.deletion import DeletionRefused
from goals.models import Activity, Goal, Indicator, Target
from goals.treecheck import tree_violations
from tests.followup.world import build_world


@pytest.fixture
def world(db):
    """The follow-up world: BN's indicator has a value in an open and in a closed period."""
    return build_world()


@pytest.fixture
def superuser_client(client, db):
    client.force_login(User.objects.create_superuser("super", "super@example.org", "pw"))
    return client


def closed_status(world):
    return ActivityStatus.objects.create(
        activity=world.bn_activity, period=world.closed_period, status=ActivityStatus.Status.ONGOING
    )


def everything():
    """What a deletion could take: the chain and the follow-up that hangs on it."""
    return tuple(
        model.objects.count()
        for model in (Goal, Indicator, Target, Activity, IndicatorValue, Assessment, ActivityStatus)
    )


def test_the_tree_deletion_asks_the_guards(world):
    before = everything()
    with pytest.raises(DeletionRefused):
        tree.delete_goal(world.bn_goal)
    assert everything() == before


def test_admin_refuses_an_indicator_with_closed_values(world, superuser_client):
    before = everything()
    url = f"/admin/goals/indicator/{world.bn_indicator.pk}/delete/"
    response = superuser_client.post(url, {"post": "yes"})
    assert response.status_code == 403
    response = superuser_client.post(
        "/admin/goals/indicator/",
        {"action": "delete_selected", "_selected_action": [world.bn_indicator.pk], "post": "yes"},
    )
    assert everything() == before


def test_admin_refuses_an_activity_with_a_closed_status(world, superuser_client):
    closed_status(world)
    before = everything()
    url = f"/admin/goals/activity/{world.bn_activity.pk}/delete/"
    response = superuser_client.post(url, {"post": "yes"})
    assert response.status_code == 403
    superuser_client.post(
        "/admin/goals/activity/",
        {"action": "delete_selected", "_selected_action": [world.bn_activity.pk], "post": "yes"},
    )
    assert everything() == before


def test_admin_bulk_deletion_of_goals_goes_through_the_tree(world, superuser_client):
    """The admin's "delete selected" renumbers the siblings left behind, as every tree deletion does."""
    spare = [tree.create_goal(parent=world.kf_goal, title=f"Extra {n}", owner=world.bn) for n in range(3)]
    response = superuser_client.post(
        "/admin/goals/goal/",
        {"action": "delete_selected", "_selected_action": [spare[0].pk, world.ks_goal.pk], "post": "yes"},
    )
    assert response.status_code == 302
    children = Goal.objects.filter(parent=world.kf_goal).order_by("lft")
    assert list(children.values_list("position", flat=True)) == list(range(children.count()))
    assert not Goal.objects.filter(pk__in=[spare[0].pk, world.ks_goal.pk]).exists()
    assert tree_violations() == []


def test_replace_refuses_while_follow_up_exists_and_names_it(world, tmp_path):
    closed_status(world)
    path = tmp_path / "goals.json"
    path.write_text(goalfile.dumps(goalfile.export_document()), encoding="utf-8")
    before = everything()
    with translation.override("sv"), pytest.raises(CommandError) as error:
        call_command("import_goals", str(path), "--replace", stdout=StringIO())
    message = str(error.value)
    assert "Att ersätta målen skulle radera uppföljningen som hör till dem" in message
    assert "2 indikatorvärden" in message
    assert "1 bedömning" in message
    assert "1 aktivitetsstatus" in message
    assert everything() == before


def test_replace_refuses_even_open_period_follow_up(world, tmp_path):
    IndicatorValue.objects.filter(period=world.closed_period).delete()
    Assessment.objects.all().delete()
    path = tmp_path / "goals.json"
    path.write_text(goalfile.dumps(goalfile.export_document()), encoding="utf-8")
    before = everything()
    with pytest.raises(CommandError, match="1 indicator value"), translation.override("en"):
        call_command("import_goals", str(path), "--replace", stdout=StringIO())
    assert everything() == before


def test_replace_without_follow_up_swaps_the_tree(world, tmp_path):
    IndicatorValue.objects.all().delete()
    Assessment.objects.all().delete()
    path = tmp_path / "goals.json"
    path.write_text(goalfile.dumps(goalfile.export_document()), encoding="utf-8")
    old = set(Goal.objects.values_list("pk", flat=True))
    call_command("import_goals", str(path), "--replace", stdout=StringIO())
    assert Goal.objects.count() == len(old)
    assert not set(Goal.objects.values_list("pk", flat=True)) & old
    assert tree_violations() == []
