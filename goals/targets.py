"""Targets as municipalities write them: what a target may hold, how spans may not overlap, how it reads.

The rule that judges a value against a target is followup.rollup.indicator_signal; this module holds what
is true of a target by itself: its errors (`target_errors`), the overlap of spans (`overlap_errors`) and its
text as written in a plan ("≥ 30", "< 10", "ska öka", "2024–2027: 90", "80–90"), `target_text`.
"""

from django.utils.translation import gettext as _

from .models import Target
from .numbers import format_number

C = Target.Comparison
# Comparisons with a bound of their own in `value`; the last-year ones compare with the year before.
WITH_VALUE = {C.AT_LEAST, C.AT_MOST, C.EXACTLY, C.WITHIN}
LAST_YEAR = {C.HIGHER_THAN_LAST_YEAR, C.LOWER_THAN_LAST_YEAR}
# Comparisons whose bound may be left out ("< 10"): "exactly" and "than last year" have none to leave out.
MAY_EXCLUDE = {C.AT_LEAST, C.AT_MOST, C.WITHIN}
EN_DASH = "\u2013"
SIGNS = {  # (inclusive, exclusive)
    C.AT_LEAST: ("\u2265", ">"),
    C.AT_MOST: ("\u2264", "<"),
}


def target_errors(target):
    """{field: message} of everything wrong with `target` by itself, all at once (empty when nothing is)."""
    errors = {}
    comparison = target.comparison
    if target.from_year is not None and target.to_year is not None and target.to_year < target.from_year:
        errors["to_year"] = _("The last year comes before the first.")
    if comparison in WITH_VALUE and target.value is None:
        errors["value"] = _("Enter the target value.")
    if comparison in LAST_YEAR and target.value is not None:
        errors["value"] = _("A comparison with last year has no target value; leave it empty.")
    if comparison == C.WITHIN:
        if target.high is None:
            errors["high"] = _("A range needs its upper end.")
        elif target.value is not None and target.high < target.value:
            errors["high"] = _("The upper end is below the lower end.")
    elif target.high is not None:
        errors["high"] = _("Only a range has an upper end; leave it empty.")
    if target.exclusive and comparison not in MAY_EXCLUDE:
        errors["exclusive"] = _("Only “at least”, “at most” and a range can leave out their bound.")
    return errors


def span_text(from_year, to_year):
    return str(from_year) if from_year == to_year else f"{from_year}{EN_DASH}{to_year}"


def overlap_errors(spans):
    """Messages naming every two spans [(from_year, to_year)] of one indicator that share a year."""
    ordered = sorted(spans)
    messages = []
    for index, (first, last) in enumerate(ordered):
        for other_first, other_last in ordered[index + 1 :]:
            if other_first <= last:
                messages.append(
                    _("The targets for %(first)s and %(second)s overlap: a year can have only one target.")
                    % {"first": span_text(first, last), "second": span_text(other_first, other_last)}
                )
    return messages


def in_force(targets, year):
    """The one of `targets` whose span holds `year`, or None: never another year's target."""
    return next((t for t in targets if t.from_year <= year <= t.to_year), None)


def _number(value, decimals):
    # A target is shown as written: at least the indicator's decimals, and a typed 92,5 is never rounded.
    return format_number(value, decimals, exact=True)


def target_text(target, decimals=0, *, years=False, tolerance=False):
    """`target` as a plan writes it: "≥ 30", "< 10", "90", "80–90", "ska öka"; "" for None.

    years: put the span in front ("2024–2027: ≥ 90"); tolerance: add the band (" ± 5", " ± 5 %").
    """
    if target is None:
        return ""
    comparison = target.comparison
    if comparison in SIGNS:
        sign = SIGNS[comparison][1 if target.exclusive else 0]
        text = f"{sign} {_number(target.value, decimals)}"
    elif comparison == C.EXACTLY:
        text = _number(target.value, decimals)
    elif comparison == C.WITHIN:
        low, high = _number(target.value, decimals), _number(target.high, decimals)
        if target.exclusive:
            text = _("over %(low)s and under %(high)s") % {"low": low, "high": high}
        else:
            text = f"{low}{EN_DASH}{high}"
    elif comparison == C.HIGHER_THAN_LAST_YEAR:
        text = _("should increase")
    else:
        text = _("should decrease")
    if tolerance and target.tolerance:
        band = format_number(target.tolerance, decimals, exact=True)
        percent = target.tolerance_unit == Target.ToleranceUnit.PERCENT
        text += f" \u00b1 {band}{' %' if percent else ''}"
    if years:
        text = f"{span_text(target.from_year, target.to_year)}: {text}"
    return text
