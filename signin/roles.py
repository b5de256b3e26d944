"""Roles from the identity provider's groups, re-applied at each sign-in through the role services."""

from django.db import transaction

from .goalsapi import Organisation, grant_role, revoke_role
from .models import GroupRoleMapping, ManagedMembership


def groups_from(value):
    """The group names in a claim or attribute: a list, or one string (some providers send a single group)."""
    if value is None:
        return set()
    if isinstance(value, str):
        value = [value]
    return {str(group).strip() for group in value if str(group).strip()}


@transaction.atomic
def apply_group_roles(user, groups):
    """Make the user's single-sign-on memberships match `groups`; return (granted, revoked) counts.

    Each grant and revocation is an audit event (through grant_role/revoke_role). A membership granted by
    hand is left alone: if a group gives a role the user already holds by hand, it stays a hand-granted one.
    """
    wanted = set(
        GroupRoleMapping.objects.filter(group__in=groups_from(groups)).values_list("organisation_id", "role")
    )
    managed = {
        (m.membership.organisation_id, m.membership.role): m.membership
        for m in ManagedMembership.objects.filter(membership__user=user).select_related(
            "membership__organisation", "membership__user"
        )
    }
    granted = revoked = 0
    for organisation_id, role in sorted(wanted - managed.keys()):
        organisation = Organisation.objects.get(pk=organisation_id)
        membership, created = grant_role(user, organisation, role, by=None)
        if created:
            ManagedMembership.objects.create(membership=membership)
            granted += 1
    for key in sorted(managed.keys() - wanted):
        revoke_role(managed[key], by=None)
        revoked += 1
    return granted, revoked
