"""Differences between Kolada's figures and typed values: recorded by a fetch, resolved by a controller.

A fetch never writes over a value someone typed (`services.save_values` keeps it); where Kolada has another
figure, `record` stores a `KoladaDifference` per gender. The same figure fetched again records nothing new;
a new figure replaces the open difference's. A controller keeps ours (`keep_ours`: nothing else changes) or
takes Kolada's (`take_kolada`: written through `save_values` with the source Kolada). Both are logged.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import record_event
from goals.numbers import format_number

from .models import IndicatorValue, KoladaDifference
from .permissions import can_resolve_kolada_differences
from .services import VALUE_FIELDS, ValueEntry, save_values


def record(period, kept):
    """Store the differences of `kept` (`services.Kept`, typed values a Kolada import left) in `period`."""
    now = timezone.now()
    places = {}
    for item in kept:
        for name in item.entry.fields:
            incoming = getattr(item.entry, name)
            if name in VALUE_FIELDS and incoming is not None and getattr(item.stored, name) != incoming:
                places[(item.entry.indicator_id, name)] = (getattr(item.stored, name), incoming)
    if not places:
        return []
    known = KoladaDifference.objects.filter(
        period=period, indicator_id__in={indicator for indicator, _name in places}
    )
    seen = {(d.indicator_id, d.gender, d.typed_value, d.kolada_value) for d in known}
    opened = {(d.indicator_id, d.gender): d for d in known if d.is_open}
    recorded = []
    for (indicator_id, name), (typed, incoming) in places.items():
        if (indicator_id, name, typed, incoming) in seen:
            continue  # fetched before: open still, or resolved by a controller already
        difference = opened.get((indicator_id, name))
        if difference is None:
            difference = KoladaDifference(indicator_id=indicator_id, period=period, gender=name)
        difference.typed_value, difference.kolada_value, difference.fetched_at = typed, incoming, now
        difference.save()
        recorded.append(difference)
    return recorded


def _resolve(difference_pk, by):
    if not can_resolve_kolada_differences(by):
        raise PermissionDenied
    difference = (
        KoladaDifference.objects.select_for_update()
        .select_related("indicator", "period")
        .filter(pk=difference_pk)
        .first()
    )
    if difference is None or not difference.is_open:
        raise ValidationError(_("This difference has been resolved already."))
    return difference


def _close(difference, state, by, summary):
    difference.state, difference.resolved_by, difference.resolved_at = state, by, timezone.now()
    difference.save(update_fields=["state", "resolved_by", "resolved_at"])
    record_event("kolada.difference", summary, user=by, obj=difference.indicator)
    return difference


def _figure(number, decimals):
    """A figure at every stored decimal (two that differ must look so); "–" for an empty place."""
    return "–" if number is None else format_number(number, decimals, exact=True)


def _describe(difference):
    decimals = difference.indicator.decimals
    return {
        "indicator": difference.indicator,
        "period": difference.period,
        "gender": difference.get_gender_display(),
        "ours": _figure(difference.typed_value, decimals),
        "kolada": _figure(difference.kolada_value, decimals),
    }


def keep_ours(difference_pk, *, by):
    """The controller keeps the typed value; Kolada's figure is not asked about again."""
    with transaction.atomic():
        difference = _resolve(difference_pk, by)
        summary = _(
            "%(indicator)s, %(period)s, %(gender)s: kept our %(ours)s, not Kolada's %(kolada)s."
        ) % _describe(difference)
        return _close(difference, KoladaDifference.State.KEPT, by, summary)


def take_kolada(difference_pk, *, by):
    """The controller takes Kolada's figure in place of the typed one, through the one value write path.

    Refused when the typed value has changed since the fetch (the difference is then out of date) or the
    period is closed (`services.PeriodClosedError`); when it has since been changed to Kolada's figure,
    the difference is only closed.
    """
    with transaction.atomic():
        difference = _resolve(difference_pk, by)
        value = IndicatorValue.objects.filter(
            indicator=difference.indicator, period=difference.period
        ).first()
        name = difference.gender
        if value is not None and getattr(value, name) == difference.kolada_value:
            pass  # someone has since typed Kolada's figure: nothing is left to write
        elif value is None or getattr(value, name) != difference.typed_value:
            raise ValidationError(_("Our value has changed since Kolada's figure was fetched; fetch again."))
        else:
            figure = {name: difference.kolada_value}
            entry = ValueEntry(difference.indicator_id, **figure, version=value.version, fields=(name,))
            save_values(
                difference.period, [entry], by=by, source=IndicatorValue.Source.KOLADA, keep_typed=False
            )
        summary = _(
            "%(indicator)s, %(period)s, %(gender)s: took Kolada's %(kolada)s in place of our %(ours)s."
        ) % _describe(difference)
        return _close(difference, KoladaDifference.State.TAKEN, by, summary)


@dataclass
class Row:
    """One open difference as the controllers' page shows it (figures at every stored decimal)."""

    difference: KoladaDifference
    ours: str
    kolada: str


def open_rows():
    """The open differences, oldest fetch first, ready for the page; one query."""
    found = KoladaDifference.objects.open().select_related("indicator__owner", "period")
    rows = []
    for difference in found:
        described = _describe(difference)
        rows.append(Row(difference, described["ours"], described["kolada"]))
    return rows
