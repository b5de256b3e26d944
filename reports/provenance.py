"""A follow-up report's appendix "Källor och härkomst": where its figures come from, in two queries.

The sources of the values shown (how many from Kolada, entered, uploaded), the files values and judgements
were imported from (name, date, SHA-256, how many rows), the days Kolada's figures were fetched, and the
targets in force that were changed after their decision, with the decision and the reason. It names no
person: the published PDF is public (docs/reports.md, "Provenance"). The HTML report links each figure
to its own page (followup.provenance).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from followup.models import Assessment, IndicatorValue
from goals.targets import in_force, span_text, target_text

SOURCE_ORDER = (IndicatorValue.Source.KOLADA, IndicatorValue.Source.FILE, IndicatorValue.Source.MANUAL)


@dataclass
class ImportFile:
    name: str
    sha256: str
    imported_on: object  # a date
    what: str  # "värden" or "bedömningar"
    rows: int


@dataclass
class RevisedTarget:
    indicator: str
    years: str
    target: str
    changed_on: object
    decision: str
    reason: str


@dataclass
class Appendix:
    values: int = 0
    sources: list = field(default_factory=list)  # (source label, number of values)
    files: list = field(default_factory=list)  # ImportFile, newest first
    kolada_days: list = field(default_factory=list)  # (date, number of values written from Kolada that day)
    targets: list = field(default_factory=list)  # RevisedTarget
    judgements: int = 0  # the stated judgements the report shows

    @property
    def empty(self):
        return not (self.values or self.judgements or self.targets)


def appendix(report, targets_by_indicator):
    """The appendix of `report` (a follow-up report); `targets_by_indicator` as the builder read them."""
    goals = list(report.all_goals())
    indicators = {row.pk: row for goal in goals for row in goal.indicators}
    value_ids = {v.pk for row in indicators.values() for v in row.values if v is not None and v.pk}
    judgement_ids = {g.judgement.pk for g in goals if g.judgement is not None and g.judgement.pk}
    result = Appendix(values=len(value_ids), judgements=len(judgement_ids))
    counted = Counter(v.source for row in indicators.values() for v in row.values if v is not None and v.pk)
    result.sources = [(str(source.label), counted[source]) for source in SOURCE_ORDER if counted[source]]
    files = defaultdict(lambda: [None, 0])
    kolada_days = Counter()
    period_ids = [column.period_id for column in report.columns]
    rows = (
        IndicatorValue.objects.filter(period_id__in=period_ids)
        .exclude(source=IndicatorValue.Source.MANUAL, import_sha256="")
        .values_list("pk", "source", "import_file", "import_sha256", "imported_at", "updated_at", "late_at")
    )
    for pk, source, name, sha, imported_at, updated_at, late_at in rows:
        if pk not in value_ids:
            continue
        if sha:
            _count(files, (name, sha, "värden"), imported_at)
        if source == IndicatorValue.Source.KOLADA:
            kolada_days[_day(late_at or updated_at)] += 1
    imported = Assessment.objects.filter(pk__in=judgement_ids).exclude(import_sha256="")
    for name, sha, imported_at in imported.values_list("import_file", "import_sha256", "imported_at"):
        _count(files, (name, sha, "bedömningar"), imported_at)
    result.files = sorted(
        (ImportFile(name, sha, _day(when), what, n) for (name, sha, what), (when, n) in files.items()),
        key=lambda f: (f.imported_on is None, f.imported_on, f.name),
        reverse=False,
    )
    result.kolada_days = sorted(kolada_days.items())
    for pk, row in indicators.items():
        target = in_force(targets_by_indicator.get(pk, []), report.year)
        if target is not None and target.changed_at:
            result.targets.append(
                RevisedTarget(
                    indicator=row.name,
                    years=span_text(target.from_year, target.to_year),
                    target=target_text(target, row.decimals),
                    changed_on=_day(target.changed_at),
                    decision=target.change_decision,
                    reason=target.change_reason,
                )
            )
    return result


def _count(files, key, when):
    entry = files[key]
    entry[1] += 1
    if when is not None and (entry[0] is None or when > entry[0]):
        entry[0] = when


def _day(moment):
    return timezone.localtime(moment).date() if moment is not None else None
