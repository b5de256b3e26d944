"""The public page of one indicator: its values over the years as a chart and a table."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from goals.models import Indicator

from ..permissions import can_see_open_values
from ..timeline import timeline


@require_safe
def indicator(request, pk):
    """Values of closed periods and Kolada values for everyone; open periods' values for logged-in readers."""
    indicator = get_object_or_404(Indicator.objects.select_related("goal", "owner"), pk=pk)
    context = {
        "indicator": indicator,
        "timeline": timeline(indicator, show_open=can_see_open_values(request.user)),
    }
    return render(request, "followup/indicator_detail.html", context)
