"""Writes of the follow-up cycle. Every change of a period's data goes through `open_period_for_write`.

`by` is the user doing the write; None means the system itself (a management command), which is not
checked against roles. Views check roles first, to answer 403/404; the services check again so that no
other path (admin, imports) can skip a rule.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import record_event
from goals import treecache
from goals.models import EnteredByQuerySet, Goal, Indicator
from goals.numbers import decimal_places

from . import four_eyes, notices
from .models import (
    ActivityStatus,
    Assessment,
    AssignmentStatus,
    IndicatorValue,
    ReportingPeriod,
    StatusRecord,
)
from .permissions import can_approve, can_manage_periods, can_write_follow_up

# What IndicatorValue's DecimalFields hold: 16 digits, 4 of them decimals, so up to 12 before the sign.
_COLUMN = IndicatorValue._meta.get_field("total")
STORED_STEP = Decimal(1).scaleb(-_COLUMN.decimal_places)
LARGEST = Decimal(10) ** (_COLUMN.max_digits - _COLUMN.decimal_places)
# SQLite keeps a decimal as a double: Django reads back 15 significant digits and fails on more.
SIGNIFICANT_DIGITS = 15
PERCENT_UNITS = {"%", "procent"}
VALUE_FIELDS = ("total", "women", "men")


class PeriodClosedError(ValidationError):
    """Raised when something tries to change data of a closed period."""


class StaleVersion(Exception):  # noqa: N818 - it names the situation, like Django's DoesNotExist
    """Someone else saved since the user opened the page (or made the file); `conflicts` holds the rows as
    they are now (a value, status or judgement; None for a judgement that is gone)."""

    def __init__(self, conflicts):
        super().__init__(f"{len(conflicts)} row(s) changed since they were opened")
        self.conflicts = conflicts


def open_period_for_write(period):
    """Lock the period's row for this transaction and return it; refuse when it is closed.

    Value saves and the period's closing both take this row lock, so a save either lands before
    the close or sees the period closed: never after it. Call inside `transaction.atomic()`.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("open_period_for_write must run inside transaction.atomic()")
    locked = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if not locked.is_open:
        raise PeriodClosedError(_("%(period)s is closed; nothing in it can be changed.") % {"period": locked})
    return locked


def _refuse_unless(allowed):
    if not allowed:
        raise PermissionDenied


# Whose follow-up ----------------------------------------------------------------------------------------


def writer_of(item):
    """The organisation whose follow-up `item` is: an indicator's values are its own owner's to enter (not
    its goal's owner's), an activity's or an assignment's statuses its own owner's, a goal's judgement the
    goal's owner's. Takes the item or what is stored for it (a value, a status, an assessment)."""
    if isinstance(item, Assessment):
        item = item.goal
    if isinstance(item, Goal):
        return item.owner
    if isinstance(item, IndicatorValue):
        item = item.indicator
    elif isinstance(item, StatusRecord):
        item = getattr(item, item.ITEM)
    return getattr(item, EnteredByQuerySet.FIELD)


def may_write(user, item):
    """May `user` write `item`'s follow-up (see `writer_of`)? No user is the system (the Kolada import)."""
    return user is None or can_write_follow_up(user, writer_of(item))


# Periods -------------------------------------------------------------------------------------------------


def create_period(*, year, kind, deadline=None, cutoff=None, by=None):
    """Create an open reporting period; one per year and kind (`followup.calendar` makes a year's from the
    reporting calendar)."""
    _refuse_unless(by is None or can_manage_periods(by))
    with transaction.atomic():
        period = ReportingPeriod(year=year, kind=kind, deadline=deadline, cutoff=cutoff)
        period.full_clean()
        period.save()
        record_event("period.created", _("%(period)s created.") % {"period": period}, user=by, obj=period)
    return period


