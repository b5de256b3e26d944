"""The scorecard (styrkort): the council's or one board's goals × the last years' periods, for everyone."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..scorecard import scorecard as build_scorecard


@require_safe
def scorecard(request):
    """The council's scorecard, a board's (?namnd=pk or code), filtered by a category (?kategori=pk)."""
    card = build_scorecard(
        request.user, organisation=request.GET.get("namnd"), category=request.GET.get("kategori")
    )
    return render(request, "followup/scorecard.html", {"card": card})
