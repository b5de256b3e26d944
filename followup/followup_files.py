"""Judgements and activity statuses from a file (.xlsx or CSV), e.g. the history of an earlier system.

A file holds one kind of row (`JUDGEMENTS` or `STATUSES`) for any number of periods. Its columns are found by
their headings, like the value upload (`followup.spreadsheet`, whose bounded reader reads the file). A goal
or an activity is named by its id or, without one, by its title and its owner's code; that matching ends
where two have the same title and owner (the row is refused, naming both). Every row is checked before
anything is written, every problem is listed with its row and column, and nothing is written unless all
rows are right. Every row written records the file's name and SHA-256, who imported it and when.
"""

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from accounts.models import record_event
from goals.celltext import cell_text, undo_formula_guard
from goals.models import Activity, Goal
from noramal.downloads import download_name

from . import services
from .imports import ImportReport
from .models import ActivityStatus, Assessment, ReportingPeriod
from .spreadsheet import COMMENT_FIELD, Column, UploadError, _filled, _normal, _whole, read_table

JUDGEMENTS = "judgements"
STATUSES = "statuses"
KINDS = (JUDGEMENTS, STATUSES)
ANALYSIS_FIELD = Assessment._meta.get_field("analysis")

COMMON = (
    Column("owner", gettext_lazy("Owner (code)"), 12),
    Column("year", gettext_lazy("Year"), 8),
    Column("period", gettext_lazy("Period"), 28),
)
COLUMNS = {
    JUDGEMENTS: (
        Column("id", gettext_lazy("Goal id"), 10),
        Column("title", gettext_lazy("Goal"), 50),
        *COMMON,
        Column("judgement", gettext_lazy("Judgement"), 18),
        Column("text", gettext_lazy("Analysis"), 60),
        Column("state", gettext_lazy("State"), 12),
    ),
    STATUSES: (
        Column("id", gettext_lazy("Activity id"), 10),
        Column("title", gettext_lazy("Activity"), 50),
        *COMMON,
        Column("status", gettext_lazy("Status"), 16),
        Column("text", gettext_lazy("Comment"), 60),
    ),
}
# Words an earlier system's export may use for a period kind, beside the kinds' own names and codes.
PERIOD_WORDS = {
    "årsbokslut": ReportingPeriod.Kind.ANNUAL,
    "bokslut": ReportingPeriod.Kind.ANNUAL,
    "helår": ReportingPeriod.Kind.ANNUAL,
    "delår april": ReportingPeriod.Kind.INTERIM_APRIL,
    "delår 1": ReportingPeriod.Kind.INTERIM_APRIL,
    "april": ReportingPeriod.Kind.INTERIM_APRIL,
    "delår augusti": ReportingPeriod.Kind.INTERIM_AUGUST,
    "delår 2": ReportingPeriod.Kind.INTERIM_AUGUST,
    "augusti": ReportingPeriod.Kind.INTERIM_AUGUST,
}

# Words earlier systems use for a status or a judgement, beside the choices' own names and codes.
STATUS_WORDS = {
    "ej startad": ActivityStatus.Status.NOT_STARTED,
    "inte påbörjad": ActivityStatus.Status.NOT_STARTED,
    "pågår": ActivityStatus.Status.ONGOING,
    "klar": ActivityStatus.Status.DONE,
    "avslutad": ActivityStatus.Status.DONE,
    "utförd": ActivityStatus.Status.DONE,
    "avbruten": ActivityStatus.Status.CANCELLED,
    "stoppad": ActivityStatus.Status.CANCELLED,
}
JUDGEMENT_WORDS = {
    "delvis": Assessment.Judgement.PARTLY_MET,
    "inte uppfyllt": Assessment.Judgement.NOT_MET,
    "uppnått": Assessment.Judgement.MET,
    "delvis uppnått": Assessment.Judgement.PARTLY_MET,
    "ej uppnått": Assessment.Judgement.NOT_MET,
}


def _choice_words(choices, extra=None):
    """{normalised word: code}: each choice's code and its label in every language, and `extra`."""
    words = {_normal(code): code for code in choices.values}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            words |= {_normal(label): code for code, label in choices.choices}
    return words | {_normal(k): v for k, v in (extra or {}).items()}


def _header_map(kind, header):
    aliases = {}
    for column in COLUMNS[kind]:
        aliases[_normal(column.key)] = column.key
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                aliases[_normal(column.label)] = column.key
    found, problems = {}, []
    for index, heading in enumerate(header):
        key = aliases.get(_normal(heading)) if _filled(heading) else None
        if key is None:
            continue
        if key in found:
            problems.append(_('The column "%(column)s" appears twice.') % {"column": heading})
        found[key] = (index, str(heading).strip())
    needed = [c for c in COLUMNS[kind] if c.key in ("year", "period", "judgement", "status")]
    for column in needed:
        if column.key not in found:
            problems.append(
                _('The file has no column "%(column)s"; start from the template.') % {"column": column.label}
            )
    if "id" not in found and not {"title", "owner"} <= set(found):
        problems.append(_("The file names its rows neither by id nor by title and owner."))
    if problems:
        raise UploadError(problems)
    return found


