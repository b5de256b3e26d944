"""The controllers' page for a new mandate period or budget year: choose the years (and a revised goal file),
see what continues, ends and is new, choose what ends, confirm (goals.mandate holds the rules)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import goalfile, mandate, permissions
from .forms import MandateForm
from .goalfile import revision

# What the preview showed waits in the session (the file at most goalfile.MAX_BYTES): the confirmation
# applies exactly that or nothing.
SESSION_KEY = "goal_mandate"


@login_required
@require_http_methods(["GET", "POST"])
def new_period(request):
    permissions.require_controller(request.user)
    step = request.POST.get("step") if request.method == "POST" else None
    if step in ("update", "apply"):
        return _from_session(request, step)
    first = revision.default_from_year()
    form = MandateForm(request.POST or None, request.FILES or None,
                       initial={"first_year": first, "last_year": first + 3})  # fmt: skip
    if request.method == "GET":
        request.session.pop(SESSION_KEY, None)
    if not form.is_valid():
        return render(request, "goals/mandate.html", {"form": form})
    upload = form.cleaned_data["file"]
    text, sha256 = "", ""
    if upload:
        data = upload.read()
        try:
            text, sha256 = goalfile.decode(data), revision.file_sha256(data)
        except goalfile.GoalFileError as error:
            return render(request, "goals/mandate.html", {"form": form, "errors": error.lines()})
    stored = {
        "text": text,
        "sha256": sha256,
        "first": form.cleaned_data["first_year"],
        "last": form.cleaned_data["last_year"],
        "targets": form.cleaned_data["targets"],
        "reason": form.cleaned_data["reason"],
        "decision": form.cleaned_data["decision"],
        "ending": [],
    }
    return _preview(request, stored, form)


def _plan(stored):
    file_plan = goalfile.read(stored["text"]) if stored["text"] else None
    return mandate.plan_mandate(
        stored["first"], stored["last"], file_plan=file_plan,
        sha256=stored["sha256"],
        ending=stored["ending"], targets=stored["targets"],
    )  # fmt: skip


def _preview(request, stored, form=None, **extra):
    try:
        plan = _plan(stored)
    except goalfile.GoalFileError as error:
        return render(request, "goals/mandate.html", {"form": form or MandateForm(), "errors": error.lines()})
    except mandate.MandateRefused as refused:
        lines = str(refused).splitlines()
        return render(request, "goals/mandate.html", {"form": form or MandateForm(), "errors": lines})
    stored["lines"] = [text for _kind, text in plan.all_lines]
    request.session[SESSION_KEY] = stored
    ended = {goal.pk for goal in plan.ended}
    choices = sorted(
        [(goal, extended, False) for goal, extended in plan.continuing]
        + [(g, False, True) for g in plan.ended],
        key=lambda c: (c[0].tree_id, c[0].lft),
    )
    context = {
        "plan": plan,
        "counts": mandate.summary_rows(plan),
        "revision_counts": revision.count_rows(plan.revision) if plan.revision is not None else [],
        "lines": stored["lines"],
        "choices": choices,
        "ended": ended,
        "stored": stored,
        **extra,
    }
    return render(request, "goals/mandate.html", context)


def _from_session(request, step):
    stored = request.session.get(SESSION_KEY)
    if stored is None:
        messages.error(request, _("Start again: the preview has expired."))
        return redirect("goals:new_period")
    if step == "update":
        stored["ending"] = sorted({int(v) for v in request.POST.getlist("end") if v.isdigit()})
        return _preview(request, stored)
    if request.POST.get("confirm") != "on":
        return _preview(request, stored, confirm_error=_("Tick the box to confirm the new period."))
    try:
        plan = _plan(stored)
        if [text for _kind, text in plan.all_lines] != stored.get("lines"):
            raise mandate.MandateRefused(_("The goals changed since the preview; look at the changes again."))
        changes = mandate.apply_mandate(plan, user=request.user, reason=stored["reason"],
                                        decision=stored["decision"])  # fmt: skip
    except (mandate.MandateRefused, goalfile.GoalFileError) as refused:
        return _preview(request, stored, errors=str(refused).splitlines())
    del request.session[SESSION_KEY]
    values = {"first": plan.first, "last": plan.last, "changes": changes}
    messages.success(request, _("The period %(first)d–%(last)d is started: %(changes)d changes.") % values)
    return redirect("goals:tree")
