"""A board's values for one period as a spreadsheet: the template, its upload (.xlsx or CSV) and the export.

The template and the export share one layout, so that an exported file can be edited and uploaded again.
An upload finds its columns by their headings (in any of the site's languages), checks every cell by the
rules of manual entry, and writes nothing unless every row is right.
"""

import csv
import io
import math
import zipfile
from contextlib import closing
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from accounts.models import record_event
from goals.celltext import cell_text, csv_cell_text, undo_formula_guard
from goals.models import Indicator, Target
from goals.numbers import parse_number
from goals.targets import target_text
from noramal.downloads import download_name

from .imports import ImportReport, SkipReason, file_provenance
from .models import IndicatorValue
from .services import StaleVersion, ValueEntry, save_values, value_errors


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int


COLUMNS = (
    Column("indicator", gettext_lazy("Indicator id"), 12),
    Column("goal", gettext_lazy("Goal"), 40),
    Column("name", gettext_lazy("Indicator"), 40),
    Column("unit", pgettext_lazy("unit of measurement", "Unit"), 8),
    Column("decimals", gettext_lazy("Decimals"), 9),
    Column("split", gettext_lazy("Split by gender"), 10),
    Column("previous", gettext_lazy("Previous value"), 12),
    Column("target", gettext_lazy("Target"), 10),
    Column("total", gettext_lazy("Total"), 10),
    Column("women", gettext_lazy("Women"), 10),
    Column("men", gettext_lazy("Men"), 10),
    Column("comment", gettext_lazy("Comment"), 40),
)
EXPORT_COLUMNS = (
    Column("source", gettext_lazy("Source"), 12),
    Column("updated_at", gettext_lazy("Updated"), 17),
    Column("updated_by", gettext_lazy("Updated by"), 16),
)
# Last, so that it stays out of the way; it lets an upload notice values saved since the download.
VERSION_COLUMN = Column("version", gettext_lazy("Version (do not change)"), 10)
NUMBER_KEYS = ("total", "women", "men")
INPUT_KEYS = (*NUMBER_KEYS, "comment")
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# Rows looked at, empty ones included, and cells read of each: the template has 16 columns.
MAX_SHEET_ROWS = 2 * MAX_ROWS
MAX_COLUMNS = 100
# An .xlsx is a zip archive: a few kilobytes can unpack to gigabytes. 5000 rows with comments of
# full length unpack to about 25 MB.
MAX_UNPACKED = 50 * 1024 * 1024
MAX_PARTS = 500
MAX_MESSAGES = 200
COMMENT_FIELD = IndicatorValue._meta.get_field("comment")
INPUT_FILL = PatternFill("solid", fgColor="FFF7D6")
UNUSED_FILL = PatternFill("solid", fgColor="E9ECEF")
HEADER_FILL = PatternFill("solid", fgColor="DCE6F0")


class UploadError(ValidationError):
    """An upload that cannot be imported, with one message per problem (row and column named).

    `cells` lists the (row, column key) of each problem, for programs and tests.
    """

    def __init__(self, messages, cells=()):
        messages = list(messages)
        if len(messages) > MAX_MESSAGES:
            more = len(messages) - MAX_MESSAGES
            messages = [*messages[:MAX_MESSAGES], _("… and %(count)d more problems.") % {"count": more}]
        super().__init__(messages)
        self.cells = list(cells)


# --- What the sheet holds ------------------------------------------------------------------------------


def board_indicators(organisation):
    """The indicators whose values `organisation` enters (as on its value page), in goal tree order."""
    return list(
        Indicator.objects.entered_by(organisation)
        .select_related("goal")
        .order_by("goal__tree_id", "goal__lft", "position", "pk")
    )


@dataclass
class SheetRow:
    """One indicator's line: what it is, last year's value, this year's target and the stored value."""

    indicator: Indicator
    previous: object
    target: object
    value: IndicatorValue | None


