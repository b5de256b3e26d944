"""A report's numbers as an Excel workbook: goals, indicators with values and targets, activities and the
council's assignments (KF-uppdrag), in Swedish words. Each sheet has its columns' widths set and its header
row frozen, so that the headings stay in view while scrolling."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from goals.celltext import cell_text

BOLD = Font(bold=True)


def build_workbook(report):
    """The workbook's bytes; written row by row (write-only) so that a large report stays small in memory."""
    book = Workbook(write_only=True)
    _about(book.create_sheet("Rapport"), report)
    _goals(book.create_sheet("Mål"), report)
    _indicators(book.create_sheet("Indikatorer"), report)
    _activities(book.create_sheet("Aktiviteter"), report)
    _assignments(book.create_sheet("Uppdrag"), report)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _text(sheet, value, *, bold=False):
    """A cell that is always text (openpyxl would turn user text starting with "=" into a formula), without
    the control characters an .xlsx cannot hold."""
    cell = WriteOnlyCell(sheet, value="" if value is None else cell_text(str(value)))
    cell.data_type = "s"
    if bold:
        cell.font = BOLD
    return cell


def _number(sheet, value, decimals=0):
    if value is None:
        return None
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = "#,##0" + ("." + "0" * decimals if decimals else "")
    return cell


# Column widths in characters by heading; others get NARROW (numbers, codes).
WIDTHS = {
    "Mål": 50, "Indikator": 45, "Aktivitet": 45, "Uppdrag": 45, "Analys": 80, "Kommentar": 50,
    "Kategorier": 30, "Beslut": 22, "Nivå": 16, "Bedömning": 18, "Status": 22, "Beräknat förslag": 22,
    "Ansvarig": 18, "Enhet": 10, "Källa": 10, "Del": 10, "Målår": 8, "Mot mål": 10, "Start": 12, "Slut": 12,
    "Slutdatum": 12, "Beskrivning": 50, "Statusar under året": 50,
}  # fmt: skip
NARROW = 12


def _header(sheet, *names):
    """The sheet's header row, frozen, with the columns' widths (both must be set before any row)."""
    for index, name in enumerate(names, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(name, NARROW)
    sheet.freeze_panes = "A2"
    sheet.append([_text(sheet, name, bold=True) for name in names])


def _about(sheet, report):
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 70
    for label, value in (
        ("Kommun", report.municipality),
        ("Rapport", report.title),
        ("Period", report.subtitle),
        ("Datum", report.made_on.isoformat()),
        ("Status", report.status.capitalize()),
        ("Sammanfattning", report.headline),
    ):
        sheet.append([_text(sheet, label, bold=True), _text(sheet, value)])


def _goals(sheet, report):
    _header(sheet, "Nr", "Nivå", "Mål", "Ansvarig", "Beslut", "Kategorier", "Bedömning", "Status",
            "Beräknat förslag", "Analys")  # fmt: skip
    for goal in report.all_goals():
        judgement = goal.judgement
        sheet.append(
            [
                _text(sheet, goal.number),
                _text(sheet, goal.level_name),
                _text(sheet, goal.title),
                _text(sheet, goal.owner_code),
                _text(sheet, goal.decision),
                _text(sheet, goal.category_text),
                _text(sheet, judgement.label if judgement else ""),
                _text(sheet, judgement.state_label if judgement else ""),
                _text(sheet, judgement.suggestion_word if judgement else ""),
                _text(sheet, judgement.analysis if judgement else ""),
            ]
        )


def _indicators(sheet, report):
    columns = [column.label for column in report.columns]
    _header(
        sheet, "Mål nr", "Mål", "Indikator", "Enhet", "Kolada", "Källa", "Del",
        *columns, f"Mål {report.year}", "Målår", "Mot mål",
    )  # fmt: skip
    for goal in report.all_goals():
        for indicator in goal.indicators:
            parts = [("total", "Totalt")]
            if indicator.gender_split:
                parts += [("women", "Kvinnor"), ("men", "Män")]
            for attribute, part in parts:
                values = [getattr(v, attribute) if v is not None else None for v in indicator.values]
                first = attribute == "total"
                sheet.append(
                    [
                        _text(sheet, goal.number),
                        _text(sheet, goal.title),
                        _text(sheet, indicator.name),
                        _text(sheet, indicator.unit),
                        _text(sheet, indicator.kolada_kpi),
                        _text(sheet, "Kolada" if indicator.from_kolada else ""),
                        _text(sheet, part),
                        *[_number(sheet, v, indicator.decimals) for v in values],
                        _text(sheet, indicator.target_text if first else ""),
                        indicator.target_year if first else None,
                        _text(sheet, indicator.signal_word if first else ""),
                    ]
                )


def _activities(sheet, report):
    _header(sheet, "Mål nr", "Mål", "Aktivitet", "Ansvarig", "Start", "Slut", "Status", "Kommentar")
    for goal in report.all_goals():
        for activity in goal.activities:
            sheet.append(
                [
                    _text(sheet, goal.number),
                    _text(sheet, goal.title),
                    _text(sheet, activity.title),
                    _text(sheet, activity.responsible or activity.owner_code),
                    activity.start_date,
                    activity.end_date,
                    _text(sheet, activity.status_label if report.follow_up else ""),
                    _text(sheet, activity.comment),
                ]
            )


def _assignments(sheet, report):
    """Every assignment the report shows, on a goal or not, with its status in the report's period."""
    _header(sheet, "Mål nr", "Mål", "Uppdrag", "Ansvarig", "Beslut", "Slutdatum", "Status", "Kommentar",
            "Statusar under året")  # fmt: skip
    rows = [(goal.number, goal.title, a) for goal in report.all_goals() for a in goal.assignments]
    rows += [("", a.goal_title, a) for a in report.assignments]
    for number, title, assignment in rows:
        comment = assignment.statuses[-1][2] if assignment.status and assignment.statuses else ""
        year = "; ".join(f"{period}: {label}" for period, label, _comment in assignment.statuses)
        sheet.append(
            [
                _text(sheet, number),
                _text(sheet, title),
                _text(sheet, assignment.title),
                _text(sheet, assignment.owner_code),
                _text(sheet, assignment.decision),
                assignment.due_date,
                _text(sheet, assignment.status_label if report.follow_up else ""),
                _text(sheet, comment),
                _text(sheet, year),
            ]
        )
