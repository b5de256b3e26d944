"""The council's assignments (KF-uppdrag): the one write path, and their shape as plain data.

The council decides assignments, so controllers write them (`permissions.can_edit_assignments`); the
assignment's owner reports its status every period (`followup.services.save_assignment_statuses`). Every
path — the pages, the admin, a goal file — comes here. An assignment may hang on a goal or on none.

For goal files (`"assignments": [...]` under a goal):
- `assignments_as_data(goal)` → a list of `{"title", "description", "decision", "owner", "due"}`: the owner
  as its organisation code, the due date as "YYYY-MM-DD" or None; `goal=None` gives those without a goal.
- `create_from_data(goal, rows, by=None)` creates such rows under `goal` (or without a goal) in one
  transaction and returns them; every row's errors come at once in one ValidationError, in Swedish,
  naming the row, and nothing is written when any row is wrong.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from . import deletion
from .models import Assignment, Organisation
from .permissions import can_edit_assignments

# The fields a goal file's assignment row holds, and the model field each fills.
DATA_FIELDS = {"title": "title", "description": "description", "decision": "decision", "owner": "owner"}


def _refuse_unless_allowed(by):
    if by is not None and not can_edit_assignments(by):
        raise PermissionDenied


def assignment_errors(assignment):
    """What is wrong with `assignment` beyond its fields' own checks (a dict of field → message)."""
    errors = {}
    owner = assignment.owner if assignment.owner_id else None
    if owner is not None and owner.kind == Organisation.Kind.COUNCIL:
        errors["owner"] = _("The council gives its assignments to other organisations, not to itself.")
    return errors


def _check(assignment):
    """Run the field checks and the rule together, so that every error comes at once."""
    errors = {}
    try:
        assignment.full_clean(exclude=["position"])
    except ValidationError as error:
        errors.update(error.message_dict)
    for name, message in assignment_errors(assignment).items():
        errors.setdefault(name, []).append(message)
    if errors:
        raise ValidationError(errors)


def _next_position():
    last = Assignment.objects.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


@transaction.atomic
def save_assignment(assignment, *, by=None):
    """Create or change an assignment, checked; an unchanged one is not saved again (its history stays)."""
    _refuse_unless_allowed(by)
    _check(assignment)
    if assignment.pk is None:
        assignment.position = _next_position()
    elif not _changed(assignment):
        return assignment
    assignment._history_user = by
    assignment.save()
    return assignment


def _changed(assignment):
    stored = Assignment.objects.filter(pk=assignment.pk).values(*_EDITABLE).first()
    return stored is None or any(stored[name] != getattr(assignment, name) for name in _EDITABLE)


_EDITABLE = ("goal_id", "title", "description", "decision", "owner_id", "due_date")


@transaction.atomic
def delete_assignment(assignment, *, by=None):
    """Delete an assignment, unless a guard refuses (one with follow-up stays: `followup.guards`)."""
    _refuse_unless_allowed(by)
    deletion.refuse_if_blocked(assignment)
    assignment._history_user = by
    assignment.delete()


def assignments_as_data(goal):
    """The assignments on `goal` (None: those without a goal) as plain data for a goal file."""
    rows = Assignment.objects.filter(goal=goal).select_related("owner").order_by("position", "pk")
    return [
        {
            "title": a.title,
            "description": a.description,
            "decision": a.decision,
            "owner": a.owner.code,
            "due": a.due_date.isoformat() if a.due_date else None,
        }
        for a in rows
    ]


def create_from_data(goal, rows, *, by=None):
    """Create assignments from goal-file rows under `goal` (or without one); all or nothing."""
    _refuse_unless_allowed(by)
    if not isinstance(rows, list):
        raise ValidationError(_("The assignments must be a list."))
    codes = {o.code: o for o in Organisation.objects.all()}
    problems, made = [], []
    for number, row in enumerate(rows, start=1):
        place = _("Assignment %(number)d") % {"number": number}
        if not isinstance(row, dict):
            problems.append(_("%(place)s: must be an object with a title and an owner.") % {"place": place})
            continue
        if isinstance(row.get("title"), str) and row["title"].strip():
            place = f"{place} (“{row['title'].strip()[:60]}”)"
        errors = []
        unknown = sorted(set(row) - {*DATA_FIELDS, "due"})
        if unknown:
            errors.append(_("unknown fields: %(names)s") % {"names": ", ".join(unknown)})
        texts = {}
        for name in ("title", "description", "decision"):
            value = row.get(name, "")
            if value is None:
                value = ""
            if not isinstance(value, str):
                errors.append(_("%(field)s must be text") % {"field": name})
                value = ""
            texts[name] = value.strip()
        owner = codes.get(row.get("owner")) if isinstance(row.get("owner"), str) else None
        if owner is None:
            errors.append(_("no organisation has the code %(code)s") % {"code": _quoted(row.get("owner"))})
        due = _due_date(row.get("due"), errors)
        assignment = Assignment(goal=goal, owner=owner, due_date=due, **texts)
        if owner is not None and not errors:
            try:
                _check(assignment)
            except ValidationError as error:
                errors += [f"{name}: {' '.join(m)}" for name, m in error.message_dict.items()]
        if errors:
            problems.append(f"{place}: " + "; ".join(str(e) for e in errors) + ".")
        else:
            made.append(assignment)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        return [save_assignment(assignment, by=by) for assignment in made]


def _quoted(value):
    return f"“{value}”" if isinstance(value, str) else _("(none)")


def _due_date(value, errors):
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    errors.append(_("the due date %(value)s is not a date written YYYY-MM-DD") % {"value": _quoted(value)})
    return None
