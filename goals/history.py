"""Change history: who changed what and when, as readable field-by-field differences.

Every domain model keeps django-simple-history rows. The pages read them per model in one query each,
diff each row against the previous row of the same object, and name related objects with one query per
related model, so a history page costs the same number of queries however long the history is.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from .models import GOAL_HISTORY, Activity, Category, Goal, Indicator, Target
from .targets import span_text

# Columns that never change or say nothing to a reader; the object they belong to is named by the entry.
HIDDEN = {"id", "goal", "indicator"}
KIND = {"+": "created", "~": "changed", "-": "deleted"}


@contextmanager
def acting_as(user):
    """Let the history rows written in the block name `user` as their author outside a request (a command);
    inside a request the middleware's user is kept."""
    context = HistoricalRecords.context
    request = getattr(context, "request", None)
    if request is not None or user is None:
        yield
        return
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        del context.request


def category_history_model():
    """The model that keeps, for each history row of a goal, the goal's categories at that moment."""
    return GOAL_HISTORY.m2m_models[Goal._meta.get_field("categories")]


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    """One history row: when, by whom, which object, and what it changed."""

    when: object
    who: str
    kind: str
    subject: str
    changes: list = field(default_factory=list)

    @property
    def kind_label(self):
        return {"created": _("Created"), "changed": _("Changed"), "deleted": _("Deleted")}[self.kind]


def goal_history(goal):
    """The goal's own history with that of its indicators and activities, newest first."""
    goal_rows = list(Goal.history.filter(id=goal.pk).select_related("history_user").order_by(*_ORDER))
    categories = _category_lists(goal_rows)
    sources = [
        (goal_rows, lambda r: f"{str(Goal._meta.verbose_name).capitalize()}: {r.title}"),
        (_rows(Indicator, goal_id=goal.pk), lambda r: f"{_('Indicator')}: {r.name}"),
        (_rows(Activity, goal_id=goal.pk), lambda r: f"{_('Activity')}: {r.title}"),
    ]
    return _entries(sources, categories)


def indicator_history(indicator):
    """The indicator's history with that of its yearly targets, newest first."""
    sources = [
        (_rows(Indicator, id=indicator.pk), lambda r: f"{_('Indicator')}: {r.name}"),
        (
            _rows(Target, indicator_id=indicator.pk),
            lambda r: f"{_('Target')} {span_text(r.from_year, r.to_year)}",
        ),
    ]
    return _entries(sources, {})


_ORDER = ("history_date", "history_id")


def _rows(model, **filters):
    return list(model.history.filter(**filters).select_related("history_user").order_by(*_ORDER))


def _category_lists(goal_rows):
    """History row id → "Set: Category" of the goal's categories recorded with it, in its order."""
    links = category_history_model().objects.filter(history_id__in=[r.pk for r in goal_rows])
    lists = {row.pk: [] for row in goal_rows}
    rows = list(
        links.order_by("history_id", "position", "m2m_history_id").values_list("history_id", "category_id")
    )
    names = {
        pk: f"{set_name}: {name}"
        for pk, set_name, name in Category.objects.filter(pk__in={c for _h, c in rows}).values_list(
            "pk", "set__name", "name"
        )
    }
    for history_id, category_id in rows:
        lists[history_id].append(names.get(category_id, _("#%(pk)s (deleted)") % {"pk": category_id}))
    return lists


def _entries(sources, categories):
    related = _related_names([row for rows, _label in sources for row in rows])
    entries = []
    for rows, label in sources:
        previous = {}
        for row in rows:
            before = previous.get(row.id)
            previous[row.id] = row
            kind = KIND[row.history_type]
            changes = [] if kind == "deleted" else _changes(row, before, related)
            if row.pk in categories:
                old = categories.get(before.pk, []) if before is not None else []
                if categories[row.pk] != old:
                    changes.append(
                        Change(_("categories"), ", ".join(old) or "—", ", ".join(categories[row.pk]) or "—")
                    )
            entries.append(Entry(row.history_date, _who(row), kind, label(row), changes))
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def _fields(row):
    return [f for f in row.instance_type._meta.concrete_fields if f.name not in HIDDEN and f.editable]


def _changes(row, before, related):
    """The fields that differ from the previous row, or every filled-in field of a created object."""
    changes = []
    if before is None:
        # A new object's place among its siblings says nothing yet; later moves show it changing.
        for f in (f for f in _fields(row) if f.name != "position"):
            new = _display(f, getattr(row, f.attname), related)
            if new != "—":
                changes.append(Change(str(f.verbose_name), "—", new))
        return changes
    names = {f.name: f for f in _fields(row)}
    delta = row.diff_against(before, included_fields=list(names))
    for change in delta.changes:
        f = names[change.field]
        changes.append(
            Change(str(f.verbose_name), _display(f, change.old, related), _display(f, change.new, related))
        )
    return changes


def _related_names(rows):
    """(model, value) → a name, for every object the rows point to, in one query per related model."""
    wanted = {}
    for row in rows:
        for f in _fields(row):
            if isinstance(f, models.ForeignKey) and getattr(row, f.attname) is not None:
                # A reference names its row by the field it points to (a goal's level: by its key).
                key = (f.related_model, f.target_field.attname)
                wanted.setdefault(key, set()).add(getattr(row, f.attname))
    names = {}
    for (model, target), values in wanted.items():
        for obj in model._base_manager.filter(**{f"{target}__in": values}):
            names[model, getattr(obj, target)] = str(obj)
    return names


def _display(f, value, related):
    """A stored value as a reader would write it."""
    if value is None or value == "":
        return "—"
    if isinstance(f, models.ForeignKey):
        return related.get((f.related_model, value)) or _("#%(pk)s (deleted)") % {"pk": value}
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text.replace(".", formats.get_format("DECIMAL_SEPARATOR"))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _who(row):
    user = row.history_user
    if user is None:
        return _("the system (an import or a command)")
    return user.get_full_name() or user.get_username()
