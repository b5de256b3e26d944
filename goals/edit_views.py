"""Writing the goal chain: goals, indicators with their yearly targets, and activities.

Every view loads its object through the user's scope (`permissions`): a logged-in user who may write
nothing gets 403, an object outside the user's reach 404. Goal writes go through `goals.tree`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from . import deletion, permissions, services, tree
from .forms import ActivityForm, GoalForm, GoalMoveForm, IndicatorForm, TargetFormSet, indicator_prefill
from .models import Goal, Indicator


def _add_errors(form, error):
    """Show a ValidationError from a service on the form, beside the field it names when the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _form_page(request, context):
    return render(request, "goals/edit_form.html", context)


@login_required
def goal_create(request, pk):
    """Add a sub-goal under a goal, at a level the styrmodell allows there (a choice among several)."""
    parent = permissions.parent_goal_or_404(request.user, pk)
    levels = permissions.child_levels_for(request.user, parent)
    if not levels:
        raise Http404
    instance = Goal(parent=parent, level_kind_id=levels[0].key)
    form = GoalForm(request.POST or None, user=request.user, level=levels, instance=instance)
    if form.is_valid():
        try:
            goal = tree.create_goal(parent=parent, level_kind=form.chosen_level(), **form.tree_fields())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The goal was added."))
            return redirect(goal)
    if len(levels) == 1:
        heading = _('New goal at the level "%(level)s"') % {"level": levels[0].name}
    else:
        heading = _("New goal under “%(title)s”") % {"title": parent.title}
    return _form_page(
        request,
        {"heading": heading, "context_goal": parent, "form": form, "back_url": parent.get_absolute_url()},
    )


@login_required
def goal_edit(request, pk):
    """Change a goal's own fields."""
    goal = permissions.writable_goal_or_404(request.user, pk)
    form = GoalForm(request.POST or None, user=request.user, level=goal.level_kind_id, instance=goal)
    if form.is_valid():
        if not form.has_changed():
            messages.info(request, _("Nothing was changed."))
            return redirect(goal)
        try:
            tree.update_goal(goal, **form.tree_fields())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The goal was saved."))
            return redirect(goal)
    return _form_page(
        request,
        {"heading": _("Edit goal"), "context_goal": goal, "form": form, "back_url": goal.get_absolute_url()},
    )


@login_required
def goal_move(request, pk):
    """Put a goal (with everything below it) under another parent, or at another place among its siblings."""
    goal = permissions.writable_goal_or_404(request.user, pk)
    form = GoalMoveForm(request.POST or None, user=request.user, goal=goal)
    if form.is_valid():
        try:
            tree.move_goal(goal, parent=form.cleaned_data.get("parent"), index=form.index())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The goal was moved."))
            return redirect(goal)
    siblings = list(Goal.objects.filter(parent_id=goal.parent_id).only("pk", "title").order_by("lft"))
    return render(
        request,
        "goals/goal_move.html",
        {"goal": goal, "form": form, "siblings": siblings, "back_url": goal.get_absolute_url()},
    )


@login_required
def goal_delete(request, pk):
    """Ask, naming everything that goes with it, then delete a goal."""
    goal = permissions.writable_goal_or_404(request.user, pk)
    back = goal.parent.get_absolute_url() if goal.parent_id else reverse("goals:tree")
    return _delete_page(request, goal, tree.delete_goal, back)


def _delete_page(request, obj, delete, back):
    reasons = deletion.deletion_blockers(obj)
    if request.method == "POST" and not reasons:
        try:
            delete(obj)
        except deletion.DeletionRefused as refused:
            reasons = refused.reasons
        else:
            messages.success(request, _("“%(name)s” was deleted.") % {"name": obj})
            return redirect(back)
    context = {
        "object": obj,
        "kind": obj._meta.verbose_name,
        "summary": deletion.deletion_summary(obj),
        "reasons": reasons,
        "back_url": obj.get_absolute_url(),
    }
    return render(
        request, "goals/confirm_delete.html", context, status=409 if request.method == "POST" else 200
    )


def _indicator_page(request, heading, form, targets, goal, prefill):
    context = {"heading": heading, "context_goal": goal, "form": form, "targets": targets}
    initial, rejected = prefill
    context |= {"prefilled_kpi": initial.get("kolada_kpi"), "prefill_rejected": rejected}
    return render(request, "goals/indicator_form.html", {**context, "back_url": goal.get_absolute_url()})


def _prefill(request):
    """A GET may carry the fields of a KPI chosen in the Kolada search; a POST carries what was typed."""
    return indicator_prefill(request.GET) if request.method == "GET" else ({}, [])


@login_required
def indicator_create(request, pk):
    """Add an indicator with its yearly targets to a goal."""
    goal = permissions.writable_goal_or_404(request.user, pk)
    prefill = _prefill(request)
    form = IndicatorForm(request.POST or None, user=request.user, goal=goal, initial=prefill[0])
    targets = TargetFormSet(request.POST or None, instance=Indicator(goal=goal), prefix="targets")
    if form.is_valid() and targets.is_valid():
        indicator = services.save_indicator(form, targets, goal=goal, by=request.user)
        messages.success(request, _("The indicator was added."))
        return redirect(indicator)
    return _indicator_page(request, _("New indicator"), form, targets, goal, prefill)


@login_required
def indicator_edit(request, pk):
    """Change an indicator and its yearly targets."""
    indicator = permissions.writable_indicator_or_404(request.user, pk)
    prefill = _prefill(request)
    form = IndicatorForm(
        request.POST or None, user=request.user, goal=indicator.goal, instance=indicator, initial=prefill[0]
    )
    targets = TargetFormSet(request.POST or None, instance=indicator, prefix="targets")
    if form.is_valid() and targets.is_valid():
        services.save_indicator(form, targets, by=request.user)
        messages.success(request, _("The indicator was saved."))
        return redirect(indicator)
    return _indicator_page(request, _("Edit indicator"), form, targets, indicator.goal, prefill)


@login_required
def indicator_delete(request, pk):
    indicator = permissions.writable_indicator_or_404(request.user, pk)
    return _delete_page(request, indicator, services.delete_indicator, indicator.goal)


@login_required
def activity_create(request, pk):
    """Add an activity to a goal."""
    goal = permissions.writable_goal_or_404(request.user, pk)
    form = ActivityForm(request.POST or None, user=request.user, goal=goal)
    if form.is_valid():
        services.save_activity(form, goal=goal)
        messages.success(request, _("The activity was added."))
        return redirect(goal)
    return _form_page(
        request,
        {
            "heading": _("New activity"),
            "context_goal": goal,
            "form": form,
            "back_url": goal.get_absolute_url(),
        },
    )


@login_required
def activity_edit(request, pk):
    activity = permissions.writable_activity_or_404(request.user, pk)
    form = ActivityForm(request.POST or None, user=request.user, goal=activity.goal, instance=activity)
    if form.is_valid():
        services.save_activity(form)
        messages.success(request, _("The activity was saved."))
        return redirect(activity.goal)
    context = {"heading": _("Edit activity"), "context_goal": activity.goal, "form": form}
    return _form_page(request, {**context, "back_url": activity.goal.get_absolute_url()})


@login_required
def activity_delete(request, pk):
    activity = permissions.writable_activity_or_404(request.user, pk)
    return _delete_page(request, activity, services.delete_activity, activity.goal)