@dataclass
class Planned:
    row: int
    period: ReportingPeriod
    item: object  # the goal or the activity
    choice: str  # the judgement or the status
    text: str
    state: str = ""


def _items(kind):
    model = Goal if kind == JUDGEMENTS else Activity
    items = list(model.objects.select_related("owner"))
    by_name = {}
    for item in items:
        by_name.setdefault((_normal(item.title), item.owner.code.upper()), []).append(item)
    return {item.pk: item for item in items}, by_name


def check_rows(kind, header, rows):
    """Check every row; return the planned writes, or raise `UploadError` with every problem at once."""
    columns = _header_map(kind, header)
    by_id, by_name = _items(kind)
    periods = {(p.year, p.kind): p for p in ReportingPeriod.objects.all()}
    period_words = _choice_words(ReportingPeriod.Kind, PERIOD_WORDS)
    choice_key = "judgement" if kind == JUDGEMENTS else "status"
    if kind == JUDGEMENTS:
        choices = _choice_words(Assessment.Judgement, JUDGEMENT_WORDS)
    else:
        choices = _choice_words(ActivityStatus.Status, STATUS_WORDS)
    states = _choice_words(Assessment.State)
    text_field = ANALYSIS_FIELD if kind == JUDGEMENTS else COMMENT_FIELD
    stored = {}
    if kind == JUDGEMENTS:
        # Only open periods take an import: their judgements are the ones a row may meet.
        open_ones = Assessment.objects.exclude(period__state=ReportingPeriod.State.CLOSED)
        stored = {(a.goal_id, a.period_id): a for a in open_ones}
    planned, errors, places, seen = [], [], [], {}

    def cell(cells, key):
        index = columns[key][0] if key in columns else None
        value = cells[index] if index is not None and index < len(cells) else None
        return value if _filled(value) else None

    def problem(number, key, message):
        heading = columns[key][1] if key in columns else key
        errors.append(
            _("Row %(row)d, column %(column)s: %(message)s")
            % {"row": number, "column": heading, "message": message}
        )
        places.append((number, key))

    for number, cells in rows:
        failed = len(errors)
        item = None
        raw_id, title, owner = cell(cells, "id"), cell(cells, "title"), cell(cells, "owner")
        if raw_id is not None:
            item = by_id.get(_whole(raw_id))
            if item is None:
                problem(number, "id", _("no goal or activity has the id %(id)s.") % {"id": raw_id})
        elif title is not None and owner is not None:
            matches = by_name.get((_normal(title), str(owner).strip().upper()), [])
            if not matches:
                problem(
                    number,
                    "title",
                    _("nothing titled “%(title)s” is owned by %(owner)s.") % {"title": title, "owner": owner},
                )
            elif len(matches) > 1:
                ids = ", ".join(str(m.pk) for m in matches)
                problem(
                    number,
                    "title",
                    _("two or more have this title and owner (ids %(ids)s); give the id.") % {"ids": ids},
                )
            else:
                item = matches[0]
        else:
            problem(
                number, "id" if "id" in columns else "title", _("give the id, or the title and the owner.")
            )
        year = _whole(cell(cells, "year")) if cell(cells, "year") is not None else None
        period_kind = period_words.get(_normal(cell(cells, "period") or ""))
        period = None
        if year is None:
            problem(number, "year", _("expected a year, e.g. 2025."))
        elif period_kind is None:
            problem(number, "period", _("expected a period: årsbokslut, delår april or delår augusti."))
        else:
            period = periods.get((year, period_kind))
            if period is None:
                label = ReportingPeriod.Kind(period_kind).label
                problem(
                    number,
                    "period",
                    _("there is no period %(period)s %(year)d; create it first.")
                    % {"period": label, "year": year},
                )
            elif not period.is_open:
                problem(
                    number,
                    "period",
                    _("%(period)s is closed; nothing in it can be changed.") % {"period": period},
                )
        choice = choices.get(_normal(cell(cells, choice_key) or ""))
        if choice is None:
            problem(
                number,
                choice_key,
                _("expected one of: %(choices)s.") % {"choices": ", ".join(choices_labels(kind))},
            )
        text = undo_formula_guard(str(cell(cells, "text") or "").strip())
        try:
            text_field.run_validators(text)
        except ValidationError as error:  # its length and no control characters
            for message in error.messages:
                problem(number, "text", message)
        state = ""
        if kind == JUDGEMENTS:
            raw_state = cell(cells, "state")
            state = states.get(_normal(raw_state)) if raw_state is not None else Assessment.State.APPROVED
            if state is None:
                problem(number, "state", _("expected a state: utkast, inskickad or godkänd."))
        if len(errors) > failed:
            continue
        key = (item.pk, period.pk)
        if key in seen:
            problem(
                number,
                "id" if raw_id is not None else "title",
                _("the same period is also on row %(row)d.") % {"row": seen[key]},
            )
            continue
        seen[key] = number
        if kind == JUDGEMENTS:
            entry = services.ImportedJudgement(item.pk, choice, text, state)
            reason = services.imported_judgement_problem(stored.get(key), entry)
            if reason:
                problem(number, "state" if "state" in columns else choice_key, reason)
                continue
        planned.append(Planned(number, period, item, choice, text, state))
    if errors:
        raise UploadError(errors, places)
    return planned


