"""Deleting parts of the goal chain must not take closed follow-up data along."""

import pytest

from followup.models import IndicatorValue
from goals import services, tree
from goals.deletion import DeletionRefused
from goals.models import Goal, Indicator


def test_goal_with_values_in_a_closed_period_cannot_be_deleted(world, as_persona):
    client = as_persona("editor_bn")
    response = client.post(f"/mal/{world.bn_goal.pk}/ta-bort/")
    assert response.status_code == 409
    assert Goal.objects.filter(pk=world.bn_goal.pk).exists()
    assert IndicatorValue.objects.filter(period=world.closed_period).count() == 1
    assert str(world.closed_period.year) in response.content.decode()


def test_indicator_with_closed_values_cannot_be_deleted_by_service(world):
    with pytest.raises(DeletionRefused):
        services.delete_indicator(world.bn_indicator)
    assert Indicator.objects.filter(pk=world.bn_indicator.pk).exists()


def test_goal_with_only_open_period_values_can_be_deleted(world):
    IndicatorValue.objects.filter(period=world.closed_period).delete()
    tree.delete_goal(world.bn_goal)
    assert not Goal.objects.filter(pk=world.bn_goal.pk).exists()
    assert not IndicatorValue.objects.filter(pk=world.bn_value.pk).exists()


def test_admin_offers_no_deletion_of_a_goal_with_closed_values(world, client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("super", "super@example.org", "pw"))
    response = client.post(f"/admin/goals/goal/{world.bn_goal.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Goal.objects.filter(pk=world.bn_goal.pk).exists()
