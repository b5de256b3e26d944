"""Writes beside the goal tree itself: indicators with targets and categories, and activities.

Goal creation, moves, edits and deletions go through `goals.tree`; every deletion asks `goals.deletion`.
Users and their roles: `accounts.services`.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from . import categories, deletion, treecache
from .models import Activity, Indicator
from .targets import formset_target_errors


def _next_position(queryset):
    last = queryset.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


@transaction.atomic
def save_targets(targets, *, by=None):
    """Save a formset of an indicator's targets under the rule of `goals.targets.target_write_errors`: none
    of a closed year changes, a decided one changes only with a reason and a decision. Records who changed
    what and when; refuses everything, with every message, when any write is refused."""
    errors = formset_target_errors(targets)
    if errors:
        raise ValidationError([message for _form, _field, message in errors])
    now = timezone.now()
    for form in targets.forms:
        if form.instance.pk and (form.has_changed() or targets._should_delete_form(form)):
            form.instance.changed_at = now
            form.instance.changed_by = by if by is not None and by.is_authenticated else None
    return targets.save()


@transaction.atomic
def save_indicator(form, targets, *, goal=None, by=None):
    """Save an indicator (new under `goal`, or changed) with its yearly targets (see `save_targets`)."""
    indicator = form.save(commit=False)
    if goal is not None:
        indicator.goal = goal
        indicator.position = _next_position(Indicator.objects.filter(goal=goal))
    # An unchanged indicator is not saved again: its history gets a row only when something changed.
    if goal is not None or form.has_changed():
        indicator.save()
    targets.instance = indicator
    save_targets(targets, by=by)
    if goal is not None or form.categories_changed():
        categories.link(indicator, form.chosen_categories())
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