def choices_labels(kind):
    choices = Assessment.Judgement if kind == JUDGEMENTS else ActivityStatus.Status
    return [str(label).lower() for _code, label in choices.choices]


def import_table(kind, header, rows, *, name, sha256, user=None, dry_run=False):
    """Check the whole table, then write it in one transaction through the follow-up services."""
    report = ImportReport(
        dry_run=dry_run,
        imported_label=_("Imported judgements") if kind == JUDGEMENTS else _("Imported activity statuses"),
        unchanged_label=_("Unchanged judgements") if kind == JUDGEMENTS else _("Unchanged activity statuses"),
    )
    planned = check_rows(kind, header, rows)
    user = user if user is not None and user.is_authenticated else None
    provenance = {
        "import_file": name[:255],
        "import_sha256": sha256,
        "imported_at": timezone.now(),
        "imported_by": user,
    }
    by_period = {}
    for item in planned:
        by_period.setdefault(item.period.pk, (item.period, []))[1].append(item)
    with transaction.atomic():
        for period, items in by_period.values():
            if kind == JUDGEMENTS:
                entries = [services.ImportedJudgement(p.item.pk, p.choice, p.text, p.state) for p in items]
                saved = services.import_judgements(period, entries, by=user, provenance=provenance)
                missing = sum(1 for row in saved.written if row.analysis_missing)
                if missing:
                    report.notes.append(
                        _(
                            "%(period)s: %(count)d judgements without an analysis, imported as history and "
                            "marked “analysis missing in the source”."
                        )
                        % {"period": period, "count": missing}
                    )
            else:
                entries = [services.StatusEntry(p.item.pk, p.choice, p.text) for p in items]
                saved = services.save_activity_statuses(period, entries, by=user, provenance=provenance)
            report.imported += len(saved.written)
            report.unchanged += saved.unchanged
        what = _("judgements") if kind == JUDGEMENTS else _("activity statuses")
        summary = _("File import of %(what)s from %(file)s (SHA-256 %(sha)s): %(summary)s.") % {
            "what": what,
            "file": name,
            "sha": sha256,
            "summary": report.summary(),
        }
        record_event("import.follow_up", summary, user=user)
        if dry_run:
            transaction.set_rollback(True)
    return report


def import_upload(kind, name, data, *, user=None, dry_run=False):
    """Read an uploaded .xlsx or CSV file and import it (see `import_table`)."""
    header, rows = read_table(name, data)
    sha256 = hashlib.sha256(data).hexdigest()
    return import_table(kind, header, rows, name=name or "", sha256=sha256, user=user, dry_run=dry_run)


def template(kind):
    """The template as the bytes of an .xlsx file: the headings, and one row per goal or activity with its id,
    title and owner, to be filled in (copy a row for each period)."""
    book = Workbook()
    sheet = book.active
    sheet.title = str(_("Judgements") if kind == JUDGEMENTS else _("Activity status"))[:31]
    columns = COLUMNS[kind]
    sheet.append([str(c.label) for c in columns])
    for number, column in enumerate(columns, start=1):
        sheet.cell(row=1, column=number).font = Font(bold=True)
        sheet.column_dimensions[sheet.cell(row=1, column=number).column_letter].width = column.width
    model = Goal if kind == JUDGEMENTS else Activity
    order = ("tree_id", "lft") if kind == JUDGEMENTS else ("goal__tree_id", "goal__lft", "position", "pk")
    for item in model.objects.select_related("owner").order_by(*order):
        sheet.append([item.pk, cell_text(item.title), item.owner.code])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_name(kind):
    return download_name("mall", "bedömningar" if kind == JUDGEMENTS else "aktiviteter", extension="xlsx")
