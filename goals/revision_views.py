"""The controllers' page for a revised goal file: upload, see what it changes, confirm."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import goalfile, permissions
from .forms import RevisionForm
from .goalfile import revision

# The uploaded file waits in the session between the preview and the confirmation (at most
# goalfile.MAX_BYTES), with what the preview showed: the confirmation applies exactly that or nothing.
SESSION_KEY = "goal_revision"


@login_required
@require_http_methods(["GET", "POST"])
def revise(request):
    """Upload a revised goal file → the plan, in words and counts → an explicit confirmation → applied."""
    permissions.require_controller(request.user)
    if request.method == "POST" and request.POST.get("step") == "apply":
        return _apply(request)
    initial = {"from_year": revision.default_from_year()}
    form = RevisionForm(request.POST or None, request.FILES or None, initial=initial)
    errors, plan = [], None
    if form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            plan = _plan(data, form.cleaned_data["from_year"])
        except goalfile.GoalFileError as error:
            errors = error.lines()
        else:
            request.session[SESSION_KEY] = {
                "text": data.decode("utf-8-sig"),
                "from_year": plan.from_year,
                "sha256": plan.sha256,
                "reason": form.cleaned_data["reason"],
                "decision": form.cleaned_data["decision"],
            }
    elif request.method == "GET":
        request.session.pop(SESSION_KEY, None)
    return render(request, "goals/revision.html", _context(form, plan, errors))


def _plan(data, year):
    file_plan = goalfile.read(goalfile.decode(data))
    return revision.plan_revision(file_plan, year, sha256=revision.file_sha256(data))


def _context(form, plan, errors, stored=None):
    return {
        "form": form,
        "plan": plan,
        "errors": errors,
        "counts": revision.count_rows(plan) if plan else [],
        "lines": [text for _kind, text in plan.lines] if plan else [],
        "stored": stored,
    }


def _apply(request):
    stored = request.session.get(SESSION_KEY)
    if stored is None:
        messages.error(request, _("Upload the file again: the preview has expired."))
        return redirect("goals:revise")
    data = stored["text"].encode()
    try:
        plan = _plan(data, stored["from_year"])
    except goalfile.GoalFileError as error:
        return render(request, "goals/revision.html", _context(RevisionForm(), None, error.lines()))
    if request.POST.get("confirm") != "on":
        context = _context(None, plan, [], stored)
        context["confirm_error"] = _("Tick the box to confirm the revision.")
        return render(request, "goals/revision.html", context)
    try:
        revision.apply_revision(plan, user=request.user, reason=stored["reason"], decision=stored["decision"])
    except revision.RevisionRefused as refused:
        return render(request, "goals/revision.html", _context(None, plan, str(refused).splitlines(), stored))
    del request.session[SESSION_KEY]
    messages.success(request, _("The revision is applied: %(changes)d changes.") % {"changes": plan.changes})
    return redirect("goals:tree")
