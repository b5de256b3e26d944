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


# Changing a decided target -------------------------------------------------------------------------------

# Callables `() -> set of years` that other apps register (in AppConfig.ready): years whose targets are fixed
# for good. Follow-up registers the years whose annual period is closed; goals never imports it.
TARGET_LOCKS = []
# What a decision fixes; a change of any of these needs a reason and the decision that made it.
DECIDED_FIELDS = (
    "from_year",
    "to_year",
    "comparison",
    "value",
    "high",
    "exclusive",
    "tolerance",
    "tolerance_unit",
)
NOTE_FIELDS = ("change_reason", "change_decision")


def locked_years():
    """The years whose targets can no longer be added, changed or deleted."""
    years = set()
    for source in TARGET_LOCKS:
        years |= set(source())
    return years


def _years(target):
    if target is None or target.from_year is None or target.to_year is None:
        return set()
    return set(range(target.from_year, target.to_year + 1))


def _differs(old, new, fields):
    return any(getattr(old, name) != getattr(new, name) for name in fields)


def target_write_errors(old, new, locked, *, note=None):
    """[(field or None, message)] refusing one write of a target, all at once; empty when it may be written.

    old: the target as stored (None: it is new); new: as it would be written (None: it is deleted);
    locked: `locked_years()`; note: what carries the reason and decision of a deletion (the deleted row as
    the form filled it in). The one rule of every path that writes targets (form, admin, goal file).
    """
    if old is not None and new is not None and not _differs(old, new, DECIDED_FIELDS + NOTE_FIELDS):
        return []
    errors = []
    closed = sorted((_years(old) | _years(new)) & locked)
    if closed:
        shown = new if new is not None else old
        errors.append(
            (
                None,
                _(
                    "The target for %(span)s covers %(years)s, whose annual report is closed: it cannot be "
                    "added, changed or deleted."
                )
                % {
                    "span": span_text(shown.from_year, shown.to_year),
                    "years": ", ".join(str(y) for y in closed),
                },
            )
        )
    if old is not None and (new is None or _differs(old, new, DECIDED_FIELDS)):
        note = new if new is not None else (note or old)
        if not (note.change_reason or "").strip():
            errors.append(("change_reason", _("Say why the decided target changes.")))
        if not (note.change_decision or "").strip():
            errors.append(
                ("change_decision", _("Give the decision that changed it, e.g. “KS § 112 2026-05-12”."))
            )
    return errors


def formset_target_errors(formset):
    """[(form, field or None, message)] of a target formset's writes (`target_write_errors` for each)."""
    locked = locked_years()
    pks = [form.instance.pk for form in formset.forms if form.instance.pk]
    stored = {t.pk: t for t in Target.objects.filter(pk__in=pks)}
    errors = []
    for form in formset.forms:
        deleted = formset.can_delete and formset._should_delete_form(form)
        old = stored.get(form.instance.pk)
        if old is None and (deleted or not form.has_changed()):
            continue  # an empty extra row, or a new row removed again
        if old is not None and not deleted and not form.has_changed():
            continue
        new = None if deleted else form.instance
        for field, message in target_write_errors(old, new, locked, note=form.instance):
            errors.append((form, field, message))
    return errors


def change_note(target):
    """The footnote a report prints for a target changed after its decision, or "" for one never changed:
    when, by whom, why and by which decision."""
    if target is None or not target.changed_at:
        return ""
    who = target.changed_by.get_full_name() or target.changed_by.get_username() if target.changed_by else ""
    values = {
        "span": span_text(target.from_year, target.to_year),
        "when": target.changed_at.date().isoformat(),
        "who": who,
        "reason": target.change_reason,
        "decision": target.change_decision,
    }
    if who:
        return (
            _("The target for %(span)s was changed %(when)s by %(who)s (%(decision)s): %(reason)s") % values
        )
    return _("The target for %(span)s was changed %(when)s (%(decision)s): %(reason)s") % values


def change_notes(indicator_ids, year):
    """{indicator id: footnote} for the targets in force in `year` that were changed after their decision, in
    one query: what a report prints under an indicator's table."""
    changed = Target.objects.in_force(year).filter(indicator_id__in=indicator_ids, changed_at__isnull=False)
    return {t.indicator_id: change_note(t) for t in changed.select_related("changed_by")}