def sheet_rows(board, period):
    """The lines of the board's sheet for `period`, in four queries."""
    indicators = board_indicators(board)
    ids = [i.pk for i in indicators]
    previous = {}
    earlier = (
        IndicatorValue.objects.filter(indicator_id__in=ids, period__year__lt=period.year, total__isnull=False)
        .order_by("indicator_id", "-period__year", "period__kind")  # "annual" sorts before the interims
        .values_list("indicator_id", "total")
    )
    for indicator_id, total in earlier:
        previous.setdefault(indicator_id, total)
    targets = {t.indicator_id: t for t in Target.objects.in_force(period.year).filter(indicator_id__in=ids)}
    values = {
        v.indicator_id: v
        for v in IndicatorValue.objects.filter(period=period, indicator_id__in=ids).select_related(
            "updated_by"
        )
    }
    return [SheetRow(i, previous.get(i.pk), targets.get(i.pk), values.get(i.pk)) for i in indicators]


def _columns(export):
    return (*COLUMNS, *EXPORT_COLUMNS, VERSION_COLUMN) if export else (*COLUMNS, VERSION_COLUMN)


def _cells(row, export):
    """The row's cells by column key, as Python values (numbers stay Decimals)."""
    indicator, value = row.indicator, row.value
    cells = {
        "indicator": indicator.pk,
        "goal": indicator.goal.title,
        "name": indicator.name,
        "unit": indicator.unit,
        "decimals": indicator.decimals,
        "split": _("yes") if indicator.gender_split else _("no"),
        "previous": _plain(row.previous),
        "target": target_text(row.target, indicator.decimals, tolerance=True),  # as written: "≥ 90 ± 5"
        "total": _plain(value.total) if value else None,
        "women": _plain(value.women) if value else None,
        "men": _plain(value.men) if value else None,
        "comment": value.comment if value else "",
        "version": value.version if value else 0,
    }
    if export:
        cells["source"] = value.get_source_display() if value else ""
        cells["updated_at"] = timezone.localtime(value.updated_at).strftime("%Y-%m-%d %H:%M") if value else ""
        cells["updated_by"] = value.updated_by.get_username() if value and value.updated_by else ""
    return cells


def _plain(number):
    """A stored Decimal without the database's trailing zeros: 84.5000 → 84.5."""
    if number is None:
        return None
    number = number.normalize()
    return number.quantize(1) if number == number.to_integral_value() else number


def filename(board, period, kind, extension):
    """E.g. "bn-2026-arsredovisning-mall.xlsx" for the template, "…-varden.csv" for an export."""
    words = {"template": "mall", "values": "värden"}
    with translation.override("sv"):
        period_name = str(period.get_kind_display())
    return download_name(board.code, period.year, period_name, words[kind], extension=extension)


# --- Writing ---------------------------------------------------------------------------------------