def close_period(period, *, by=None):
    """Close the period: from now on nothing in it can change. Recorded as an audit event."""
    _refuse_unless(by is None or can_manage_periods(by))
    with transaction.atomic():
        # The same row lock the writers take: a save in flight finishes first, any later one sees "closed".
        period = open_period_for_write(period)
        period.state = ReportingPeriod.State.CLOSED
        period.closed_at = timezone.now()
        period.closed_by = by
        period.save(update_fields=["state", "closed_at", "closed_by"])
        record_event("period.closed", _("%(period)s closed.") % {"period": period}, user=by, obj=period)
        treecache.changed()  # the public now sees the period's approved judgements on the tree
    return period


def reopen_period(period, *, reason, by=None):
    """Reopen a closed period; the reason is required and recorded."""
    _refuse_unless(by is None or can_manage_periods(by))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the period is reopened.")})
    with transaction.atomic():
        period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        if period.is_open:
            raise ValidationError(_("%(period)s is not closed.") % {"period": period})
        period.state = ReportingPeriod.State.REOPENED
        period.reopen_reason = reason
        period.closed_at, period.closed_by = None, None
        period.save(update_fields=["state", "reopen_reason", "closed_at", "closed_by"])
        summary = _("%(period)s reopened. Reason: %(reason)s") % {"period": period, "reason": reason}
        record_event("period.reopened", summary, user=by, obj=period)
        treecache.changed()
    return period


def set_deadline(period, deadline, *, by=None):
    """Change an open period's reporting deadline."""
    _refuse_unless(by is None or can_manage_periods(by))
    with transaction.atomic():
        period = open_period_for_write(period)
        period.deadline = deadline
        period.save(update_fields=["deadline"])
    return period


# Values --------------------------------------------------------------------------------------------------

# A value someone typed (on the sheet or in a file) is the board's own figure: Kolada never replaces it.
TYPED = {IndicatorValue.Source.MANUAL, IndicatorValue.Source.FILE}
BATCH = 500


@dataclass
class ValueEntry:
    """One indicator's value as entered; `version` is the one the user opened (0: none existed).

    `fields` are the ones the entry sets: the sheet sets all of them, an import only those its file has.
    """

    indicator_id: int
    total: Decimal | None = None
    women: Decimal | None = None
    men: Decimal | None = None
    comment: str = ""
    version: int | None = None  # None: do not check (an import that replaces what is there)
    fields: tuple = (*VALUE_FIELDS, "comment")


@dataclass
class Kept:
    """A typed value an import from Kolada left as it is, because Kolada has another figure."""

    stored: IndicatorValue
    entry: ValueEntry


@dataclass
class Saved:
    """What a write did: the rows written, how many entries were as stored, and typed values kept."""

    written: list
    unchanged: int = 0
    kept: list = field(default_factory=list)


def as_stored(number):
    """`number` rounded as the database column keeps it (four decimals, half up)."""
    return number.quantize(STORED_STEP, rounding=ROUND_HALF_UP)


def fits_column(number):
    """True when `number`, rounded as stored, can be stored and read back on every database.

    The bound applies after the rounding: 999999999999.99995 is below 10^12 but is stored as 10^12.
    """
    if abs(number) >= LARGEST:
        return False
    stored = as_stored(number)
    return abs(stored) < LARGEST and len(stored.normalize().as_tuple().digits) <= SIGNIFICANT_DIGITS


def is_share(indicator):
    """A share or percentage: at most 100 unless the indicator says otherwise."""
    return indicator.unit.strip().lower() in PERCENT_UNITS


