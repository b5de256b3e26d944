"""The controllers' pages for the styrmodell: its levels, their names, owners, parents and headline."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import permissions, styrmodell
from .chain import kind_label
from .forms import GoalLevelForm
from .models import Goal, GoalLevel


@login_required
@require_safe
def levels(request):
    """The levels in order, with who owns their goals, where they sit and how many goals each has."""
    permissions.require_controller(request.user)
    rows = list(GoalLevel.objects.prefetch_related("parents"))
    counts = {}
    for key in Goal.objects.values_list("level_kind", flat=True):
        counts[key] = counts.get(key, 0) + 1
    for row in rows:
        row.goal_count = counts.get(row.key, 0)
        row.owner_labels = ", ".join(kind_label(kind) for kind in row.owner_kinds)
        row.parent_names = ", ".join(parent.name for parent in row.parents.all())
    return render(request, "goals/styrmodell.html", {"levels": rows})


@login_required
def level_create(request):
    permissions.require_controller(request.user)
    return _level_page(request, GoalLevel(), _("New goal level"))


@login_required
def level_edit(request, pk):
    permissions.require_controller(request.user)
    level = get_object_or_404(GoalLevel, pk=pk)
    return _level_page(request, level, _('Edit the level "%(level)s"') % {"level": level.name})


def _level_page(request, level, heading):
    form = GoalLevelForm(request.POST or None, instance=level)
    if form.is_valid():
        try:
            styrmodell.save_level(
                form.save(commit=False), parents=form.cleaned_data["parents"], user=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The styrmodell was saved."))
            return redirect("goals:styrmodell")
    context = {"heading": heading, "form": form, "back_url": reverse("goals:styrmodell"), "level": level}
    return render(request, "goals/level_form.html", context)


@login_required
def level_delete(request, pk):
    permissions.require_controller(request.user)
    level = get_object_or_404(GoalLevel, pk=pk)
    errors = []
    if request.method == "POST":
        try:
            styrmodell.delete_level(level, user=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _('The level "%(level)s" was deleted.') % {"level": level.name})
            return redirect("goals:styrmodell")
    return render(request, "goals/level_delete.html", {"level": level, "errors": errors})
