"""The public page of one indicator: its values over the years as a chart and a table."""

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from goals.models import Indicator

from ..comparison_chart import comparison
from ..models import IndicatorValue, ReportingPeriod
from ..permissions import can_see_open_values
from ..timeline import timeline


@require_safe
def indicator(request, pk):
    """Values of closed periods and Kolada values for everyone; open periods' values for logged-in readers."""
    indicator = get_object_or_404(Indicator.objects.select_related("goal", "owner"), pk=pk)
    show_open = can_see_open_values(request.user)
    context = {"indicator": indicator, "timeline": timeline(indicator, show_open=show_open)}
    if indicator.kolada_kpi:
        values = IndicatorValue.objects.filter(indicator=indicator, period__kind=ReportingPeriod.Kind.ANNUAL)
        values = values if show_open else values.public()
        ours = dict(values.exclude(total=None).values_list("period__year", "total"))
        context["comparison"] = comparison(indicator, ours, settings.MUNICIPALITY_NAME)
    return render(request, "followup/indicator_detail.html", context)