def value_errors(indicator, number):
    """What is wrong with `number` as a value of `indicator` (an empty list when nothing is)."""
    if number is None:
        return []
    errors = []
    # What an indicator allows is its own (Indicator.allow_negative, allow_above_100), not its unit's.
    if number < 0 and not indicator.allow_negative:
        errors.append(
            _("%(indicator)s: a value cannot be negative (the indicator allows no negative values).")
            % {"indicator": indicator}
        )
    if is_share(indicator) and number > 100 and not indicator.allow_above_100:
        errors.append(
            _("%(indicator)s: a share cannot be more than 100 %% (the indicator does not allow it).")
            % {"indicator": indicator}
        )
    if abs(number) >= LARGEST:
        errors.append(_("The number is too large."))
    elif not fits_column(number):
        errors.append(
            _("The number has too many digits: at most %(count)d in all can be stored.")
            % {"count": SIGNIFICANT_DIGITS}
        )
    if decimal_places(number) > indicator.decimals:
        if indicator.decimals == 0:
            errors.append(_("Enter a whole number."))
        else:
            errors.append(
                ngettext(
                    "Use at most %(count)d decimal.", "Use at most %(count)d decimals.", indicator.decimals
                )
                % {"count": indicator.decimals}
            )
    return errors


def _same_value(stored, entry):
    return all(getattr(stored, f) == getattr(entry, f) for f in entry.fields)


def entry_problems(indicator, entry, current, source):
    """What is wrong with `entry` as the value of `indicator` over `current` (the stored row or None)."""
    problems = []
    if not indicator.gender_split and any(
        getattr(entry, f) is not None for f in ("women", "men") if f in entry.fields
    ):
        problems.append(_("%(indicator)s is not split by gender.") % {"indicator": indicator})
    # Kolada's published figures are stored as published (up to four decimals, any sign); what someone
    # types follows the entry rules. A number left as it is passes (Kolada's has more decimals than shown).
    if source != IndicatorValue.Source.KOLADA:
        for name in VALUE_FIELDS:
            number = getattr(entry, name)
            if name in entry.fields and (current is None or getattr(current, name) != number):
                problems += [f"{indicator}, {name}: {m}" for m in value_errors(indicator, number)]
    return problems


def save_values(
    period,
    entries,
    *,
    by=None,
    organisation=None,
    source=IndicatorValue.Source.MANUAL,
    keep_typed=True,
    provenance=None,
):
    """Store indicator values of one period in one transaction: the one way a value is written.

    The value sheet, uploads, the Kolada import and the admin all come here. Under the period's lock it
    checks the writer's role, the numbers and the versions; all or nothing: a bad number raises
    ValidationError, a role PermissionDenied, a value saved by someone else since its `version`
    StaleVersion. An entry equal to what is stored is skipped, and Kolada leaves a typed value that differs
    as it is (`Saved.kept`) — unless `keep_typed` is False: a controller took Kolada's figure
    (`differences.take_kolada`). A Kolada figure over an earlier Kolada figure is marked revised; the
    earlier one stays in the value's history. `organisation`: every entry must be one of the indicators
    it enters (its own, `Indicator.objects.entered_by`, whoever owns their goals); the writer must be
    allowed to write for the indicator's owner (`may_write`). `provenance` (import_file, import_sha256,
    imported_at, imported_by) names the file the values come from; a value written without it forgets it.
    """
    entries = list(entries)
    with transaction.atomic():
        period = open_period_for_write(period)
        indicators = Indicator.objects.select_related(EnteredByQuerySet.FIELD).in_bulk(
            [e.indicator_id for e in entries]
        )
        stored = {
            v.indicator_id: v
            for v in IndicatorValue.objects.filter(period=period, indicator_id__in=indicators).select_related(
                "updated_by"
            )
        }
        problems = []
        for entry in entries:
            indicator = indicators.get(entry.indicator_id)
            if indicator is None:
                raise ValidationError(_("Unknown indicator %(pk)s.") % {"pk": entry.indicator_id})
            if organisation is not None and writer_of(indicator) != organisation:
                raise ValidationError(
                    _("%(indicator)s is not one of %(org)s's.")
                    % {"indicator": indicator, "org": organisation}
                )
            _refuse_unless(may_write(by, indicator))
            problems += entry_problems(indicator, entry, stored.get(entry.indicator_id), source)
        if problems:
            raise ValidationError(problems)
        conflicts = [
            stored[e.indicator_id]
            for e in entries
            if e.version is not None
            and e.indicator_id in stored
            and stored[e.indicator_id].version != e.version
            and not _same_value(stored[e.indicator_id], e)
        ]
        if conflicts:
            raise StaleVersion(conflicts)
        return _write(period, entries, stored, by, source, keep_typed, provenance)


