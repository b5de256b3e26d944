"""What the imports share: the report they end with (they write through `services.save_values`)."""

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


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
    TYPED_VALUE = "typed_value", gettext_lazy("Someone typed another value; it was kept")
    DELETED = "deleted", gettext_lazy("Kolada has withdrawn the value (isdeleted)")


@dataclass
class Skipped:
    """One record an import left out, and why."""

    what: str
    reason: str

    @property
    def reason_label(self):
        return SkipReason(self.reason).label


@dataclass
class Difference:
    """A typed value the import kept although the file has another figure; both as text."""

    what: str
    stored: str
    incoming: str


@dataclass
class ImportReport:
    """What an import did: values written, values already as in the file, records skipped, periods created."""

    imported: int = 0
    unchanged: int = 0
    skipped: list = field(default_factory=list)
    created_periods: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    differences: list = field(default_factory=list)
    dry_run: bool = False
    # What "imported" counts, as the upload page names it (values unless the import says otherwise).
    imported_label: str = ""
    unchanged_label: str = ""

    def skip(self, what, reason):
        self.skipped.append(Skipped(what, SkipReason(reason).value))

    def differ(self, what, stored, incoming):
        """A typed value kept as it is: skipped, and listed with both figures."""
        self.skip(what, SkipReason.TYPED_VALUE)
        self.differences.append(Difference(what, stored, incoming))

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
            "differences": [[d.what, d.stored, d.incoming] for d in self.differences],
            "dry_run": self.dry_run,
            "imported_label": str(self.imported_label or _("Imported values")),
            "unchanged_label": str(self.unchanged_label or _("Unchanged values")),
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
        for difference in self.differences:
            lines.append(
                "  "
                + _("%(what)s: kept %(stored)s, the file has %(incoming)s")
                % {"what": difference.what, "stored": difference.stored, "incoming": difference.incoming}
            )
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


def file_provenance(name, data, user):
    """What a value imported from the file `name` records of it: the name, its SHA-256, who and when."""
    return {
        "import_file": name[:255],
        "import_sha256": hashlib.sha256(data if isinstance(data, bytes) else data.encode()).hexdigest(),
        "imported_at": timezone.now(),
        "imported_by": user if user is not None and user.is_authenticated else None,
    }
