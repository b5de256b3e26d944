"""Differences between Kolada and typed values: the controllers keep ours or take Kolada's, one at a time."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import differences, services
from ..permissions import require_controller


@login_required
@require_safe
def kolada_differences(request):
    """The open differences, oldest first, each with "Behåll vårt" and "Ta Koladas"."""
    require_controller(request.user)
    return render(request, "followup/kolada_differences.html", {"rows": differences.open_rows()})


def _resolve(request, resolve, done):
    require_controller(request.user)
    try:
        difference = resolve(by=request.user)
    except services.StaleVersion:
        messages.error(request, _("Our value has changed since Kolada's figure was fetched; fetch again."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done % {"indicator": difference.indicator, "period": difference.period})
    return redirect("followup:kolada_differences")


@login_required
@require_POST
def keep(request, pk):
    """Keep the typed value (`differences.keep_ours`)."""
    return _resolve(
        request,
        lambda by: differences.keep_ours(pk, by=by),
        _("Our value kept: %(indicator)s, %(period)s."),
    )


@login_required
@require_POST
def take(request, pk):
    """Take Kolada's figure (`differences.take_kolada`, through the one value write path)."""
    return _resolve(
        request,
        lambda by: differences.take_kolada(pk, by=by),
        _("Kolada's value taken: %(indicator)s, %(period)s."),
    )