IMPORT_FIELDS = ("import_file", "import_sha256", "imported_at", "imported_by")


def _write(period, entries, stored, by, source, keep_typed=True, provenance=None):
    saved, new, changed = Saved([]), [], []
    now = timezone.now()
    for entry in entries:
        current = stored.get(entry.indicator_id)
        empty = all(getattr(entry, f) in (None, "") for f in entry.fields)
        if (current is not None and _same_value(current, entry)) or (current is None and empty):
            saved.unchanged += 1
            continue
        kolada = source == IndicatorValue.Source.KOLADA
        if kolada and keep_typed and current is not None and current.source in TYPED:
            saved.kept.append(Kept(current, entry))
            continue
        revised = (
            kolada
            and current is not None
            and current.source == IndicatorValue.Source.KOLADA
            and any(getattr(current, f) != getattr(entry, f) for f in entry.fields if f in VALUE_FIELDS)
        )
        value = current or IndicatorValue(indicator_id=entry.indicator_id, period=period, version=0)
        for name in entry.fields:
            setattr(value, name, getattr(entry, name))
        # A figure written now is no late figure; "revised" stays only while Kolada's figures stand.
        value.late_at = None
        value.revised_at = now if revised else (value.revised_at if kolada else None)
        value.source, value.updated_by, value.updated_at = source, by, now
        given = provenance or {}
        value.import_file, value.import_sha256 = given.get("import_file", ""), given.get("import_sha256", "")
        value.imported_at, value.imported_by = given.get("imported_at"), given.get("imported_by")
        value.version += 1
        (changed if current else new).append(value)
    if new:
        bulk_create_with_history(new, IndicatorValue, batch_size=BATCH, default_user=by)
    if changed:
        names = [*VALUE_FIELDS, "comment", "source", "updated_by", "updated_at", "version"]
        names += ["late_at", "revised_at", *IMPORT_FIELDS]
        bulk_update_with_history(changed, IndicatorValue, names, batch_size=BATCH, default_user=by)
    saved.written = new + changed
    return saved


def add_late_figures(period, entries, *, by=None):
    """Add Kolada figures to a closed annual period where it has no value at all: recorded late figures.

    The one exception to "nothing in a closed period changes" (Kolada publishes in spring, after the
    annual period was closed). Only new rows: an indicator that has a value in the period is left out,
    and no other row of the period is touched. Returns the rows added.
    """
    _refuse_unless(by is None or can_manage_periods(by))
    entries = list(entries)
    with transaction.atomic():
        period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        if period.is_open or period.is_interim:
            raise ValidationError(_("Late figures are added only to a closed annual period."))
        taken = set(
            IndicatorValue.objects.filter(
                period=period, indicator_id__in=[e.indicator_id for e in entries]
            ).values_list("indicator_id", flat=True)
        )
        now = timezone.now()
        new = [
            IndicatorValue(
                indicator_id=entry.indicator_id,
                period=period,
                **{name: getattr(entry, name) for name in entry.fields if name in VALUE_FIELDS},
                source=IndicatorValue.Source.KOLADA,
                late_at=now,
                updated_by=by,
                updated_at=now,
                version=1,
            )
            for entry in entries
            if entry.indicator_id not in taken
        ]
        if new:
            bulk_create_with_history(new, IndicatorValue, batch_size=BATCH, default_user=by)
            summary = _("%(count)d late figures from Kolada added to %(period)s after it was closed.") % {
                "count": len(new),
                "period": period,
            }
            record_event("kolada.late", summary, user=by, obj=period)
    return new


# Activity and assignment status ---------------------------------------------------------------------------

