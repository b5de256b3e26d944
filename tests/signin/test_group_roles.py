"""The group → role mapping re-applied: only memberships single sign-on granted are taken away."""

import pytest
from django.contrib.auth import get_user_model

from accounts.models import AuditEvent, Membership
from accounts.services import grant_role
from signin.models import GroupRoleMapping, ManagedMembership
from signin.roles import apply_group_roles, groups_from
from tests import factories

pytestmark = pytest.mark.django_db

EDITOR, READER = Membership.Role.EDITOR, Membership.Role.READER


@pytest.fixture
def kari():
    return get_user_model().objects.create_user("kari")


def roles(user):
    return set(Membership.objects.filter(user=user).values_list("organisation__code", "role"))


def test_groups_may_come_as_a_list_or_one_string():
    assert groups_from(["A", " B ", ""]) == {"A", "B"}
    assert groups_from("A") == {"A"}
    assert groups_from(None) == set()


def test_a_role_the_user_holds_by_hand_is_not_taken_over_nor_away(bn, kari):
    admin = get_user_model().objects.create_superuser("admin")
    grant_role(kari, bn, EDITOR, by=admin)
    GroupRoleMapping.objects.create(group="NORA-BN-redaktor", organisation=bn, role=EDITOR)

    assert apply_group_roles(kari, ["NORA-BN-redaktor"]) == (0, 0)
    assert not ManagedMembership.objects.exists()
    assert apply_group_roles(kari, []) == (0, 0)
    assert roles(kari) == {("BN", "editor")}


def test_two_groups_giving_the_same_role_give_it_once_and_it_stays_while_one_remains(bn, kari):
    GroupRoleMapping.objects.create(group="NORA-BN-redaktor", organisation=bn, role=EDITOR)
    GroupRoleMapping.objects.create(group="NORA-BN-alla", organisation=bn, role=EDITOR)
    GroupRoleMapping.objects.create(group="NORA-BN-alla", organisation=bn, role=READER)

    assert apply_group_roles(kari, ["NORA-BN-redaktor", "NORA-BN-alla"]) == (2, 0)
    assert apply_group_roles(kari, ["NORA-BN-redaktor"]) == (0, 1)
    assert roles(kari) == {("BN", "editor")}
    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True)) == [
        "membership.grant",
        "membership.grant",
        "membership.revoke",
    ]


def test_a_role_revoked_by_hand_comes_back_at_the_next_sign_in(bn, kari):
    GroupRoleMapping.objects.create(group="NORA-BN-redaktor", organisation=bn, role=EDITOR)
    apply_group_roles(kari, ["NORA-BN-redaktor"])
    Membership.objects.get(user=kari).delete()
    assert not ManagedMembership.objects.exists()
    assert apply_group_roles(kari, ["NORA-BN-redaktor"]) == (1, 0)


def test_a_mapping_for_another_board_gives_nothing_here(bn, kari):
    ks = factories.board("KS", "Kommunstyrelsen")
    GroupRoleMapping.objects.create(group="NORA-KS-redaktor", organisation=ks, role=EDITOR)
    apply_group_roles(kari, ["NORA-BN-redaktor"])
    assert roles(kari) == set()
