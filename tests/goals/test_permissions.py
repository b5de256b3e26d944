"""The predicates and scoped querysets in goals.permissions, persona by persona."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from accounts.models import Membership
from goals import permissions
from tests import factories
from tests.levels import Level

pytestmark = pytest.mark.django_db


def fresh(user):
    """The same user without the roles cached on the object, as a new request would see it."""
    return get_user_model().objects.get(pk=user.pk)


def test_editor_writes_own_boards_goals_only(world):
    editor = world.users["editor_bn"]
    assert permissions.can_edit_goal(editor, world.bn_goal)
    assert not permissions.can_edit_goal(editor, world.ks_goal)
    assert not permissions.can_edit_goal(editor, world.kf_goal)
    assert set(permissions.goals_for(editor, write=True)) == {world.bn_goal}
    assert set(permissions.indicators_for(editor, write=True)) == {world.bn_indicator}
    assert set(permissions.activities_for(editor, write=True)) == {world.bn_activity}
    assert permissions.can_add_child(editor, world.kf_goal)
    assert not permissions.can_add_child(editor, world.overarching)
    assert not permissions.can_add_child(editor, world.ks_goal)
    assert set(permissions.owners_for(editor, Level.BOARD)) == {world.bn}
    assert not permissions.owners_for(editor, Level.COUNCIL).exists()


def test_editor_of_a_unit_writes_its_goals_but_adds_no_board_goal(world):
    unit = factories.OrganisationFactory(code="BN-SKOLA", kind="unit", parent=world.bn)
    unit_goal = factories.goal(world.bn_goal, "Läsande klassrum", owner=unit)
    user = get_user_model().objects.create_user("rektor")
    Membership.objects.create(user=user, organisation=unit, role=Membership.Role.EDITOR)
    assert permissions.can_edit_goal(user, unit_goal)
    assert not permissions.can_edit_goal(user, world.bn_goal)
    assert not permissions.can_add_child(user, world.kf_goal)
    assert set(permissions.parents_for(user)) == set()
    # BN's editor reaches the goals of BN's parts as well.
    assert permissions.can_edit_goal(fresh(world.users["editor_bn"]), unit_goal)


def test_controller_and_admin_write_the_whole_chain(world):
    for persona in ("controller", "admin"):
        user = world.users[persona]
        assert all(permissions.can_edit_goal(user, g) for g in (world.vision, world.kf_goal, world.ks_goal))
        assert permissions.can_edit_categories(user)
    assert permissions.can_manage_users(world.users["admin"])
    assert not permissions.can_manage_users(world.users["controller"])


def test_reader_reads_and_writes_nothing(world):
    reader = world.users["reader"]
    assert permissions.can_read(reader)
    assert not permissions.can_write(reader)
    assert not permissions.can_edit_goal(reader, world.bn_goal)
    assert not permissions.goals_for(reader, write=True).exists()
    assert permissions.goals_for(reader).count() == 5


def test_superuser_without_memberships_counts_as_admin(db):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    assert permissions.is_admin(user) and permissions.is_controller(user) and permissions.can_read(user)


def test_anonymous_may_do_nothing_and_costs_no_query(world, django_assert_num_queries):
    anonymous = AnonymousUser()
    with django_assert_num_queries(0):
        assert not permissions.can_read(anonymous)
        assert not permissions.can_edit_goal(anonymous, world.bn_goal)
        assert not permissions.can_add_child(anonymous, world.kf_goal)
        assert not permissions.is_admin(anonymous)


def test_roles_are_read_once_per_user_object(world, django_assert_num_queries):
    editor = fresh(world.users["editor_bn"])
    with django_assert_num_queries(2):  # the roles, then the organisations' parents: both cached
        for goal in (world.bn_goal, world.ks_goal, world.bn_goal):
            permissions.can_edit_goal(editor, goal)
        permissions.is_controller(editor)
        permissions.editable_organisation_ids(editor)
