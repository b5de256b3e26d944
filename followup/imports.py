"""What the imports share: the report they end with and the bulk write of a period's values."""

from collections import Counter
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .models import IndicatorValue

VALUE_FIELDS = ("total", "women", "men", "comment")
BATCH = 500


class SkipReason(models.TextChoices):
    """Why an import left a record out."""

    OTHER_MUNICIPALITY = "other_municipality", gettext_lazy("Another municipality's value")
    UNKNOWN_KPI = "unknown_kpi", gettext_lazy("No indicator has this Kolada KPI")
    NULL_VALUE = "null_value", gettext_lazy("The value is missing (null)")
    NO_GENDER_SPLIT = "no_gender_split", gettext_lazy("The indicator is not split by gender")
    UNKNOWN_GENDER = "unknown_gender", gettext_lazy("Unknown gender code")
    PERIOD_CLOSED = "period_closed", gettext_lazy("The period is closed and the value differs")
    NO_PERIOD = "no_period", gettext_lazy("No annual period for this year (only past years' are created)")
    OUT_OF_RANGE = "out_of_range", gettext_lazy("The value is too large to store")
    EMPTY_ROW = "empty_row", gettext_lazy("No value given")


@dataclass
class Skipped:
    """One record an import left out, and why."""

    what: str
    reason: str

    @property
    def reason_label(self):
        return SkipReason(self.reason).label


@dataclass
class ImportReport:
    """What an import did: values written, values already as in the file, records skipped, periods created."""

    imported: int = 0
    unchanged: int = 0
    skipped: list = field(default_factory=list)
    created_periods: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    dry_run: bool = False

    def skip(self, what, reason):
        self.skipped.append(Skipped(what, SkipReason(reason).value))

    def counts_by_reason(self):
        """{reason code: how many records}, most frequent first."""
        return dict(Counter(s.reason for s in self.skipped).most_common())

    def reasons(self):
        """(label, count, examples) per reason, for the upload page."""
        examples = {}
        for skipped in self.skipped:
            examples.setdefault(skipped.reason, []).append(skipped.what)
        return [
            (SkipReason(code).label, count, examples[code][:50])
            for code, count in self.counts_by_reason().items()
        ]

    def for_page(self):
        """The report as plain data for the upload page; it also survives a redirect in the session."""
        return {
            "imported": self.imported,
            "unchanged": self.unchanged,
            "skipped_count": len(self.skipped),
            "reasons": [[str(label), count, examples] for label, count, examples in self.reasons()],
            "created_periods": [str(p) for p in self.created_periods],
            "notes": [str(note) for note in self.notes],
            "dry_run": self.dry_run,
        }

    def lines(self):
        """The report as lines of text, for the management commands."""
        lines = [
            _("Imported: %(count)d") % {"count": self.imported},
            _("Unchanged: %(count)d") % {"count": self.unchanged},
            _("Skipped: %(count)d") % {"count": len(self.skipped)},
        ]
        for label, count, _examples in self.reasons():
            lines.append(f"  {label}: {count}")
        if self.created_periods:
            periods = ", ".join(str(p) for p in self.created_periods)
            lines.append(_("Created periods: %(periods)s") % {"periods": periods})
        lines.extend(self.notes)
        if self.dry_run:
            lines.append(_("Dry run: nothing was written."))
        return lines

    def summary(self):
        """One line for the audit log."""
        return _("%(imported)d imported, %(unchanged)d unchanged, %(skipped)d skipped") % {
            "imported": self.imported,
            "unchanged": self.unchanged,
            "skipped": len(self.skipped),
        }


class StaleVersions(Exception):
    """Values someone else saved after the file was made: {indicator id: the version now stored (0: none)}."""

    def __init__(self, stale):
        super().__init__(stale)
        self.stale = stale


def differs(value, fields):
    """True when storing `fields` would change `value`."""
    return any(getattr(value, name) != new for name, new in fields.items())


def write_values(period, incoming, *, source, user=None, expected=None):
    """Store `incoming` ({indicator id: {field: value}}) in `period`; return (written, unchanged).

    The caller holds the period's lock (`open_period_for_write`), so the values read here cannot change
    before they are written. Only the fields given are set; each changed value's version goes up by one.
    `expected` ({indicator id: version, 0 for "no value yet"}) refuses the whole write with
    `StaleVersions` when any of those values has moved on since and holds something else than the file
    (the rule of `services.save_values`).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("write_values must run inside transaction.atomic()")
    existing = {
        value.indicator_id: value
        for value in IndicatorValue.objects.filter(period=period, indicator_id__in=list(incoming))
    }
    if expected:
        stale = {}
        for indicator_id, version in expected.items():
            value = existing.get(indicator_id)
            current = value.version if value is not None else 0
            if current != version and (value is None or differs(value, incoming[indicator_id])):
                stale[indicator_id] = current
        if stale:
            raise StaleVersions(stale)
    user = user if user is not None and user.is_authenticated else None
    now = timezone.now()
    new, changed, unchanged = [], [], 0
    for indicator_id, fields in incoming.items():
        value = existing.get(indicator_id)
        if value is None:
            row = IndicatorValue(indicator_id=indicator_id, period=period, source=source, updated_by=user)
            for name, new_value in fields.items():
                setattr(row, name, new_value)
            new.append(row)
        elif differs(value, fields):
            for name, new_value in fields.items():
                setattr(value, name, new_value)
            value.source, value.updated_by, value.updated_at = source, user, now
            value.version += 1
            changed.append(value)
        else:
            unchanged += 1
    if new:
        bulk_create_with_history(new, IndicatorValue, batch_size=BATCH, default_user=user)
    if changed:
        bulk_update_with_history(
            changed,
            IndicatorValue,
            [*VALUE_FIELDS, "source", "updated_by", "updated_at", "version"],
            batch_size=BATCH,
            default_user=user,
        )
    return len(new) + len(changed), unchanged
