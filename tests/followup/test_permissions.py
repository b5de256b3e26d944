"""Permissions beyond the matrix (tests/test_permission_matrix.py runs tests/followup/matrix.py's rows)."""

import pytest
from django.urls import reverse

from tests.followup.matrix import ROWS


def row_id(row):
    return f"{row.method} {row.url_name}"


@pytest.mark.parametrize("row", ROWS, ids=row_id)
def test_logged_in_user_without_a_role_gets_403_except_on_public_pages(client, world, row):
    client.force_login(world.users["outsider"])
    before = row.unchanged(world) if row.unchanged else None
    url = reverse(row.url_name, args=row.args(world))
    data = row.data(world) if row.data else {}
    response = client.post(url, data) if row.method == "POST" else client.get(url, data)
    if row.expect["reader"] == 405:
        expected = 405  # the method is checked before anything else
    elif row.expect["anonymous"] == 200:
        expected = 200  # a public page
    else:
        expected = 403
    assert response.status_code == expected
    if row.unchanged is not None:
        assert row.unchanged(world) == before


@pytest.mark.parametrize("persona", ["editor_ks", "reader"])
def test_another_boards_editor_and_a_reader_cannot_reach_bn_pages_by_guessing(client, world, persona):
    """A BN object under a KS URL, or under the council's, is no way in: the judgements are there to read,
    not to write."""
    client.force_login(world.users[persona])
    expected = 404 if persona == "editor_ks" else 403
    assert client.get(reverse("followup:values", args=[world.period.pk, world.bn.pk])).status_code == expected
    post = {"judgement": "met", "analysis": "", "version": "0"}
    for goal in (world.bn_goal, world.overarching):
        url = reverse("followup:assessment", args=[world.period.pk, goal.pk])
        page = client.get(url)
        assert page.status_code == 200 and b'name="judgement"' not in page.content
        assert client.post(url, post).status_code == expected
    assert not world.bn_goal.assessments.exists()


def test_a_ks_value_cannot_be_slipped_into_the_bn_sheet(client, world):
    """The BN sheet only writes BN's indicators, whatever field names are posted."""
    client.force_login(world.users["editor_bn"])
    prefix = f"r{world.ks_indicator.pk}"
    data = {f"{prefix}-total": "99", f"initial-{prefix}-total": "", f"{prefix}-version": "0"}
    client.post(reverse("followup:values", args=[world.period.pk, world.bn.pk]), data)
    assert not world.ks_indicator.values.exists()
