"""The "Ändringshistorik" pages: who changed a goal or an indicator, what and when."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from . import history, permissions
from .models import Goal, Indicator


@login_required
@require_safe
def goal_history(request, pk):
    """A goal's changes with those of its indicators and activities, newest first."""
    permissions.require_reader(request.user)
    goal = get_object_or_404(Goal.objects.select_related("owner"), pk=pk)
    context = {"subject": goal, "entries": history.goal_history(goal), "back_url": goal.get_absolute_url()}
    return render(request, "goals/history.html", context)


@login_required
@require_safe
def indicator_history(request, pk):
    """An indicator's changes with those of its yearly targets, newest first."""
    permissions.require_reader(request.user)
    indicator = get_object_or_404(Indicator.objects.select_related("goal"), pk=pk)
    context = {"subject": indicator, "entries": history.indicator_history(indicator)}
    return render(request, "goals/history.html", {**context, "back_url": indicator.get_absolute_url()})
