"""The entry sheets of one organisation and period: indicator values, activity and assignment statuses."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import services
from ..forms import AssignmentStatusForm, StatusForm, ValuesForm
from ..models import ReportingPeriod
from ..permissions import organisation_for_write
from ..sheetinputs import ValueRowWords
from ..sheets import ActivitySheet, AssignmentSheet, IndicatorSheet


@login_required
def values(request, pk, org_pk):
    """The indicators whose values an organisation enters (on its own goals or others'), with earlier
    values and this year's target; one save."""
    return _sheet(
        request,
        pk,
        org_pk,
        IndicatorSheet,
        ValuesForm,
        services.save_values,
        "followup/values_form.html",
        words=ValueRowWords,
    )


@login_required
def activities(request, pk, org_pk):
    """The activities an organisation reports on (on its own goals or others') with their status; one save."""
    return _sheet(
        request,
        pk,
        org_pk,
        ActivitySheet,
        StatusForm,
        services.save_activity_statuses,
        "followup/activities_form.html",
    )


@login_required
def assignments(request, pk, org_pk):
    """The council's assignments an organisation owns, with their status; one save."""
    return _sheet(
        request,
        pk,
        org_pk,
        AssignmentSheet,
        AssignmentStatusForm,
        services.save_assignment_statuses,
        "followup/assignments_form.html",
    )


def _sheet(request, pk, org_pk, sheet_class, form_class, save, template, words=None):
    organisation = organisation_for_write(request.user, org_pk)
    period = get_object_or_404(ReportingPeriod, pk=pk)
    sheet = sheet_class(organisation, period)
    data = request.POST if request.method == "POST" and period.is_open else None
    form = form_class(data, objects=sheet.objects, stored=sheet.stored)
    status = 200
    if request.method == "POST" and not period.is_open:
        messages.error(request, _("%(period)s is closed; nothing in it can be changed.") % {"period": period})
        status = 409
    elif request.method == "POST" and form.is_valid():
        try:
            written = save(period, form.entries(), by=request.user, organisation=organisation).written
        except services.StaleVersion as stale:
            form, status = form.refreshed_after(stale.conflicts), 409
            messages.error(
                request, _("Someone else saved some of these since you opened the page. Nothing was saved.")
            )
        except services.PeriodClosedError as error:
            period.refresh_from_db()
            form, status = form_class(None, objects=sheet.objects, stored=sheet.stored), 409
            messages.error(request, " ".join(error.messages))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, ngettext("%(n)d row saved.", "%(n)d rows saved.", len(written)) % {"n": len(written)}
            )
            return redirect(request.path)
    context = {"organisation": organisation, "period": period, "sheet": sheet, "form": form}
    context["groups"] = sheet.groups(form)
    if words is not None:
        context["row_words"] = words(period)
    return render(request, template, context, status=status)
