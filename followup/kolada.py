"""Import of Kolada API responses (v2 and v3) into the annual periods.

Kolada publishes official outcomes per KPI, municipality and year, with gender T (total), K (women) and
M (men). A record lands on every indicator whose `kolada_kpi` is its KPI, in the annual period of its
year. A past year without an annual period gets one, created closed: the values are final outcomes.
An annual period that was already closed keeps its rows: a differing value is reported as skipped, and
a figure for a place it has no value for is added as a recorded late figure (`services.add_late_figures`).
A value someone typed (on the sheet or in a file) is never written over: where Kolada has another figure,
the report lists both, the typed one stays and a `KoladaDifference` waits for a controller
(`followup.differences`). A Kolada figure that Kolada has since revised is replaced and marked revised.
"""

import json
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import record_event
from goals import jsondepth
from goals.models import Indicator
from goals.numbers import format_number
from goals.textinput import control_character_message

from . import differences
from .imports import ImportReport, SkipReason, file_provenance
from .models import IndicatorValue, ReportingPeriod
from .services import (
    PeriodClosedError,
    ValueEntry,
    add_late_figures,
    as_stored,
    fits_column,
    save_values,
)

GENDER_FIELDS = {"T": "total", "K": "women", "M": "men"}
GENDER_LABELS = {"women": gettext_lazy("women"), "men": gettext_lazy("men")}
MAX_BYTES = 50 * 1024 * 1024


class KoladaError(Exception):
    """The file is not a Kolada API response that can be read; nothing was imported.

    `where` names the place: a path such as "values[3].period", or "line:column" for broken JSON.
    """

    def __init__(self, message, where=""):
        super().__init__(message)
        self.where = where


@dataclass(frozen=True)
class Record:
    """One KPI, municipality and year with its values per gender code."""

    kpi: str
    municipality: str
    year: int
    values: tuple
    deleted: tuple = ()  # gender codes whose value Kolada has withdrawn ("isdeleted")

    @property
    def label(self):
        return f"{self.kpi} {self.municipality} {self.year}"


def _kind(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return _("a boolean")
    if isinstance(value, str):
        return _('the text "%(text)s"') % {"text": value[:30]}
    if isinstance(value, int | Decimal):
        return _("the number %(number)s") % {"number": value}
    return _("a list") if isinstance(value, list) else _("an object")


def _refuse_control_characters(path, text):
    """File text goes into the report and the session: no control characters (NUL breaks PostgreSQL)."""
    message = control_character_message(text)
    if message:
        raise KoladaError(f"{path}: {message}", where=path)


def _wrong(path, expected, value):
    message = _("%(path)s: expected %(expected)s, got %(got)s")
    return KoladaError(message % {"path": path, "expected": expected, "got": _kind(value)}, where=path)


def parse(data):
    """Read a Kolada response (bytes or text) into records and notes, or raise KoladaError."""
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise KoladaError(_("The file is larger than 50 MB."))
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise KoladaError(_("The file is not UTF-8 text; a Kolada response is JSON.")) from None
    try:
        doc = jsondepth.loads(data, parse_float=Decimal, parse_constant=lambda name: name)
    except jsondepth.TooDeep as error:
        raise KoladaError(error.message) from None
    except json.JSONDecodeError as error:
        message = _("The file is not valid JSON (line %(line)d, column %(column)d: %(error)s).")
        where = f"{error.lineno}:{error.colno}"
        raise KoladaError(
            message % {"line": error.lineno, "column": error.colno, "error": error.msg}, where=where
        ) from None
    notes = []
    if isinstance(doc, dict):
        if not isinstance(doc.get("values"), list):
            raise KoladaError(
                _('The file is not a Kolada API response: it has no list of records under "values".'),
                where="values",
            )
        if doc.get("next_page"):
            _refuse_control_characters("next_page", doc["next_page"])
            notes.append(
                _("The file is one page of a longer answer; the next page (%(url)s) was not in it.")
                % {"url": doc["next_page"]}
            )
        items = doc["values"]
    elif isinstance(doc, list):
        items = doc
    else:
        message = _('The file is not a Kolada API response: expected an object with "values".')
        raise KoladaError(message, where="values")
    return parse_items(items), notes


def parse_items(items):
    """The records of a response's "values" list (a file's or the API's), or raise KoladaError."""
    return [_record(item, f"values[{index}]") for index, item in enumerate(items)]


def _record(item, path):
    if not isinstance(item, dict):
        raise _wrong(path, _("a record (an object)"), item)
    kpi = item.get("kpi")
    if not isinstance(kpi, str) or not kpi.strip():
        raise _wrong(f"{path}.kpi", _("a KPI id"), kpi)
    _refuse_control_characters(f"{path}.kpi", kpi)
    municipality = item.get("municipality")
    # Ids are text with leading zeros ("0180"); a file written by a program may have made them numbers.
    if isinstance(municipality, int) and not isinstance(municipality, bool) and municipality >= 0:
        municipality = f"{municipality:04d}"
    if not isinstance(municipality, str) or not municipality.strip():
        raise _wrong(f"{path}.municipality", _("a municipality id"), municipality)
    _refuse_control_characters(f"{path}.municipality", municipality)
    year = item.get("period")
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year)
    if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2200:
        raise _wrong(f"{path}.period", _("a year"), year)
    values = item.get("values")
    if not isinstance(values, list):
        raise _wrong(f"{path}.values", _("a list of values"), values)
    pairs, deleted = [], []
    record_deleted = item.get("isdeleted") is True
    for index, entry in enumerate(values):
        where = f"{path}.values[{index}]"
        if not isinstance(entry, dict):
            raise _wrong(where, _("a value (an object)"), entry)
        gender = entry.get("gender")
        if not isinstance(gender, str):
            raise _wrong(f"{where}.gender", _('"T", "K" or "M"'), gender)
        _refuse_control_characters(f"{where}.gender", gender)
        if record_deleted or entry.get("isdeleted") is True:  # Kolada withdrew it: no longer an outcome
            deleted.append(gender.strip().upper())
            continue
        value = entry.get("value")
        if isinstance(value, int) and not isinstance(value, bool):
            value = Decimal(value)
        if value is not None and not (isinstance(value, Decimal) and value.is_finite()):
            raise _wrong(f"{where}.value", _("a number or null"), value)
        pairs.append((gender.strip().upper(), value))
    return Record(kpi.strip().upper(), municipality.strip(), year, tuple(pairs), tuple(deleted))


