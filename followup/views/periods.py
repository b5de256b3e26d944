"""The reporting calendar: the list of periods, one period, creating, closing and reopening, the overview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import AuditEvent
from goals.models import Activity, Assignment, EnteredByQuerySet, Goal, Indicator, Organisation

from .. import services
from ..calendar import who_text
from ..forms import CloseForm, PeriodForm, ReopenForm
from ..models import ReportingPeriod
from ..overview import outstanding, past_deadline
from ..overview import overview as overview_rows
from ..permissions import can_manage_periods, follow_up_organisation_ids, require_controller, require_reader


@login_required
@require_safe
def index(request):
    """All reporting periods, newest first."""
    require_reader(request.user)
    periods = sorted(ReportingPeriod.objects.all(), key=lambda p: p.sort_key, reverse=True)
    context = {
        "periods": periods,
        "can_manage": can_manage_periods(request.user),
        "next_year": timezone.localdate().year + 1,
    }
    return render(request, "followup/period_list.html", context)


@login_required
@require_safe
def period_detail(request, pk):
    """One period: its state, and the organisations whose follow-up the user writes."""
    require_reader(request.user)
    period = get_object_or_404(
        ReportingPeriod.objects.select_related("closed_by").prefetch_related("deadlines"), pk=pk
    )
    own = follow_up_organisation_ids(request.user)
    writer = EnteredByQuerySet.FIELD
    # Its goals' judgements, or the values and statuses it enters on any goal.
    follows_up = Q(pk__in=Goal.objects.values("owner")) | Q(pk__in=Indicator.objects.values(writer))
    follows_up |= Q(pk__in=Activity.objects.values(writer)) | Q(pk__in=Assignment.objects.values(writer))
    following = list(Organisation.objects.filter(follows_up))
    can_manage = can_manage_periods(request.user)
    events = AuditEvent.objects.filter(object_type=period._meta.label_lower, object_id=str(period.pk))
    context = {
        "period": period,
        "organisations": [o for o in following if o.pk in own],
        # The others' judgements are there to read (a reader writes none, so reads them all).
        "others": [o for o in following if o.pk not in own],
        "can_manage": can_manage,
        "events": list(events.select_related("user")[:20]) if can_manage else [],
        "past_deadline": past_deadline(period),
        "deadlines": [
            (d, who_text(d.organisation_kinds, d.organisation_codes)) for d in period.deadlines.all()
        ],
    }
    return render(request, "followup/period_detail.html", context)


@login_required
def period_create(request):
    """A controller creates a period."""
    require_controller(request.user)
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        period = services.create_period(**form.cleaned_data, by=request.user)
        messages.success(request, _("%(period)s created.") % {"period": period})
        return redirect(period)
    return render(request, "followup/period_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def period_close(request, pk):
    """A controller closes a period: first a page listing what is outstanding per organisation, then, on an
    explicit confirmation, the close; from then on nothing in it changes. The admin's action leads here."""
    require_controller(request.user)
    period = get_object_or_404(ReportingPeriod, pk=pk)
    if not period.is_open:
        messages.error(request, _("%(period)s is closed; nothing in it can be changed.") % {"period": period})
        return redirect(period)
    form = CloseForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.close_period(period, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(period)s is closed.") % {"period": period})
        return redirect(period)
    context = {"period": period, "form": form, "outstanding": outstanding(period)}
    return render(request, "followup/period_close.html", context)


@login_required
def period_reopen(request, pk):
    """A controller reopens a closed period, giving a reason that is recorded."""
    require_controller(request.user)
    period = get_object_or_404(ReportingPeriod, pk=pk)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reopen_period(period, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(period)s is open again.") % {"period": period})
        return redirect(period)
    return render(request, "followup/period_reopen.html", {"period": period, "form": form})


@login_required
@require_safe
def overview(request, pk):
    """Per organisation, values entered, statuses set and judgements by state: the controller's, and for
    everyone with a role to read; the sheets are linked for those who write them."""
    require_reader(request.user)
    period = get_object_or_404(ReportingPeriod, pk=pk)
    own = follow_up_organisation_ids(request.user)
    rows = [(row, row.organisation.pk in own) for row in overview_rows(period)]
    context = {"period": period, "rows": rows, "past_deadline": past_deadline(period)}
    return render(request, "followup/period_overview.html", context)
