"""The reporting calendar: the period scheme with its staggered deadlines, and making a year's periods."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import calendar
from ..forms import DeadlineStepFormSet, SchemePeriodForm, YearForm
from ..models import SchemePeriod
from ..permissions import require_controller


@login_required
@require_safe
def scheme(request):
    """For a controller: the calendar's periods, their cut-off days and steps, as next year would get them."""
    require_controller(request.user)
    year = timezone.localdate().year + 1
    periods = sorted(SchemePeriod.objects.prefetch_related("steps"), key=lambda s: s.sort_key)
    rows = [(period, calendar.step_rows(period, year)) for period in periods]
    context = {"rows": rows, "year": year, "form": YearForm(initial={"year": year})}
    return render(request, "followup/calendar.html", context)


@login_required
def scheme_edit(request, pk):
    """A controller changes a calendar period's cut-off day and its deadline steps."""
    require_controller(request.user)
    period = get_object_or_404(SchemePeriod, pk=pk)
    form = SchemePeriodForm(request.POST or None, instance=period)
    steps = DeadlineStepFormSet(request.POST or None, instance=period)
    if request.method == "POST" and form.is_valid() and steps.is_valid():
        calendar.save_scheme_period(form, steps, by=request.user)
        messages.success(request, _("The reporting calendar is saved."))
        return redirect("followup:calendar")
    return render(request, "followup/calendar_edit.html", {"period": period, "form": form, "steps": steps})


@login_required
def create_year(request):
    """A controller makes a year's periods from the calendar: first what would be made, then on confirming."""
    require_controller(request.user)
    form = YearForm(request.POST or request.GET or None)
    if not form.is_valid():
        return render(request, "followup/calendar_year.html", {"form": form, "plan": None})
    year = form.cleaned_data["year"]
    if request.method == "POST" and request.POST.get("confirm"):
        try:
            outcome = calendar.create_periods(year, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            for line in outcome.lines():
                messages.success(request, line)
            return redirect("followup:index")
    plan = calendar.plan_periods(year)
    context = {
        "form": form,
        "year": year,
        "plan": plan,
        "anything_new": any(p.existing is None for p in plan),
    }
    return render(request, "followup/calendar_year.html", context)