def import_records(records, *, notes=(), user=None, dry_run=False, provenance=None):
    """Write the records of our municipality in one transaction and return the report; `provenance` names
    the file they come from (`services.save_values`)."""
    report = ImportReport(notes=list(notes), dry_run=dry_run)
    ours = str(settings.MUNICIPALITY_ID).strip()
    mine = []
    for record in records:
        if record.municipality != ours:
            report.skip(record.label, SkipReason.OTHER_MUNICIPALITY)
        else:
            mine.append(record)
    this_year = timezone.localdate().year
    try:
        with transaction.atomic():
            _write(mine, report, this_year, user, provenance)
            summary = _("Kolada import: %(summary)s.") % {"summary": report.summary()}
            if report.created_periods:
                created = ", ".join(str(p) for p in report.created_periods)
                summary += " " + _("Created closed periods: %(periods)s.") % {"periods": created}
            record_event("import", summary, user=user)
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError:
        # Only a concurrent import creating the same annual period gets here.
        raise KoladaError(
            _("Another import created the same period at the same time; run it again.")
        ) from None
    return report


def _write(records, report, this_year, user, provenance=None):
    indicators = {}
    kpis = {record.kpi for record in records}
    for indicator in Indicator.objects.filter(kolada_kpi__in=kpis).only(
        "pk", "kolada_kpi", "gender_split", "decimals", "kolada_scale"
    ):
        indicators.setdefault(indicator.kolada_kpi, []).append(indicator)
    incoming = {}  # year -> indicator id -> (fields, record label)
    for record in records:
        if record.kpi not in indicators:
            report.skip(record.label, SkipReason.UNKNOWN_KPI)
            continue
        for indicator in indicators[record.kpi]:
            fields = _fields(record, indicator, report)
            if fields:
                known, _label, _indicator = incoming.setdefault(record.year, {}).get(
                    indicator.pk, ({}, None, None)
                )
                incoming[record.year][indicator.pk] = ({**known, **fields}, record.label, indicator)
    if not incoming:
        return
    periods = {p.year: p for p in ReportingPeriod.objects.annual().filter(year__in=incoming)}
    created = []
    for year in sorted(incoming):
        values = incoming[year]
        period = periods.get(year)
        if period is None:
            if year >= this_year:
                for _given, label, _indicator in values.values():
                    report.skip(label, SkipReason.NO_PERIOD)
                continue
            # Created open so that its values go through the one write path, and closed below.
            period = ReportingPeriod.objects.create(year=year, kind=ReportingPeriod.Kind.ANNUAL)
            created.append(period)
        entries = [ValueEntry(pk, **fields, fields=tuple(fields)) for pk, (fields, *_rest) in values.items()]
        try:
            saved = save_values(
                period, entries, by=user, source=IndicatorValue.Source.KOLADA, provenance=provenance
            )
        except PeriodClosedError:
            _compare_closed(period, values, report, user)
            continue
        report.imported += len(saved.written)
        report.unchanged += saved.unchanged
        differences.record(period, saved.kept)
        for kept in saved.kept:
            _given, label, indicator = values[kept.entry.indicator_id]
            names = [n for n in kept.entry.fields if getattr(kept.stored, n) != getattr(kept.entry, n)]
            report.differ(
                label, _figures(kept.stored, names, indicator), _figures(kept.entry, names, indicator)
            )
    if created:
        who = user if user is not None and user.is_authenticated else None
        closed = {"state": ReportingPeriod.State.CLOSED, "closed_at": timezone.now(), "closed_by": who}
        ReportingPeriod.objects.filter(pk__in=[p.pk for p in created]).update(**closed)
        for period in created:
            for name, value in closed.items():
                setattr(period, name, value)
        report.created_periods = created


