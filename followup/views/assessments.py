"""Judgements of goals: an organisation's list with suggestions, one goal's judgement, approval and return."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from goals.models import Goal

from .. import comments, four_eyes, notices, services
from ..forms import AssessmentForm, CommentForm, ReturnForm
from ..models import Assessment, ReportingPeriod
from ..permissions import (
    can_read,
    can_see_open_values,
    can_write_follow_up,
    goal_for_write,
    organisation_for_read,
    require_controller,
)
from ..rollup import suggestions_for
from ..sheets import AssessmentSheet, GoalSheet
from ..status import previous_judgement


@login_required
@require_safe
def assessments(request, pk, org_pk):
    """An organisation's goals in a period: computed suggestion beside the judgement and its state. Its
    writers are linked to its sheets; everyone else with a role reads it."""
    organisation = organisation_for_read(request.user, org_pk)
    period = get_object_or_404(ReportingPeriod, pk=pk)
    sheet = AssessmentSheet(organisation, period, suggestions_for(period))
    context = {
        "organisation": organisation,
        "period": period,
        "rows": sheet.rows,
        "writes": can_write_follow_up(request.user, organisation),
    }
    return render(request, "followup/assessment_list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def assessment(request, pk, goal_pk):
    """One goal's judgement: its writer saves a draft or submits it; everyone with a role reads it, and
    anyone reads an approved judgement of a closed period."""
    if request.method == "POST":
        return _write(request, pk, goal_pk)
    period = get_object_or_404(ReportingPeriod, pk=pk)
    goal = get_object_or_404(Goal.objects.select_related("owner"), pk=goal_pk)
    public = Assessment.objects.public().filter(period=period, goal=goal)
    if not can_read(request.user) and not public.exists():
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    current = _current(period, goal)
    form = AssessmentForm(period=period, assessment=current)
    return _page(request, period, goal, current, form)


def _write(request, pk, goal_pk):
    """Save the judgement as a draft, or save and submit it for approval."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    goal = goal_for_write(request.user, goal_pk)
    period = get_object_or_404(ReportingPeriod, pk=pk)
    current = _current(period, goal)
    submitting = "submit" in request.POST
    form = AssessmentForm(request.POST, period=period, assessment=current, submitting=submitting)
    if not _subject(period, goal, current).can_edit(request.user):
        messages.error(request, _("This judgement cannot be changed now."))
        return _page(request, period, goal, current, form, status=409)
    if not form.is_valid():
        return _page(request, period, goal, current, form)
    fields = form.cleaned_data
    try:
        with transaction.atomic():
            saved = services.save_assessment(
                period,
                goal,
                judgement=fields["judgement"],
                analysis=fields["analysis"],
                by=request.user,
                version=fields["version"],
            )
            if submitting:
                services.submit_assessment(period, goal, by=request.user, version=saved.version)
    except services.StaleVersion:
        return _conflict(request, period, goal, form)
    except ValidationError as error:
        form.add_error(None, error)
        return _page(request, period, goal, _current(period, goal), form, status=409)
    messages.success(request, _("Judgement submitted.") if submitting else _("Judgement saved as a draft."))
    return redirect("followup:assessments", period.pk, goal.owner_id)


