"""The council's assignments: the public list, and the controllers' pages that write them.

The owner reports an assignment's status on the follow-up pages (`followup.views.entry.assignments`).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import assignments, permissions
from .edit_views import _add_errors, _delete_page, _form_page
from .forms import AssignmentForm
from .models import Assignment, Goal, Organisation


@require_safe
def assignment_list(request):
    """Every assignment by its owner, or one organisation's (?org=CODE), with its goal if any."""
    owners = list(Organisation.objects.filter(assignments__isnull=False).distinct())
    code = (request.GET.get("org") or "").strip().upper()
    chosen = next((o for o in owners if o.code == code), None)
    rows = Assignment.objects.select_related("owner", "goal").order_by("due_date", "position", "pk")
    if chosen is not None:
        rows = rows.filter(owner=chosen)
    groups = {}
    for assignment in rows:
        groups.setdefault(assignment.owner, []).append(assignment)
    ordered = sorted(groups.items(), key=lambda item: (item[0].position, item[0].code))
    context = {
        "groups": ordered,
        "owners": owners,
        "chosen": chosen,
        "can_edit": permissions.can_edit_assignments(request.user),
    }
    return render(request, "goals/assignment_list.html", context)


def _require_editor(user):
    if not permissions.can_edit_assignments(user):
        raise PermissionDenied


def _assignment_page(request, assignment, heading, done):
    form = AssignmentForm(request.POST or None, instance=assignment)
    if form.is_valid():
        try:
            assignments.save_assignment(form.instance, by=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(form.instance.goal or reverse("goals:assignments"))
    back = assignment.goal.get_absolute_url() if assignment.goal else reverse("goals:assignments")
    return _form_page(
        request, {"heading": heading, "context_goal": assignment.goal, "form": form, "back_url": back}
    )


@login_required
def assignment_create(request):
    """A controller records an assignment the council gave, on a goal or on none."""
    _require_editor(request.user)
    return _assignment_page(request, Assignment(), _("New assignment"), _("The assignment was added."))


@login_required
def goal_assignment_create(request, pk):
    """A controller records an assignment on this goal."""
    _require_editor(request.user)
    goal = get_object_or_404(Goal, pk=pk)
    assignment = Assignment(goal=goal)
    return _assignment_page(request, assignment, _("New assignment"), _("The assignment was added."))


@login_required
def assignment_edit(request, pk):
    assignment = permissions.writable_assignment_or_404(request.user, pk)
    return _assignment_page(request, assignment, _("Edit assignment"), _("The assignment was saved."))


@login_required
def assignment_delete(request, pk):
    """Ask, then delete; refused once the owner has reported a status."""
    assignment = permissions.writable_assignment_or_404(request.user, pk)
    back = assignment.goal.get_absolute_url() if assignment.goal else reverse("goals:assignments")
    return _delete_page(
        request, assignment, lambda obj: assignments.delete_assignment(obj, by=request.user), back
    )
