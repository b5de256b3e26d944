"""An editor of the council (a Membership with role editor on the council itself, not controller).

The council is every board's parent organisation, and an editor writes "its organisation and that
organisation's parts" (goals/permissions.py): so the council's editor writes every board's and unit's
goals, indicators, targets and activities — but the council's own part of the chain (the vision, the
overarching goal, the council goals and what hangs on them) and the category sets stay the controllers'.
In the matrix's terms: the council's editor may do what the editor of any board may, and no more.
"""

import pytest
from django.shortcuts import resolve_url

from accounts.models import Membership
from goals import permissions
from goals.models import Organisation
from tests.goals import matrix
from tests.levels import Level
from tests.matrix import Redirect, make_user
from tests.test_permission_matrix import prepare, row_id, send

# From the most to the least a request may achieve: wrote, showed the form again, refused as a conflict,
# not found, forbidden.
OUTCOMES = (302, 200, 409, 405, 404, 403)


def status(expected):
    return 302 if isinstance(expected, Redirect) else expected


def as_any_board_editor(row):
    """What the council's editor must get: the better of what BN's and KS's editors get."""
    return min((row.expect["editor_bn"], row.expect["editor_ks"]), key=lambda e: OUTCOMES.index(status(e)))


@pytest.fixture
def world(world):
    matrix.extend(world)
    world.users["editor_kf"] = make_user("editor_kf", Membership.Role.EDITOR, world.council)
    return world


def test_the_council_editor_writes_every_board_but_not_the_council_part(world):
    user = world.users["editor_kf"]
    assert not permissions.is_controller(user)
    assert set(permissions.editable_organisation_ids(user)) == set(
        Organisation.objects.values_list("pk", flat=True)
    )
    for goal in (world.vision, world.overarching, world.kf_goal):
        assert not permissions.can_edit_goal(user, goal)
    assert permissions.can_edit_goal(user, world.bn_goal) and permissions.can_edit_goal(user, world.ks_goal)
    assert permissions.can_edit_item(user, world.bn_indicator)
    assert permissions.can_edit_item(user, world.ks_activity)
    assert permissions.can_add_child(user, world.kf_goal)
    assert not permissions.can_add_child(user, world.overarching)
    assert not permissions.owners_for(user, Level.COUNCIL).exists()
    assert set(permissions.owners_for(user, Level.BOARD)) == {world.bn, world.ks}
    assert not permissions.can_edit_categories(user)
    assert not permissions.can_manage_users(user)


@pytest.mark.parametrize("row", matrix.ROWS, ids=row_id)
def test_the_council_editor_in_the_goal_matrix(client, world, row):
    url, data = prepare(client, world, row, "editor_kf")
    before = row.unchanged(world) if row.unchanged else None
    response = send(client, row, url, data)
    expected = as_any_board_editor(row)
    assert response.status_code == status(expected), f"{row_id(row)} answered {response.status_code}"
    target = resolve_url(expected.to) if isinstance(expected, Redirect) else None
    if target is not None:
        assert response.url.split("?")[0] == target
    if row.unchanged is not None:
        assert (row.unchanged(world) != before) is (status(expected) == 302 and target is None)
