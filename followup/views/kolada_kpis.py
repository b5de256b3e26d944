"""Searching Kolada's KPI catalogue for a new indicator (or to link an indicator to a KPI).

The search is a page of its own: the indicator form links here, and each result's "Använd" opens the form
again with the KPI's fields in its query, which the form checks like anything typed.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from goals import permissions as goal_permissions

from .. import kolada_api


@login_required
@require_safe
def for_new_indicator(request, goal_pk):
    """Search for a KPI to add as a new indicator of the goal."""
    goal = goal_permissions.writable_goal_or_404(request.user, goal_pk)
    form_url = reverse("goals:indicator_create", args=[goal.pk])
    return _search(request, goal=goal, form_url=form_url)


@login_required
@require_safe
def for_indicator(request, indicator_pk):
    """Search for a KPI whose fields go into an existing indicator's form (saved only when the form is)."""
    indicator = goal_permissions.writable_indicator_or_404(request.user, indicator_pk)
    form_url = reverse("goals:indicator_edit", args=[indicator.pk])
    return _search(request, goal=indicator.goal, form_url=form_url, indicator=indicator)


def _search(request, *, goal, form_url, indicator=None):
    """The search form and, once asked, Kolada's answer; each result links back to the form, filled in."""
    query = request.GET.get("q", "")
    context = {"goal": goal, "indicator": indicator, "query": query[:200], "back_url": form_url}
    context["results"] = None
    status = 200
    if "q" in request.GET:
        try:
            found = kolada_api.search_kpis(query)
        except kolada_api.KpiQueryError as error:
            context["error"] = str(error)
        except kolada_api.KoladaUnavailable as error:
            context["error"] = _("Kolada's KPI catalogue could not be searched just now: %(why)s") % {
                "why": error
            }
            status = 503
        else:
            context["results"] = [
                {"kpi": kpi, "use_url": f"{form_url}?{urlencode(kpi.indicator_fields())}"}
                for kpi in found.kpis
            ]
            context["count"] = found.count
            context["cut"] = found.count > len(found.kpis)
    return render(request, "followup/kolada_kpi_search.html", context, status=status)