def _fields(record, indicator, report):
    fields = {}
    for gender in record.deleted:
        report.skip(f"{record.label} {gender}", SkipReason.DELETED)
    for gender, value in record.values:
        what = f"{record.label} {gender}"
        name = GENDER_FIELDS.get(gender)
        if name is None:
            report.skip(what, SkipReason.UNKNOWN_GENDER)
        elif value is None:
            report.skip(what, SkipReason.NULL_VALUE)
        elif name != "total" and not indicator.gender_split:
            report.skip(what, SkipReason.NO_GENDER_SPLIT)
        else:
            # Kolada's figure on the indicator's own scale (per 1 000 where Kolada counts per 100 000).
            value = value * indicator.kolada_scale
            if not fits_column(value):
                report.skip(what, SkipReason.OUT_OF_RANGE)
            else:
                fields[name] = as_stored(value)
    return fields


def _compare_closed(period, values, report, user):
    """A closed period keeps its values: the same ones count as unchanged, different ones are skipped, and
    a figure where the period has no value is added as a late figure (an annual period only)."""
    existing = {
        v.indicator_id: v for v in IndicatorValue.objects.filter(period=period, indicator_id__in=values)
    }
    late = []
    for indicator_id, (fields, label, _indicator) in values.items():
        value = existing.get(indicator_id)
        if value is None and not period.is_interim:
            late.append((ValueEntry(indicator_id, **fields, fields=tuple(fields)), label))
        elif value is not None and all(getattr(value, name) == new for name, new in fields.items()):
            report.unchanged += 1
        else:
            report.skip(label, SkipReason.PERIOD_CLOSED)
    if late:
        added = {v.indicator_id for v in add_late_figures(period, [e for e, _label in late], by=user)}
        report.imported += len(added)
        labels = ", ".join(label for entry, label in late if entry.indicator_id in added)
    if late and added:
        report.notes.append(
            _("Added after %(period)s was closed, as late figures: %(values)s.")
            % {"period": period, "values": labels}
        )


def _figures(row, names, indicator):
    """The figures of `names` in `row` as text (every decimal: two that differ must look so)."""

    def figure(name):
        number = getattr(row, name)
        return "–" if number is None else format_number(number, indicator.decimals, exact=True)

    return "; ".join(
        figure(name) if name == "total" else f"{GENDER_LABELS[name]} {figure(name)}" for name in names
    )


def import_file(data, *, user=None, dry_run=False, name=""):
    """Parse and import a Kolada response given as bytes or text; an uploaded file's `name` and checksum are
    recorded on the values it writes."""
    records, notes = parse(data)
    provenance = file_provenance(name, data, user) if name else None
    return import_records(records, notes=notes, user=user, dry_run=dry_run, provenance=provenance)