# What an entry may name that does not exist (or is not the organisation's), per kind of status.
UNKNOWN_ITEM = {
    ActivityStatus: gettext_lazy("Unknown activity %(pk)s."),
    AssignmentStatus: gettext_lazy("Unknown assignment %(pk)s."),
}


@dataclass
class StatusEntry:
    """One activity's or assignment's status as entered (`item_id` names it); `version` as for ValueEntry."""

    item_id: int
    status: str
    comment: str = ""
    version: int | None = None


def save_statuses(model, period, entries, *, by=None, organisation=None, provenance=None):
    """Store statuses of one period in one transaction, with the same conflict rule as values: the one
    writer of activity statuses (`model` ActivityStatus) and assignment statuses (AssignmentStatus).

    provenance: for an import, the `ImportedRecord` fields (file, SHA-256, who, when) every written row gets.
    """
    entries = list(entries)
    item = model.ITEM
    items_model = model._meta.get_field(item).related_model
    with transaction.atomic():
        period = open_period_for_write(period)
        items = items_model.objects.select_related(EnteredByQuerySet.FIELD)
        items = items.in_bulk([e.item_id for e in entries])
        for entry in entries:
            found = items.get(entry.item_id)
            if found is None or (organisation is not None and writer_of(found) != organisation):
                raise ValidationError(UNKNOWN_ITEM[model] % {"pk": entry.item_id})
            _refuse_unless(may_write(by, found))
            if entry.status not in model.Status.values:
                raise ValidationError(_("Unknown status %(status)s.") % {"status": entry.status})
        stored = {
            getattr(s, f"{item}_id"): s
            for s in model.objects.filter(period=period, **{f"{item}_id__in": items}).select_related(
                "updated_by"
            )
        }

        def same(row, entry):
            return row.status == entry.status and row.comment == entry.comment

        conflicts = [
            stored[e.item_id]
            for e in entries
            if e.version is not None
            and e.item_id in stored
            and stored[e.item_id].version != e.version
            and not same(stored[e.item_id], e)
        ]
        if conflicts:
            raise StaleVersion(conflicts)
        saved = Saved([])
        for entry in entries:
            current = stored.get(entry.item_id)
            if current is not None and same(current, entry):
                saved.unchanged += 1
                continue
            row = current or model(**{f"{item}_id": entry.item_id}, period=period, version=0)
            row.status, row.comment, row.updated_by = entry.status, entry.comment, by
            for name, value in (provenance or {}).items():
                setattr(row, name, value)
            row.version += 1
            row._history_user = by
            row.save()
            saved.written.append(row)
    return saved


def save_activity_statuses(period, entries, *, by=None, organisation=None, provenance=None):
    """Store activity statuses of one period (`save_statuses`)."""
    return save_statuses(
        ActivityStatus, period, entries, by=by, organisation=organisation, provenance=provenance
    )


def save_assignment_statuses(period, entries, *, by=None, organisation=None):
    """Store assignment statuses of one period (`save_statuses`): the assignment's owner reports them."""
    return save_statuses(AssignmentStatus, period, entries, by=by, organisation=organisation)


def set_activity_status(period, activity, status, comment="", *, by=None, version=None):
    """Store one activity's status in `period`."""
    entry = StatusEntry(activity.pk, status, comment, version)
    written = save_activity_statuses(period, [entry], by=by).written
    return written[0] if written else ActivityStatus.objects.get(period=period, activity=activity)


def set_assignment_status(period, assignment, status, comment="", *, by=None, version=None):
    """Store one assignment's status in `period`."""
    entry = StatusEntry(assignment.pk, status, comment, version)
    written = save_assignment_statuses(period, [entry], by=by).written
    return written[0] if written else AssignmentStatus.objects.get(period=period, assignment=assignment)


# Assessments ---------------------------------------------------------------------------------------------


