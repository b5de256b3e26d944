"""Writes beside the goal tree itself: indicators with targets, activities, perspectives, users and roles.

Goal creation, moves, edits and deletions go through `goals.tree`. Role changes are audit events as well as
history rows, so that an auditor finds them in one list.
"""

from collections import Counter

from django.contrib.admin.utils import NestedObjects
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from . import tree, treecache
from .models import Activity, Goal, Indicator, Membership, record_event

# Callables `guard(objects_by_model) -> list of reasons` that other apps register (in AppConfig.ready) to
# refuse a deletion that would take rows they must keep, e.g. values of a closed period. Goals never
# imports those apps: they come to it.
DELETION_GUARDS = []


class DeletionRefused(Exception):
    """The deletion would take along something that must not change."""

    def __init__(self, reasons):
        super().__init__("; ".join(str(r) for r in reasons))
        self.reasons = reasons


def _collected(obj):
    collector = NestedObjects(using=DEFAULT_DB_ALIAS)
    collector.collect([obj])
    return collector.model_objs


def deletion_summary(obj):
    """What deleting `obj` takes along, one dict (model, label, count) per kind of row except `obj` itself.

    Counted from Django's own deletion collector, so that rows of apps goals knows nothing of (indicator
    values, assessments) are named too.
    """
    counts = Counter()
    for model, objects in _collected(obj).items():
        if model._meta.auto_created:  # the rows that link goals and perspectives
            continue
        counts[model] += len(objects) - (1 if model is type(obj) else 0)
    return [
        {
            "model": model._meta.label_lower,
            "label": str(model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural),
            "count": count,
        }
        for model, count in sorted(counts.items(), key=lambda item: item[0]._meta.label)
        if count
    ]


def deletion_blockers(obj):
    """Why `obj` cannot be deleted (the chain's own rule, then the registered guards); empty when it can."""
    reasons = []
    if isinstance(obj, Goal) and obj.parent_id is None:
        # Deleting the vision takes the whole chain: that is an import with --replace, not a click.
        reasons.append(_("The top of the goal chain cannot be deleted here."))
    if DELETION_GUARDS:
        collected = _collected(obj)
        reasons += [reason for guard in DELETION_GUARDS for reason in guard(collected)]
    return reasons


def delete_goal(goal):
    """Delete a goal with everything below it, unless a guard refuses; return how many goals went."""
    # The guards run in the same locked transaction as the deletion, so what they allowed still holds.
    with tree.locked_tree():
        reasons = deletion_blockers(goal)
        if reasons:
            raise DeletionRefused(reasons)
        return tree.delete_goal(goal)


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
    reasons = deletion_blockers(indicator)
    if reasons:
        raise DeletionRefused(reasons)
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
    reasons = deletion_blockers(activity)
    if reasons:
        raise DeletionRefused(reasons)
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
