"""Who may do what: plain predicates and querysets scoped to a user. Every view, form and template asks here.

Roles (a user may hold several memberships):
- reader: reads everything, changes nothing;
- editor: writes the goals, indicators, targets and activities of its organisation and that organisation's parts;
- controller: writes the vision, the overarching goal, council goals and perspectives, and runs the follow-up;
- admin: manages users, organisations and memberships, and may do all a controller may.
Superusers count as admins.
"""

from django.db.models import Q

from .models import Goal, Level, Membership, Organisation

COUNCIL_LEVELS = {Level.VISION, Level.OVERARCHING, Level.COUNCIL}


def _roles(user):
    """The user's (role, organisation id) pairs, read once per request and cached on the user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_noramal_roles", None)
    if cached is None:
        cached = frozenset(Membership.objects.filter(user=user).values_list("role", "organisation_id"))
        user._noramal_roles = cached
    return cached


def is_admin(user):
    return user.is_authenticated and (user.is_superuser or any(r == Membership.Role.ADMIN for r, _ in _roles(user)))


def is_controller(user):
    """Controllers and admins run the council's part of the chain and the follow-up."""
    return is_admin(user) or any(r == Membership.Role.CONTROLLER for r, _ in _roles(user))


def can_read(user):
    """Logged-in users with any role (or superusers) read everything, including unpublished follow-up."""
    return user.is_authenticated and (user.is_superuser or bool(_roles(user)))


def editable_organisation_ids(user):
    """Ids of the organisations whose goals the user may write (an editor's organisations and their parts)."""
    if is_controller(user):
        return set(Organisation.objects.values_list("pk", flat=True))
    roots = {org for role, org in _roles(user) if role == Membership.Role.EDITOR}
    if not roots:
        return set()
    parents = dict(Organisation.objects.values_list("pk", "parent_id"))
    allowed = set()
    for org in parents:
        node, seen = org, set()
        while node is not None and node not in seen:
            if node in roots:
                allowed.add(org)
                break
            seen.add(node)
            node = parents.get(node)
    return allowed


def is_editor(user):
    return bool(editable_organisation_ids(user))


def can_write(user):
    """True when the user may write anything at all (editors, controllers, admins)."""
    return is_controller(user) or is_editor(user)


def owners_for(user, level):
    """Organisations that may own a goal of `level` written by `user`."""
    if level in COUNCIL_LEVELS:
        return Organisation.objects.filter(kind=Organisation.Kind.COUNCIL) if is_controller(user) else Organisation.objects.none()
    return Organisation.objects.filter(pk__in=editable_organisation_ids(user))


def can_edit_goal(user, goal):
    """May `user` change this goal, its indicators, targets and activities?"""
    if goal.level_kind in COUNCIL_LEVELS:
        return is_controller(user)
    return is_controller(user) or goal.owner_id in editable_organisation_ids(user)


def can_add_child(user, parent):
    """May `user` add a goal under `parent`? Editors add their board's goals under any council goal."""
    if parent is None or parent.level_kind in (Level.VISION,):
        return is_controller(user)
    if parent.level_kind == Level.OVERARCHING:
        return is_controller(user)
    if parent.level_kind == Level.COUNCIL:
        return can_write(user)
    return can_edit_goal(user, parent)


def goals_for(user, *, write=False):
    """Goals the user may see (everyone sees every goal) or, with write=True, change."""
    goals = Goal.objects.all()
    if not write or is_controller(user):
        return goals
    return goals.filter(~Q(level_kind__in=COUNCIL_LEVELS), owner_id__in=editable_organisation_ids(user))