def workbook(board, period, *, export=False):
    """The template (or, with export=True, the export) as the bytes of an .xlsx file."""
    columns = _columns(export)
    book = Workbook()
    sheet = book.active
    sheet.title = f"{board.code} {period.year}"[:31]
    for number, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=number, value=str(column.label))
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    for line, row in enumerate(sheet_rows(board, period), start=2):
        cells = _cells(row, export)
        decimals = row.indicator.decimals
        for number, column in enumerate(columns, start=1):
            value = cell_text(cells[column.key])
            cell = sheet.cell(row=line, column=number, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            if column.key in ("previous", *NUMBER_KEYS):
                cell.number_format = "0." + "0" * decimals if decimals else "0"
            if column.key in INPUT_KEYS:
                unused = column.key in ("women", "men") and not row.indicator.gender_split
                cell.fill = UNUSED_FILL if unused else INPUT_FILL
    sheet.freeze_panes = "A2"
    _info_sheet(book.create_sheet(_("About")[:31]), board, period, export)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _info_sheet(sheet, board, period, export):
    lines = [
        (_("Board"), f"{board.name} ({board.code})"),
        (_("Period"), str(period)),
        (_("Made"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
        ("", ""),
        (_("How to fill it in"), _("Write the values in the yellow columns: Total, and Women and Men where "
                                    "the indicator is split by gender. Use a decimal comma or point.")),
        ("", _("Leave a cell empty to keep what is stored. Do not change the indicator ids or the version.")),
        ("", _("Previous value: the latest total from an earlier year (the annual value first).")),
        ("", _("Upload the file on the page you downloaded it from; nothing is saved unless every row "
               "is right.")),
    ]  # fmt: skip
    if export:
        lines.insert(3, (_("Includes"), _("The stored values of the period, with who saved them and when.")))
    for line in lines:
        sheet.append([cell_text(text) for text in line])
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 100


def csv_text(board, period, *, export=False):
    """The same sheet as CSV for Swedish spreadsheets: semicolons and decimal commas."""
    columns = _columns(export)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(c.label) for c in columns])
    for row in sheet_rows(board, period):
        cells = _cells(row, export)
        writer.writerow([_csv_cell(cells[c.key]) for c in columns])
    return out.getvalue()


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return csv_cell_text(value)
    return str(value).replace(".", ",")


# --- Reading ---------------------------------------------------------------------------------------


def read_table(name, data):
    """The first sheet of an .xlsx file, or a CSV file, as (header, [(row number, cells)]).

    Rows are read one at a time and reading stops at the first limit a file passes, so that a hostile
    file is refused in about a second whatever it claims to hold.
    """
    if len(data) > MAX_BYTES:
        raise UploadError([_("The file is larger than 5 MB.")])
    lower = (name or "").lower()
    if lower.endswith(".xls"):
        raise UploadError([_("Old .xls files cannot be read; save the file as .xlsx or CSV.")])
    workbook_file = lower.endswith(".xlsx") or data[:4] == b"PK\x03\x04"
    header, rows = None, []
    with closing(_xlsx_rows(data) if workbook_file else _csv_rows(data)) as lines:
        for number, cells in lines:
            if number > MAX_SHEET_ROWS:
                raise UploadError([_("The sheet has more than %(count)d rows.") % {"count": MAX_SHEET_ROWS}])
            if not any(_filled(cell) for cell in cells):
                continue
            if header is None:
                header = cells
                continue
            if len(rows) >= MAX_ROWS:
                raise UploadError([_("The file has more than %(count)d rows.") % {"count": MAX_ROWS}])
            rows.append((number, cells))
    if header is None:
        raise UploadError([_("The file is empty.")])
    return header, rows


NOT_A_WORKBOOK = gettext_lazy("The file cannot be read as an Excel workbook (.xlsx).")
# What reading a broken or hostile workbook raises (ParseError is a SyntaxError).
UNREADABLE = (InvalidFileException, zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ValueError,
              TypeError, OSError, SyntaxError, EOFError)  # fmt: skip


def _check_archive(data):
    """Refuse a workbook whose archive holds too many parts or unpacks to too much, before unpacking it.

    The sizes are the archive's own; zipfile never unpacks a part beyond the size it declares.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise UploadError([str(NOT_A_WORKBOOK)]) from None
    if len(parts) > MAX_PARTS:
        raise UploadError([_("The workbook has more than %(count)d parts; it is not a sheet of values.")
                           % {"count": MAX_PARTS}])  # fmt: skip
    if sum(part.file_size for part in parts) > MAX_UNPACKED:
        megabytes = MAX_UNPACKED // (1024 * 1024)
        raise UploadError([_("The workbook unpacks to more than %(size)d MB; save the values alone "
                             "in a new file.") % {"size": megabytes}])  # fmt: skip


def _check_dimension(sheet):
    """Refuse a sheet that says it spans more rows or columns than an upload may have (it need not say)."""
    rows, columns = sheet.max_row or 0, sheet.max_column or 0
    if rows > MAX_SHEET_ROWS or columns > MAX_COLUMNS:
        message = _("The sheet spans %(rows)d rows and %(columns)d columns; at most %(max_rows)d rows and "
                    "%(max_columns)d columns can be read.")  # fmt: skip
        counts = {"rows": rows, "columns": columns, "max_rows": MAX_SHEET_ROWS, "max_columns": MAX_COLUMNS}
        raise UploadError([message % counts])


def _xlsx_rows(data):
    """(row number, cells) of the workbook's first sheet, streamed; at most MAX_COLUMNS cells a row."""
    _check_archive(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except UNREADABLE:
        raise UploadError([str(NOT_A_WORKBOOK)]) from None
    try:
        sheet = book.worksheets[0]
        _check_dimension(sheet)
        rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        yield from enumerate(rows, start=1)
    except UNREADABLE:
        raise UploadError([str(NOT_A_WORKBOOK)]) from None
    finally:
        book.close()


def _csv_rows(data):
    """(row number, cells) of a CSV file, streamed."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Swedish Excel on Windows saves "CSV (semicolon separated)" in Windows-1252.
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise UploadError([_("The file is neither an Excel workbook (.xlsx) nor a CSV file.")])
    first = text.split("\n", 1)[0]
    delimiter = max(";\t,", key=first.count) if any(d in first for d in ";\t,") else ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as error:
        raise UploadError([_("The CSV file cannot be read: %(error)s") % {"error": error}]) from None


def _filled(cell):
    return cell is not None and str(cell).strip() != ""


def _normal(text):
    return " ".join(str(text).split()).casefold()


# Swedish headings people write by hand, recognised whatever the translation calls the columns.
SWEDISH_HEADINGS = {
    "indicator": ("indikator-id", "indikatorid", "id"),
    "total": ("totalt", "total", "värde", "utfall"),
    "women": ("kvinnor",),
    "men": ("män",),
    "comment": ("kommentar",),
    "version": ("version",),
}


def _aliases():
    """Every way a recognised column may be headed: its key, its label in each language, Swedish words."""
    aliases = {heading: key for key, headings in SWEDISH_HEADINGS.items() for heading in headings}
    for column in (*COLUMNS, VERSION_COLUMN):
        aliases[_normal(column.key)] = column.key
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                aliases[_normal(column.label)] = column.key
    return aliases


def _header_map(header):
    """{column key: (index, heading as written)}; unknown columns are ignored."""
    aliases, found, problems = _aliases(), {}, []
    for index, heading in enumerate(header):
        key = aliases.get(_normal(heading)) if _filled(heading) else None
        if key is None:
            continue
        if key in found:
            problems.append(_('The column "%(column)s" appears twice.') % {"column": heading})
        found[key] = (index, str(heading).strip())
    if "indicator" not in found:
        label = COLUMNS[0].label
        problems.append(
            _('The file has no column "%(column)s"; start from the template.') % {"column": label}
        )
    if not any(key in found for key in INPUT_KEYS):
        problems.append(_("The file has no value columns (Total, Women, Men or Comment)."))
    if problems:
        raise UploadError(problems)
    return found


# --- Checking and importing ------------------------------------------------------------------------


@dataclass
class _Plan:
    incoming: dict
    expected: dict
    rows: dict  # indicator id -> row number


def _whole(raw):
    """A whole number from a cell (12, 12.0 or "12"), or None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else None
    text = str(raw).strip()
    return int(text) if text.isdigit() else None


def check_table(header, rows, board, period, report):
    """Check every row against the board's indicators and the value rules; return the plan or raise."""
    columns = _header_map(header)
    indicators = {i.pk: i for i in board_indicators(board)}
    stored = {
        v.indicator_id: v for v in IndicatorValue.objects.filter(period=period, indicator_id__in=indicators)
    }
    plan, errors, places, seen = _Plan({}, {}, {}), [], [], {}

    def cell(cells, key):
        index = columns[key][0] if key in columns else None
        return cells[index] if index is not None and index < len(cells) else None

    def problem(number, key, message):
        where = {"row": number, "column": columns[key][1], "message": message}
        errors.append(_("Row %(row)d, column %(column)s: %(message)s") % where)
        places.append((number, key))

    for number, cells in rows:
        raw_id = cell(cells, "indicator")
        indicator_id = _whole(raw_id) if _filled(raw_id) else None
        if indicator_id is None:
            problem(number, "indicator", _("expected an indicator id (a whole number)."))
            continue
        indicator = indicators.get(indicator_id)
        if indicator is None:
            message = _("indicator %(id)d is not one of %(board)s's indicators.")
            problem(number, "indicator", message % {"id": indicator_id, "board": board.code})
            continue
        if indicator_id in seen:
            problem(number, "indicator", _("indicator %(id)d is also on row %(row)d.") % {
                "id": indicator_id, "row": seen[indicator_id]
            })  # fmt: skip
            continue
        seen[indicator_id] = number
        fields = {}
        for key in NUMBER_KEYS:
            raw = cell(cells, key)
            if not _filled(raw):
                continue
            if key != "total" and not indicator.gender_split:
                problem(number, key, _("this indicator is not split by gender; leave the cell empty."))
                continue
            try:
                fields[key] = _checked(indicator, raw, getattr(stored.get(indicator_id), key, None))
            except ValidationError as error:
                problem(number, key, error.messages[0])
        comment = cell(cells, "comment")
        if _filled(comment):
            comment = undo_formula_guard(str(comment).strip())
            try:
                COMMENT_FIELD.run_validators(comment)  # its length and no control characters
            except ValidationError as error:
                for message in error.messages:
                    problem(number, "comment", message)
            fields["comment"] = comment
        version = cell(cells, "version")
        if _filled(version):
            if _whole(version) is None:
                problem(number, "version", _("expected the version from the downloaded file."))
            else:
                plan.expected[indicator_id] = _whole(version)
        if fields:
            plan.incoming[indicator_id] = fields
            plan.rows[indicator_id] = number
        else:
            plan.expected.pop(indicator_id, None)
            what = _("Row %(row)d (%(indicator)s)") % {"row": number, "indicator": indicator.name}
            report.skip(what, SkipReason.EMPTY_ROW)
    if errors:
        raise UploadError(errors, places)
    return plan


def _number(raw):
    """A number from a cell: numbers as Excel stores them, or text typed the Swedish way."""
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise ValueError(raw)
        return Decimal(repr(raw))  # the shortest text that reads back: 84.4, not 84.400000000000006
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise ValueError(raw)
        return raw
    return parse_number(raw)


def _checked(indicator, raw, stored):
    """The cell's number by the rules of manual entry; the stored value passes as it is (Kolada's has more
    decimals than the indicator shows)."""
    try:
        number = _number(raw)
    except ValueError:
        raise ValidationError(_("Enter a number, for example 92,5.")) from None
    if stored is not None and number == stored:
        return stored
    errors = value_errors(indicator, number)
    if errors:
        raise ValidationError(" ".join(str(e) for e in errors))
    return number


def import_table(header, rows, board, period, *, user=None, dry_run=False, provenance=None):
    """Check the whole table, then write it in one transaction through the value service; `provenance`
    names the file (`services.save_values`)."""
    report = ImportReport(dry_run=dry_run)
    plan = check_table(header, rows, board, period, report)
    entries = [
        ValueEntry(pk, **fields, version=plan.expected.get(pk), fields=tuple(fields))
        for pk, fields in plan.incoming.items()
    ]
    with transaction.atomic():
        try:
            saved = save_values(
                period,
                entries,
                by=user,
                organisation=board,
                source=IndicatorValue.Source.FILE,
                provenance=provenance,
            )
        except StaleVersion as error:
            stale = sorted(error.conflicts, key=lambda value: plan.rows[value.indicator_id])
            raise UploadError(
                (
                    _(
                        "Row %(row)d: someone saved this value after the file was made (the file has version "
                        "%(file)d, the stored value is at version %(now)d). Download the file again."
                    )
                    % {
                        "row": plan.rows[value.indicator_id],
                        "file": plan.expected[value.indicator_id],
                        "now": value.version,
                    }
                    for value in stale
                ),
                [(plan.rows[value.indicator_id], "version") for value in stale],
            ) from None
        report.imported, report.unchanged = len(saved.written), saved.unchanged
        summary = _("File import of %(board)s, %(period)s: %(summary)s.")
        record_event("import", summary % {"board": board.code, "period": period, "summary": report.summary()},
                     user=user, obj=period)  # fmt: skip
        if dry_run:
            transaction.set_rollback(True)
    return report


def import_upload(name, data, board, period, *, user=None, dry_run=False):
    """Read an uploaded .xlsx or CSV file and import it (see `import_table`)."""
    header, rows = read_table(name, data)
    provenance = file_provenance(name, data, user)
    return import_table(header, rows, board, period, user=user, dry_run=dry_run, provenance=provenance)
