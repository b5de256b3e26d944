"""Who may do what in the goal chain: plain predicates and querysets scoped to a user, built on the roles
`accounts.roles` reads from memberships. Every view, form and template asks here.

- reader: reads everything, changes nothing;
- editor: writes the goals, indicators, targets and activities of its organisation and of that
  organisation's parts;
- controller: writes the goals the council owns (in Nora the vision, the overarching goal and the KF
  goals) and the category sets, and runs the follow-up;
- admin: manages users, organisations and memberships, and may do all a controller may.

Loaders answer 404 for objects outside the user's scope (another board's goal is "not found", so nothing
leaks); views answer 403 first to a logged-in user who may write nothing at all.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from accounts.roles import (  # noqa: F401 - asked here by the goals' views
    Role,
    can_manage_users,
    can_read,
    is_admin,
    is_controller,
    organisations_with_role,
    require_admin,
)

from .chain import styrmodell
from .models import Activity, Assignment, Goal, Indicator, Organisation


def council_levels():
    """Keys of the levels whose goals the council owns: controllers write them (Nora: vision to KF goals)."""
    return styrmodell().council_keys()


def editable_organisation_ids(user):
    """Ids of the organisations whose goals the user may write (an editor's organisations and their parts)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_noramal_editable", None)
    if cached is not None:
        return cached
    if is_controller(user):
        cached = frozenset(Organisation.objects.values_list("pk", flat=True))
    else:
        cached = frozenset(with_parts(organisations_with_role(user, Role.EDITOR)))
    user._noramal_editable = cached
    return cached


def with_parts(roots, parents=None):
    """The organisations `roots` and their parts; `parents`: {id: parent id} of all, when read already."""
    if not roots:
        return set()
    if parents is None:
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
    rule = styrmodell().get(level)
    if rule is None or (rule.decided_by_council and not is_controller(user)):
        return Organisation.objects.none()
    kinds = rule.owner_kinds
    return Organisation.objects.filter(pk__in=editable_organisation_ids(user), kind__in=kinds)


def item_owners_for(user):
    """Organisations that may own an indicator or activity written by `user`."""
    if is_controller(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=editable_organisation_ids(user))


def can_edit_goal(user, goal):
    """May `user` change this goal, its indicators, targets and activities?"""
    if not user.is_authenticated:
        return False
    if goal.level_kind_id in council_levels():
        return is_controller(user)
    return is_controller(user) or goal.owner_id in editable_organisation_ids(user)


def can_edit_item(user, item):
    """May `user` change this indicator or activity? Its goal and its owner must both be within reach."""
    if not can_edit_goal(user, item.goal):
        return False
    return is_controller(user) or item.owner_id in editable_organisation_ids(user)


def can_add_child(user, parent):
    """May `user` add a goal under `parent`? Editors add their board's goals under any council goal."""
    if not user.is_authenticated or parent is None:
        return is_controller(user)
    return bool(child_levels_for(user, parent))


def child_levels_for(user, parent):
    """The levels of goal that `user` may add under `parent`, in the styrmodell's order.

    Controllers add any level the styrmodell allows there. Editors add their own organisations' goals:
    under a goal the council owns, and under a goal they may change.
    """
    levels = styrmodell().children_of(parent.level_kind_id)
    if is_controller(user):
        return levels
    if not user.is_authenticated or not (
        parent.level_kind_id in council_levels() or can_edit_goal(user, parent)
    ):
        return []
    return [rule for rule in levels if owners_for(user, rule.key).exists()]


def goals_for(user, *, write=False):
    """Goals the user may see (everyone sees every goal) or, with write=True, change."""
    goals = Goal.objects.all()
    if not write or is_controller(user):
        return goals
    return goals.filter(~Q(level_kind__in=council_levels()), owner_id__in=editable_organisation_ids(user))


def parents_for(user):
    """Goals under which the user may add (or move) a sub-goal."""
    model = styrmodell()
    goals = Goal.objects.filter(level_kind__in=model.parent_keys())
    if is_controller(user):
        return goals
    if not is_editor(user):
        return goals.none()
    council = model.council_keys()
    own = Q(pk__in=[])
    for key in model.parent_keys():
        writable = [rule for rule in model.children_of(key) if not rule.decided_by_council]
        if key not in council:
            own |= Q(level_kind=key, owner_id__in=editable_organisation_ids(user))
        elif any(owners_for(user, rule.key).exists() for rule in writable):
            own |= Q(level_kind=key)
    return goals.filter(own)


def move_targets_for(user, goal):
    """Goals that may become `goal`'s new parent: the level the chain asks for, within the user's reach."""
    rule = styrmodell().get(goal.level_kind_id)
    if rule is None or rule.is_root:
        return Goal.objects.none()
    return parents_for(user).filter(level_kind__in=rule.parents).exclude(pk=goal.pk)


def indicators_for(user, *, write=False):
    """Indicators the user may see or, with write=True, change (those of goals the user may change)."""
    indicators = Indicator.objects.all()
    if not write or is_controller(user):
        return indicators
    return indicators.filter(
        goal__in=goals_for(user, write=True), owner_id__in=editable_organisation_ids(user)
    )


def activities_for(user, *, write=False):
    """Activities the user may see or, with write=True, change."""
    activities = Activity.objects.all()
    if not write or is_controller(user):
        return activities
    return activities.filter(
        goal__in=goals_for(user, write=True), owner_id__in=editable_organisation_ids(user)
    )


def can_edit_categories(user):
    return is_controller(user)


def can_edit_assignments(user):
    """The council decides its assignments: controllers write them; the owner reports their status."""
    return is_controller(user)


# --- Guards for views: 403 for a user who may do none of this, 404 for an object out of reach --------


def require_reader(user):
    if not can_read(user):
        raise PermissionDenied


def require_writer(user):
    if not can_write(user):
        raise PermissionDenied


def require_controller(user):
    if not is_controller(user):
        raise PermissionDenied


def writable_goal_or_404(user, pk):
    require_writer(user)
    return get_object_or_404(goals_for(user, write=True).select_related("owner", "parent"), pk=pk)


def parent_goal_or_404(user, pk):
    require_writer(user)
    return get_object_or_404(parents_for(user).select_related("owner"), pk=pk)


def writable_indicator_or_404(user, pk):
    require_writer(user)
    return get_object_or_404(indicators_for(user, write=True).select_related("goal", "owner"), pk=pk)


def writable_assignment_or_404(user, pk):
    """An assignment to change or delete: 403 for anyone but a controller (the council decides them)."""
    if not can_edit_assignments(user):
        raise PermissionDenied
    return get_object_or_404(Assignment.objects.select_related("goal", "owner"), pk=pk)


def writable_activity_or_404(user, pk):
    require_writer(user)
    return get_object_or_404(activities_for(user, write=True).select_related("goal", "owner"), pk=pk)
