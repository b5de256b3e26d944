"""Provenance pages: where a value, a judgement or a target of a report comes from (followup.provenance)."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from goals.models import Target

from .. import provenance
from ..models import Assessment, IndicatorValue


def _page(request, build, pk, missing):
    try:
        shown = build(pk, request.user)
    except missing:
        raise Http404 from None
    except provenance.Refused:
        return provenance.refusal(request)
    return render(request, "followup/provenance.html", {"provenance": shown})


@require_safe
def value(request, pk):
    return _page(request, provenance.value_provenance, pk, IndicatorValue.DoesNotExist)


@require_safe
def judgement(request, pk):
    return _page(request, provenance.judgement_provenance, pk, Assessment.DoesNotExist)


@require_safe
def target(request, pk):
    return _page(request, provenance.target_provenance, pk, Target.DoesNotExist)
