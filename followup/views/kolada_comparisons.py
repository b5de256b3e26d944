"""The controllers' choice of what the indicators are compared with: Kolada's groups and municipalities."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import record_event

from .. import kolada_api, kolada_comparison
from ..kolada_models import KoladaComparison
from ..permissions import require_controller


def _search(kind, query):
    """The areas found and the error to show (one of them None)."""
    try:
        return kolada_comparison.search(kind, query), None
    except kolada_comparison.SearchError as error:
        return None, str(error)
    except kolada_api.KoladaUnavailable as error:
        return None, _("Kolada could not be searched just now: %(why)s") % {"why": error}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def comparisons(request):
    """The chosen comparisons, a search of Kolada's groups or municipalities, "Lägg till" on each found."""
    require_controller(request.user)
    kind = request.POST.get("kind") or request.GET.get("kind") or KoladaComparison.Kind.GROUP
    if kind not in KoladaComparison.Kind.values:
        kind = KoladaComparison.Kind.GROUP
    query = (request.POST.get("q") or request.GET.get("q") or "")[:200]
    found, error = (None, None)
    if request.method == "POST":
        found, error = _search(kind, query)
        chosen = next((a for a in found or () if a.id == request.POST.get("id")), None)
        if chosen is None:
            messages.error(request, error or _("That area is no longer in Kolada's answer; search again."))
        else:
            comparison = kolada_comparison.choose(chosen, user=request.user)
            summary = _("Compared with %(area)s in Kolada.") % {"area": comparison}
            record_event("kolada.comparison", summary, user=request.user, obj=comparison)
            messages.success(
                request, _("%(area)s added; its figures come with the next fetch.") % {"area": comparison}
            )
        return redirect("followup:kolada_comparisons")
    if "q" in request.GET:
        found, error = _search(kind, query)
    chosen_ids = {(c.kind, c.kolada_id) for c in KoladaComparison.objects.all()}
    context = {
        "comparisons": KoladaComparison.objects.all(),
        "kinds": KoladaComparison.Kind.choices,
        "kind": kind,
        "query": query,
        "found": None if found is None else [(a, (a.kind, a.id) in chosen_ids) for a in found],
        "error": error,
    }
    return render(request, "followup/kolada_comparisons.html", context)


@login_required
@require_POST
def remove(request, pk):
    require_controller(request.user)
    comparison = get_object_or_404(KoladaComparison, pk=pk)
    comparison.delete()
    summary = _("No longer compared with %(area)s.") % {"area": comparison}
    record_event("kolada.comparison", summary, user=request.user)
    messages.success(request, _("%(area)s removed from the comparisons.") % {"area": comparison})
    return redirect("followup:kolada_comparisons")