def analysis_required(judgement):
    """Submitting needs an analysis unless the goal is judged met (docs/assessment-rule.md)."""
    return judgement != Assessment.Judgement.MET


def _assessment_for_write(period, goal, version, by):
    """Lock the period, check the writer and the version, and return the goal's assessment (or None)."""
    period = open_period_for_write(period)
    assessment = Assessment.objects.filter(period=period, goal=goal).first()
    if version is not None and (assessment.version if assessment else 0) != version:
        raise StaleVersion([assessment])
    return period, assessment


def _store(assessment, by, **fields):
    stated_before = assessment.pk is not None and assessment.state in Assessment.STATED
    for name, value in fields.items():
        setattr(assessment, name, value)
    assessment.updated_by = by
    assessment.version += 1
    assessment._history_user = by
    assessment.save()
    if stated_before or assessment.state in Assessment.STATED:
        # The tree shows stated judgements: its cached rendering must show this one at once.
        treecache.changed()
    return assessment


def save_assessment(period, goal, *, judgement, analysis, by=None, version=None):
    """Save the judgement and analysis of a goal as a draft; only a draft can be changed."""
    _refuse_unless(by is None or can_write_follow_up(by, goal.owner))
    if judgement not in Assessment.Judgement.values:
        raise ValidationError({"judgement": _("Choose a judgement.")})
    analysis = (analysis or "").strip()
    with transaction.atomic():
        period, assessment = _assessment_for_write(period, goal, version, by)
        if assessment is None:
            assessment = Assessment(period=period, goal=goal, version=0)
        elif not assessment.is_draft:
            raise ValidationError(
                _("This judgement has been submitted; a controller must send it back first.")
            )
        elif assessment.judgement == judgement and assessment.analysis == analysis:
            return assessment
        if four_eyes.is_controller_edit(by, goal):
            assessment._change_reason = four_eyes.CONTROLLER_EDIT  # shown to the board on the judgement page
        return _store(assessment, by, judgement=judgement, analysis=analysis)


def submit_assessment(period, goal, *, by=None, version=None):
    """Submit a draft judgement for approval; an analysis is required unless the goal is met."""
    _refuse_unless(by is None or can_write_follow_up(by, goal.owner))
    with transaction.atomic():
        period, assessment = _assessment_for_write(period, goal, version, by)
        if assessment is None or not assessment.is_draft:
            raise ValidationError(_("Only a draft judgement can be submitted."))
        if analysis_required(assessment.judgement) and not assessment.analysis.strip():
            raise ValidationError(
                {"analysis": _("Write an analysis: it is required unless the goal is met.")}
            )
        return _store(
            assessment, by, state=Assessment.State.SUBMITTED, submitted_at=timezone.now(), submitted_by=by
        )


def approve_assessment(period, goal, *, by=None, version=None):
    """A controller approves a submitted judgement; not one they wrote or changed (`four_eyes.refusal`)."""
    _refuse_unless(by is None or can_approve(by))
    with transaction.atomic():
        period, assessment = _assessment_for_write(period, goal, version, by)
        if assessment is None or not assessment.is_submitted:
            raise ValidationError(_("Only a submitted judgement can be approved."))
        refused = four_eyes.refusal(by, assessment)
        if refused:
            raise ValidationError(refused)
        return notices.notify_judgement(
            _store(
                assessment, by, state=Assessment.State.APPROVED, approved_at=timezone.now(), approved_by=by
            )
        )


def return_assessment(period, goal, *, comment, by=None, version=None):
    """A controller sends a submitted (or approved) judgement back to draft, saying why."""
    _refuse_unless(by is None or can_approve(by))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what needs to change.")})
    with transaction.atomic():
        period, assessment = _assessment_for_write(period, goal, version, by)
        if assessment is None or not assessment.is_returnable:
            raise ValidationError(_("Only a submitted or approved judgement can be sent back."))
        return notices.notify_judgement(
            _store(
                assessment,
                by,
                state=Assessment.State.DRAFT,
                return_comment=comment,
                approved_at=None,
                approved_by=None,
            )
        )


