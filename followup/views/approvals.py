"""The controllers' approval queue: every submitted judgement on one page, approved or sent back one at a
time through the same services as the judgement's own page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from goals.textinput import COMMENT_MAX

from .. import services
from ..approvals import queue
from ..forms import ReturnForm
from ..models import Assessment
from ..permissions import require_controller


@login_required
@require_safe
def approvals(request):
    """ "Att godkänna": the submitted judgements of every organisation, oldest first, with the suggestion."""
    require_controller(request.user)
    context = {"rows": queue(request.user), "comment_max": COMMENT_MAX}
    return render(request, "followup/approvals.html", context)


def _submitted(request, pk):
    require_controller(request.user)
    return get_object_or_404(Assessment.objects.select_related("period", "goal__owner"), pk=pk)


def _version(request):
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


@login_required
@require_POST
def approve(request, pk):
    """Approve one judgement of the queue (`services.approve_assessment`, four eyes included)."""
    assessment = _submitted(request, pk)
    try:
        services.approve_assessment(
            assessment.period, assessment.goal, by=request.user, version=_version(request)
        )
    except services.StaleVersion:
        messages.error(request, _("The judgement changed since you opened it; look at it again."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Approved: %(goal)s.") % {"goal": assessment.goal})
    return redirect("followup:approvals")


@login_required
@require_POST
def send_back(request, pk):
    """Send one judgement of the queue back with a comment (`services.return_assessment`)."""
    assessment = _submitted(request, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was sent back: say what needs to change."))
        return redirect("followup:approvals")
    fields = form.cleaned_data
    try:
        services.return_assessment(
            assessment.period, assessment.goal, comment=fields["comment"], by=request.user,
            version=fields["version"],
        )  # fmt: skip
    except services.StaleVersion:
        messages.error(request, _("The judgement changed since you opened it; look at it again."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Sent back: %(goal)s.") % {"goal": assessment.goal})
    return redirect("followup:approvals")
