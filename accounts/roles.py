"""A user's roles, as memberships say them: the base every permission in goals and followup is built on.

Roles (a user may hold several memberships):
- reader: reads everything, changes nothing;
- editor: writes its organisation's part of the chain (goals.permissions says what that is);
- controller: runs the council's part of the chain and the follow-up;
- admin: manages users, organisations and memberships, and may do all a controller may.
Superusers count as admins.
"""

from django.core.exceptions import PermissionDenied

from .models import Membership

Role = Membership.Role


def role_pairs(user):
    """The user's (role, organisation id) pairs, read once per request and cached on the user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_noramal_roles", None)
    if cached is None:
        cached = frozenset(Membership.objects.filter(user=user).values_list("role", "organisation_id"))
        user._noramal_roles = cached
    return cached


def organisations_with_role(user, role):
    """Ids of the organisations in which the user holds `role` (not their parts)."""
    return {org for held, org in role_pairs(user) if held == role}


def is_admin(user):
    return user.is_authenticated and (user.is_superuser or any(r == Role.ADMIN for r, _ in role_pairs(user)))


def is_controller(user):
    """Controllers and admins run the council's part of the chain and the follow-up."""
    return is_admin(user) or any(r == Role.CONTROLLER for r, _ in role_pairs(user))


def can_read(user):
    """Logged-in users with any role (or superusers) read everything, including unpublished follow-up."""
    return user.is_authenticated and (user.is_superuser or bool(role_pairs(user)))


def can_manage_users(user):
    return is_admin(user)


def require_admin(user):
    if not is_admin(user):
        raise PermissionDenied