@dataclass
class ImportedJudgement:
    """A judgement as a file from an earlier system states it."""

    goal_id: int
    judgement: str
    analysis: str
    state: str


def imported_judgement_problem(stored, entry):
    """Why `entry` may not be written over the stored judgement, or None: a submitted or approved one is the
    board's statement and stays unless the file says the same."""
    if stored is None or stored.is_draft:
        return None
    if (stored.judgement, stored.analysis, stored.state) == (entry.judgement, entry.analysis, entry.state):
        return None
    return _(
        "the goal already has a %(state)s judgement in this period; a controller sends it back first."
    ) % {"state": stored.get_state_display().lower()}


def import_judgements(period, entries, *, by=None, provenance):
    """Write judgements brought from a file into one open period, in the state the file gives them.

    For history from an earlier system: controllers only. A judgement that needs an analysis but has none
    is kept and marked `analysis_missing` ("analys saknas i källan") instead of refused. Returns `Saved`.
    """
    _refuse_unless(by is None or can_approve(by))
    entries = list(entries)
    with transaction.atomic():
        period = open_period_for_write(period)
        stored = {
            a.goal_id: a
            for a in Assessment.objects.filter(period=period, goal_id__in=[e.goal_id for e in entries])
        }
        saved = Saved([])
        for entry in entries:
            if (
                entry.judgement not in Assessment.Judgement.values
                or entry.state not in Assessment.State.values
            ):
                raise ValidationError(_("Unknown judgement or state."))
            current = stored.get(entry.goal_id)
            problem = imported_judgement_problem(current, entry)
            if problem:
                raise ValidationError(problem)
            analysis = entry.analysis.strip()
            missing = analysis_required(entry.judgement) and not analysis
            if current is not None and (
                current.judgement,
                current.analysis,
                current.state,
                current.analysis_missing,
            ) == (entry.judgement, analysis, entry.state, missing):
                saved.unchanged += 1
                continue
            row = current or Assessment(period=period, goal_id=entry.goal_id, version=0)
            fields = {
                "judgement": entry.judgement,
                "analysis": analysis,
                "state": entry.state,
                "analysis_missing": missing,
            }
            saved.written.append(_store(row, by, **fields, **provenance))
    return saved


# The admin -----------------------------------------------------------------------------------------------


def save_value_from_admin(value, *, by=None, version=None):
    """Save a value edited in the admin through `save_values`, as typed by `by`; return the stored row."""
    entry = ValueEntry(value.indicator_id, value.total, value.women, value.men, value.comment, version)
    saved = save_values(value.period, [entry], by=by)
    if saved.written:
        return saved.written[0]
    return IndicatorValue.objects.get(indicator_id=value.indicator_id, period=value.period)


def save_status_from_admin(status, *, by=None, version=None):
    """Save an activity or assignment status edited in the admin through `save_statuses`; return the
    stored row."""
    model, item = type(status), status.ITEM
    entry = StatusEntry(getattr(status, f"{item}_id"), status.status, status.comment, version)
    written = save_statuses(model, status.period, [entry], by=by).written
    if written:
        return written[0]
    return model.objects.get(**{item: getattr(status, item)}, period=status.period)


def save_assessment_from_admin(assessment, *, by=None, version=None):
    """Save a draft judgement's texts edited in the admin through `save_assessment`."""
    return save_assessment(
        assessment.period,
        assessment.goal,
        judgement=assessment.judgement,
        analysis=assessment.analysis,
        by=by,
        version=version,
    )


def delete_from_admin(obj, *, by=None):
    """Delete a value, status or assessment from the admin: refused when its period is closed or the
    organisation's follow-up is not `by`'s to write."""
    _refuse_unless(may_write(by, obj))
    with transaction.atomic():
        open_period_for_write(obj.period)
        obj.delete()
        if isinstance(obj, Assessment):
            treecache.changed()
