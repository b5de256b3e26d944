"""Writes beside the goal tree itself: indicators with targets, activities, perspectives, users and roles.

Goal creation, moves, edits and deletions go through `goals.tree`; every deletion asks `goals.deletion`.
Role changes are audit events as well as history rows, so that an auditor finds them in one list.
"""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from . import deletion, treecache
from .models import Activity, Indicator, Membership, record_event


def _next_position(queryset):
    last = queryset.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


@transaction.atomic
def save_indicator(form, targets, *, goal=None):
    """Save an indicator (new under `goal`, or changed) with its yearly targets."""
    indicator = form.save(commit=False)
    if goal is not None:
        indicator.goal = goal
        indicator.position = _next_position(Indicator.objects.filter(goal=goal))
    # An unchanged indicator is not saved again: its history gets a row only when something changed.
    if goal is not None or form.has_changed():
        indicator.save()
    targets.instance = indicator
    targets.save()
    treecache.changed()  # the tree shows each goal's number of indicators
    return indicator


@transaction.atomic
def delete_indicator(indicator):
    """Delete an indicator with its targets, unless a guard refuses."""
    deletion.refuse_if_blocked(indicator)
    indicator.delete()
    treecache.changed()


@transaction.atomic
def save_activity(form, *, goal=None):
    """Save an activity, new under `goal` or changed."""
    activity = form.save(commit=False)
    if goal is not None:
        activity.goal = goal
        activity.position = _next_position(Activity.objects.filter(goal=goal))
    if goal is not None or form.has_changed():
        activity.save()
    return activity


@transaction.atomic
def delete_activity(activity):
    """Delete an activity, unless a guard refuses."""
    deletion.refuse_if_blocked(activity)
    activity.delete()


def save_perspective(form):
    if not form.has_changed() and form.instance.pk is not None:
        return form.instance
    perspective = form.save()
    treecache.changed()  # the tree shows perspective names and filters by them
    return perspective


# --- Users and roles ----------------------------------------------------------------------------------


def _role_summary(membership):
    return _("%(user)s: %(role)s in %(organisation)s") % {
        "user": membership.user.get_username(),
        "role": membership.get_role_display(),
        "organisation": membership.organisation.code,
    }


@transaction.atomic
def grant_role(user, organisation, role, *, by):
    """Give `user` the role in `organisation`; return the membership and whether it is new."""
    membership, created = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    if created:
        record_event(
            "membership.grant", _("Role granted: %s") % _role_summary(membership), user=by, obj=membership
        )
    return membership, created


@transaction.atomic
def change_membership(membership, *, by):
    """Save a membership whose organisation or role was changed (the admin's edit form)."""
    before = Membership.objects.select_related("user", "organisation").get(pk=membership.pk)
    membership.save()
    summary = _("Role changed from %(before)s to %(after)s") % {
        "before": _role_summary(before),
        "after": _role_summary(membership),
    }
    record_event("membership.change", summary, user=by, obj=membership)


@transaction.atomic
def revoke_role(membership, *, by):
    """Take a role away; the audit event keeps what it was."""
    summary = _("Role revoked: %s") % _role_summary(membership)
    record_event("membership.revoke", summary, user=by, obj=membership)
    membership.delete()


@transaction.atomic
def create_user(form, *, by):
    """Create a login from a filled-in `UserCreateForm`."""
    user = form.save()
    record_event("user.create", _("User created: %s") % user.get_username(), user=by, obj=user)
    return user
