"""The controller's page for a period's summary judgement of god ekonomisk hushållning."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from followup.models import ReportingPeriod
from goals.textinput import refuse_control_characters

from .summary import SUMMARY_MAX, EconomySummary, can_write_summary, current_summary, write_summary
from .views import controller_required


class SummaryForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Samlad bedömning"),
        max_length=SUMMARY_MAX,
        validators=[refuse_control_characters],
        help_text=gettext_lazy(
            "The council's summary judgement of god ekonomisk hushållning for the period: the financial "
            "goals and the verksamhetsmål together. Markdown is allowed. The reports of the period print it."
        ),
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": gettext_lazy("Write the summary judgement before saving.")},
    )


@controller_required
@require_http_methods(["GET", "HEAD", "POST"])
def economy_summary(request, period_pk):
    """Write the period's summary judgement; every save is kept, with its author and time."""
    period = get_object_or_404(ReportingPeriod, pk=period_pk)
    if not can_write_summary(request.user):
        raise PermissionDenied
    current = current_summary(period)
    form = SummaryForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        write_summary(period, form.cleaned_data["text"], request.user)
        messages.success(request, _("The summary judgement is saved. The period's reports print it."))
        return redirect("reports:economy_summary", period_pk=period.pk)
    history = EconomySummary.objects.filter(period=period).order_by("-written_at", "-pk")[:20]
    context = {"period": period, "form": form, "current": current, "history": history}
    return render(request, "reports/economy_summary.html", context)