@login_required
@require_POST
def approve(request, pk, goal_pk):
    """A controller approves a submitted judgement."""
    goal = goal_for_write(request.user, goal_pk)
    require_controller(request.user)
    period = get_object_or_404(ReportingPeriod, pk=pk)
    try:
        services.approve_assessment(period, goal, by=request.user, version=_version(request))
    except services.StaleVersion:
        messages.error(request, _("The judgement changed since you opened it; look at it again."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Judgement approved."))
    return redirect("followup:assessment", period.pk, goal.pk)


@login_required
@require_POST
def send_back(request, pk, goal_pk):
    """A controller sends a judgement back to the organisation with a comment."""
    goal = goal_for_write(request.user, goal_pk)
    require_controller(request.user)
    period = get_object_or_404(ReportingPeriod, pk=pk)
    return_form = ReturnForm(request.POST)
    if return_form.is_valid():
        try:
            fields = return_form.cleaned_data
            services.return_assessment(
                period, goal, comment=fields["comment"], by=request.user, version=fields["version"]
            )
        except services.StaleVersion:
            messages.error(request, _("The judgement changed since you opened it; look at it again."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Judgement sent back."))
            return redirect("followup:assessment", period.pk, goal.pk)
    current = _current(period, goal)
    form = AssessmentForm(period=period, assessment=current)
    return _page(
        request,
        period,
        goal,
        current,
        form,
        return_form=return_form,
        status=200 if return_form.errors else 409,
    )


@login_required
@require_POST
def comment(request, pk, goal_pk):
    """The board or a controller writes in the judgement's dialogue; the other side is told by e-mail."""
    goal = goal_for_write(request.user, goal_pk)
    period = get_object_or_404(ReportingPeriod, pk=pk)
    current = get_object_or_404(
        Assessment.objects.select_related("period", "goal__owner"), period=period, goal=goal
    )
    comment_form = CommentForm(request.POST)
    if not current.can_comment(request.user):
        messages.error(request, _("The period is closed: its dialogue is kept as it was."))
        status = 409
    elif comment_form.is_valid():
        written = comments.add_comment(current, request.user, comment_form.cleaned_data["text"])
        notices.notify_comment(written)
        messages.success(request, _("Comment written."))
        return redirect(reverse("followup:assessment", args=[period.pk, goal.pk]) + "#dialogue")
    else:
        status = 200
    current = _current(period, goal)
    form = AssessmentForm(period=period, assessment=current)
    return _page(request, period, goal, current, form, comment_form=comment_form, status=status)


def _current(period, goal):
    return (
        Assessment.objects.filter(period=period, goal=goal)
        .select_related("period", "goal__owner", "updated_by", "submitted_by", "approved_by")
        .first()
    )


def _version(request):
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


def _conflict(request, period, goal, form):
    """Someone saved the judgement meanwhile: show theirs, keep the user's text; saving again replaces it."""
    current = _current(period, goal)
    data = form.data.copy()
    data["version"] = str(current.version if current else 0)
    fresh = AssessmentForm(data, period=period, assessment=current, submitting=form.submitting)
    fresh.is_valid()
    messages.error(request, _("Someone else saved this judgement since you opened it. Nothing was saved."))
    return _page(request, period, goal, current, fresh, conflict=current, status=409)


def _subject(period, goal, current):
    """The judgement the predicates ask about: the stored one, or a draft not yet saved."""
    return current or Assessment(period=period, goal=goal)


def _page(
    request, period, goal, current, form, *, return_form=None, comment_form=None, conflict=None, status=200
):
    subject = _subject(period, goal, current)
    known = four_eyes.authorship([current])[current.pk] if current else None
    may_approve = subject.can_approve(request.user)
    # Four eyes: the controller who wrote or changed it is told why another controller must approve.
    refused = four_eyes.refusal(request.user, current, known) if may_approve else None
    public = not can_read(request.user)
    context = {
        "period": period,
        "goal": goal,
        "assessment": current,
        "suggestion": suggestions_for(period)[goal.pk],
        "form": form if subject.can_edit(request.user) else None,
        "return_form": return_form or (ReturnForm(initial={"version": current.version}) if current else None),
        "can_approve": may_approve and not refused,
        "four_eyes": refused,
        "controller_edits": known.controller_edits if known else [],
        "can_return": subject.can_return(request.user),
        "conflict": conflict,
        # Someone without a role reads a public judgement: the follow-up's own pages (and the dialogue
        # between the board and the controllers) are not theirs.
        "public": public,
        "thread": [] if public else comments.thread(current),
        "comment_form": (comment_form or CommentForm()) if subject.can_comment(request.user) else None,
        "previous": previous_judgement(request.user, goal, period),
        "sheet": GoalSheet(goal, period, show_open=can_see_open_values(request.user)),
    }
    return render(request, "followup/assessment_form.html", context, status=status)
