"""The goal exchange format, version 1: read and check a document, import it in bulk, export the tree.

The format is described in docs/goal-format.md. A document is checked completely before anything is
written, and the first problem ends the reading with a `GoalFileError` that names its place in the file.
"""

import difflib
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Max, ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from . import jsondepth, tree, treecache
from .history import perspective_history_model
from .models import (
    CHILD_LEVEL,
    Activity,
    Goal,
    Indicator,
    Level,
    Organisation,
    Perspective,
    Target,
    chain_errors,
    record_event,
)

FORMAT = "noramal-goals"
VERSION = 1

TOP_KEYS = ("format", "version", "municipality", "organisations", "perspectives", "vision",
            "overarching_goal", "council_goals")  # fmt: skip
ORGANISATION_KEYS = ("code", "name", "kind", "parent")
PERSPECTIVE_KEYS = ("name", "description")
GOAL_KEYS = ("title", "description", "owner", "decision", "valid_from", "valid_to", "perspectives",
             "indicators", "activities")  # fmt: skip
INDICATOR_KEYS = ("name", "unit", "direction", "decimals", "gender_split", "kolada_kpi", "owner", "targets")
TARGET_KEYS = ("year", "value", "tolerance")
ACTIVITY_KEYS = ("title", "description", "owner", "responsible", "start_date", "end_date")
# Export leaves a field out when it holds its default, so that files stay short and a round trip is stable.
DEFAULTS = {
    "description": "", "decision": "", "valid_from": None, "valid_to": None, "perspectives": [],
    "indicators": [], "activities": [], "board_goals": [], "unit_goals": [], "direction": "higher",
    "decimals": 0, "gender_split": False, "kolada_kpi": "", "targets": [], "responsible": "",
    "start_date": None, "end_date": None,
}  # fmt: skip
# Where a goal's sub-goals are listed; the vision's and the overarching goal's are top-level keys.
CHILD_KEY = {Level.COUNCIL: "board_goals", Level.BOARD: "unit_goals"}
LEVEL_KEYS = ("council_goals", "board_goals", "unit_goals")
# Goals whose owner may be left out: it is then the file's one council.
COUNCIL_LEVELS = (Level.VISION, Level.OVERARCHING, Level.COUNCIL)
# A target is written back as a JSON number (a float when it has decimals): 15 significant digits
# survive that exactly, so a round trip never changes a value.
SIGNIFICANT_DIGITS = 15
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Marks a field without a default: leaving it out is an error.
REQUIRED = object()


class GoalFileError(Exception):
    """A document that cannot be imported, with the place in the file where the problem is."""

    def __init__(self, path, message):
        super().__init__(path, message)
        self.path = path
        self.message = message

    def __str__(self):
        return f"{self.path}: {self.message}"


class ImportRefused(Exception):
    """The database is not in a state the import may write into."""


# --- The plan: what a checked document will write -------------------------------------------------


@dataclass(eq=False)
class OrganisationPlan:
    """An organisation from the file; `db_id` is its row once the import has written it."""

    code: str
    name: str
    kind: str
    parent: "OrganisationPlan | None"
    position: int
    db_id: int | None = None

    # Duck-typed like an Organisation so that `chain_errors` judges the file with the model's own rules.
    pk = property(lambda self: self.code)
    is_within = Organisation.is_within
    __str__ = Organisation.__str__


@dataclass(eq=False)
class GoalPlan:
    """A goal from the file with its level, owner, fields and everything below it."""

    level_kind: str
    owner: OrganisationPlan
    fields: dict
    perspectives: list = field(default_factory=list)
    indicators: list = field(default_factory=list)
    activities: list = field(default_factory=list)
    children: list = field(default_factory=list)


@dataclass(eq=False)
class ItemPlan:
    """An indicator (with its targets) or an activity: model fields plus the owning organisation."""

    owner: OrganisationPlan
    fields: dict
    targets: list = field(default_factory=list)


@dataclass(eq=False)
class Plan:
    """A checked document: what importing it will write."""

    municipality: str
    organisations: list
    perspectives: list
    vision: GoalPlan


# --- Reading and checking ---------------------------------------------------------------------------


class _Pairs(dict):
    """A JSON object that remembers the first key it saw twice (json.loads would keep the last silently)."""

    duplicate = None


def _pairs(items):
    obj = _Pairs()
    for key, value in items:
        if key in obj and obj.duplicate is None:
            obj.duplicate = key
        obj[key] = value
    return obj


def parse_json(text):
    """Turn the text of a document into Python values; numbers with a fraction become Decimals."""
    try:
        # A stray NaN or Infinity stays a float, which no field accepts.
        return jsondepth.loads(text, parse_float=Decimal, parse_constant=float, object_pairs_hook=_pairs)
    except jsondepth.TooDeep as error:
        raise GoalFileError("document", error.message) from None
    except json.JSONDecodeError as error:
        raise GoalFileError(
            f"line {error.lineno}, column {error.colno}",
            _("malformed JSON: %(error)s") % {"error": error.msg},
        ) from None


def _describe(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return _("a boolean")
    if isinstance(value, str):
        return _('the string "%(text)s"') % {"text": value if len(value) <= 40 else value[:40] + "…"}
    if isinstance(value, int | Decimal):
        return _("the number %(number)s") % {"number": value}
    if isinstance(value, float):
        return _("%(number)s, which is not a finite number") % {"number": value}
    if isinstance(value, list):
        return _("a list")
    return _("an object")


def _is_whole(value):
    return isinstance(value, int) and not isinstance(value, bool)


class _Object:
    """One JSON object being read: each field is checked as it is taken, and errors name their place."""

    def __init__(self, value, path, keys, level=None):
        self.path = path
        if not isinstance(value, dict):
            raise GoalFileError(
                path or "document", _("expected an object, got %(got)s") % {"got": _describe(value)}
            )
        duplicate = getattr(value, "duplicate", None)
        if duplicate is not None:
            raise GoalFileError(self.at(duplicate), _("this field appears twice in the same object"))
        for key in value:
            if key not in keys:
                raise GoalFileError(self.at(key), _unknown_key(key, keys, level))
        self.value = value

    def at(self, key):
        return f"{self.path}.{key}" if self.path else key

    def _take(self, key, default):
        """The field's value; None when it is absent or null, which is an error only for a required field."""
        value = self.value.get(key)
        if value is None and default is REQUIRED:
            raise GoalFileError(self.at(key), _("required"))
        return value

    def _wrong(self, key, expected):
        message = _("expected %(expected)s, got %(got)s")
        return GoalFileError(
            self.at(key), message % {"expected": expected, "got": _describe(self.value[key])}
        )

    def _validated(self, key, model, value):
        if model is None:
            return value
        # The model field's own validators (length, pattern, range, digits): the rules live in one place.
        try:
            model._meta.get_field(key).run_validators(value)
        except ValidationError as error:
            raise GoalFileError(self.at(key), error.messages[0]) from None
        return value

    def text(self, key, model, default=""):
        value = self._take(key, default)
        if value is None:
            return default
        if not isinstance(value, str):
            raise self._wrong(key, _("a string"))
        if default is REQUIRED and not value.strip():
            raise GoalFileError(self.at(key), _("must not be empty"))
        return self._validated(key, model, value)

    def whole(self, key, model, default=None):
        value = self._take(key, default)
        if value is None:
            return default
        if not _is_whole(value):
            raise self._wrong(key, _("a whole number or null") if default is None else _("a whole number"))
        return self._validated(key, model, value)

    def number(self, key, model, default=REQUIRED):
        value = self._take(key, default)
        if value is None:
            return default
        if isinstance(value, float) and math.isfinite(value):
            value = Decimal(repr(value))  # a document built in Python rather than read from text
        if not (_is_whole(value) or isinstance(value, Decimal)):
            raise self._wrong(key, _("a number"))
        value = Decimal(value).normalize()
        if len(value.as_tuple().digits) > SIGNIFICANT_DIGITS:
            raise GoalFileError(
                self.at(key), _("at most %(n)d significant digits") % {"n": SIGNIFICANT_DIGITS}
            )
        return self._validated(key, model, value)

    def boolean(self, key, default):
        value = self.value.get(key, default)
        if not isinstance(value, bool):
            raise self._wrong(key, _("true or false"))
        return value

    def choice(self, key, choices, default=REQUIRED):
        value = self._take(key, default)
        value = default if value is None else value
        if value not in choices.values:
            message = _("expected one of %(allowed)s, got %(got)s")
            allowed = ", ".join(f'"{choice}"' for choice in choices.values)
            raise GoalFileError(self.at(key), message % {"allowed": allowed, "got": _describe(value)})
        return value

    def day(self, key):
        value = self._take(key, None)
        if value is None:
            return None
        if not isinstance(value, str) or not ISO_DATE.match(value):
            raise self._wrong(key, _('a date like "2024-01-15" or null'))
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise GoalFileError(self.at(key), _('no such day: "%(date)s"') % {"date": value}) from None

    def items(self, key, default=None):
        """The list under `key` as (element, path) pairs."""
        value = self._take(key, default)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self._wrong(key, _("a list"))
        return [(item, f"{self.at(key)}[{index}]") for index, item in enumerate(value)]

    def organisation(self, key, organisations, default=REQUIRED, unknown=None):
        code = self._take(key, default)
        if code is None:
            return default
        if not isinstance(code, str):
            raise self._wrong(key, _("an organisation code"))
        if code not in organisations:
            raise GoalFileError(
                self.at(key), (unknown or _('unknown organisation "%(code)s"')) % {"code": code}
            )
        return organisations[code]


def _unknown_key(key, keys, level):
    if key in LEVEL_KEYS and level is not None:
        if level in CHILD_KEY:
            hint = _('a %(level)s lists its sub-goals under "%(key)s"') % {
                "level": level.label.lower(), "key": CHILD_KEY[level]
            }  # fmt: skip
        elif level == Level.VISION:
            hint = _('the goal below the vision is the top-level "overarching_goal"')
        elif level == Level.OVERARCHING:
            hint = _('the goals below the overarching goal are the top-level "council_goals"')
        else:
            hint = _("a unit goal has no sub-goals")
        return _('unexpected "%(key)s": %(hint)s') % {"key": key, "hint": hint}
    close = difflib.get_close_matches(key, keys, n=1)
    if close:
        return _('unknown field "%(key)s"; did you mean "%(close)s"?') % {"key": key, "close": close[0]}
    return _('unknown field "%(key)s"; expected one of %(keys)s') % {"key": key, "keys": ", ".join(keys)}


def validate(doc):
    """Check a parsed document completely and return the plan of what importing it writes."""
    if not isinstance(doc, dict):
        raise GoalFileError("document", _("expected an object, got %(got)s") % {"got": _describe(doc)})
    if doc.get("format") != FORMAT:
        message = _('expected "%(format)s", got %(got)s')
        raise GoalFileError("format", message % {"format": FORMAT, "got": _describe(doc.get("format"))})
    if not _is_whole(doc.get("version")) or doc["version"] != VERSION:
        message = _("this app reads version %(version)d, got %(got)s")
        raise GoalFileError("version", message % {"version": VERSION, "got": _describe(doc.get("version"))})
    top = _Object(doc, "", TOP_KEYS)
    organisations = _organisations(top)
    councils = [o for o in organisations.values() if o.kind == Organisation.Kind.COUNCIL]
    context = {
        "organisations": organisations,
        "council": councils[0] if len(councils) == 1 else None,
        "perspectives": _perspectives(top),
    }
    for key in ("vision", "overarching_goal"):
        top._take(key, REQUIRED)
    vision = _goal(doc["vision"], "vision", Level.VISION, None, context)
    overarching = _goal(doc["overarching_goal"], "overarching_goal", Level.OVERARCHING, vision, context)
    vision.children = [overarching]
    overarching.children = [
        _goal(i, p, Level.COUNCIL, overarching, context) for i, p in top.items("council_goals")
    ]
    return Plan(
        municipality=top.text("municipality", None),
        organisations=list(organisations.values()),
        perspectives=list(context["perspectives"].items()),
        vision=vision,
    )


def _organisations(top):
    organisations = {}
    for item, path in top.items("organisations"):
        obj = _Object(item, path, ORGANISATION_KEYS)
        code = obj.text("code", Organisation, REQUIRED)
        if code in organisations:
            raise GoalFileError(obj.at("code"), _('the code "%(code)s" is listed twice') % {"code": code})
        name = obj.text("name", Organisation, REQUIRED)
        kind = obj.choice("kind", Organisation.Kind)
        unknown = _('unknown organisation "%(code)s" (a parent must be listed before its parts)')
        parent = obj.organisation("parent", organisations, default=None, unknown=unknown)
        if parent is not None and kind == Organisation.Kind.COUNCIL:
            raise GoalFileError(obj.at("parent"), _("The council is not part of another organisation."))
        organisations[code] = OrganisationPlan(code, name, kind, parent, position=len(organisations))
    return organisations


def _perspectives(top):
    perspectives = {}
    for item, path in top.items("perspectives"):
        obj = _Object(item, path, PERSPECTIVE_KEYS)
        name = obj.text("name", Perspective, REQUIRED)
        if name in perspectives:
            raise GoalFileError(
                obj.at("name"), _('the perspective "%(name)s" is listed twice') % {"name": name}
            )
        perspectives[name] = obj.text("description", Perspective)
    return perspectives


def _goal(value, path, level, parent, context):
    child_key = CHILD_KEY.get(level)
    obj = _Object(value, path, [*GOAL_KEYS, child_key] if child_key else GOAL_KEYS, level)
    fields = {
        key: obj.text(key, Goal, REQUIRED if key == "title" else "") for key in ("title", "description")
    }
    if level not in COUNCIL_LEVELS:
        unknown = _('unknown board "%(code)s"') if level == Level.BOARD else None
        owner = obj.organisation("owner", context["organisations"], unknown=unknown)
    elif context["council"] is None and obj.value.get("owner") is None:
        raise GoalFileError(obj.at("owner"), _("required, since the file does not list exactly one council"))
    else:
        owner = obj.organisation("owner", context["organisations"], default=context["council"])
    fields["decision"] = obj.text("decision", Goal)
    fields["valid_from"] = obj.whole("valid_from", Goal)
    fields["valid_to"] = obj.whole("valid_to", Goal)
    if fields["valid_from"] and fields["valid_to"] and fields["valid_to"] < fields["valid_from"]:
        raise GoalFileError(obj.at("valid_to"), _("The last valid year comes before the first."))
    goal = GoalPlan(level_kind=level, owner=owner, fields=fields)
    errors = chain_errors(level, parent, owner)
    if errors:
        raise GoalFileError(obj.at("owner") if "owner" in errors else path, str(next(iter(errors.values()))))
    for item, item_path in obj.items("perspectives"):
        if not isinstance(item, str):
            raise GoalFileError(
                item_path, _("expected a perspective's name, got %(got)s") % {"got": _describe(item)}
            )
        if item not in context["perspectives"]:
            raise GoalFileError(item_path, _('unknown perspective "%(name)s"') % {"name": item})
        if item in goal.perspectives:
            raise GoalFileError(item_path, _('the perspective "%(name)s" is listed twice') % {"name": item})
        goal.perspectives.append(item)
    goal.indicators = [_indicator(i, p, owner, context) for i, p in obj.items("indicators")]
    goal.activities = [_activity(i, p, owner, context) for i, p in obj.items("activities")]
    if child_key:
        goal.children = [_goal(i, p, CHILD_LEVEL[level], goal, context) for i, p in obj.items(child_key)]
    return goal


def _indicator(value, path, goal_owner, context):
    obj = _Object(value, path, INDICATOR_KEYS)
    fields = {
        "name": obj.text("name", Indicator, REQUIRED),
        "unit": obj.text("unit", Indicator, REQUIRED),
        "direction": obj.choice("direction", Indicator.Direction, default=Indicator.Direction.HIGHER),
        "decimals": obj.whole("decimals", Indicator, default=0),
        "gender_split": obj.boolean("gender_split", default=False),
        "kolada_kpi": obj.text("kolada_kpi", Indicator),
    }
    indicator = ItemPlan(obj.organisation("owner", context["organisations"], default=goal_owner), fields)
    for item, item_path in obj.items("targets"):
        target = _Object(item, item_path, TARGET_KEYS)
        year = target.whole("year", Target, default=REQUIRED)
        if any(year == other["year"] for other in indicator.targets):
            message = _("this indicator has a target for %(year)d already")
            raise GoalFileError(target.at("year"), message % {"year": year})
        value = target.number("value", Target)
        tolerance = target.number("tolerance", Target, default=Decimal(0))
        indicator.targets.append({"year": year, "value": value, "tolerance": tolerance})
    return indicator


def _activity(value, path, goal_owner, context):
    obj = _Object(value, path, ACTIVITY_KEYS)
    fields = {key: obj.text(key, Activity, REQUIRED if key == "title" else "") for key in ACTIVITY_KEYS[:2]}
    fields["responsible"] = obj.text("responsible", Activity)
    fields["start_date"], fields["end_date"] = obj.day("start_date"), obj.day("end_date")
    if fields["start_date"] and fields["end_date"] and fields["end_date"] < fields["start_date"]:
        raise GoalFileError(obj.at("end_date"), _("The end date comes before the start date."))
    return ItemPlan(obj.organisation("owner", context["organisations"], default=goal_owner), fields)


def read(text):
    """Parse and check the text of a document; return its plan."""
    return validate(parse_json(text))


# --- Import -----------------------------------------------------------------------------------------


def import_plan(plan, *, replace=False, user=None):
    """Write a checked plan in one locked transaction; return how many rows of each kind it wrote."""
    with tree.locked_tree():
        existing = Goal.objects.count()
        if existing and not replace:
            raise ImportRefused(
                _(
                    "The database already has a goal tree (%(count)d goals); import into an empty database, "
                    "or use --replace"
                )
                % {"count": existing}
            )
        if existing:
            try:
                Goal.objects.all().delete()
            except (ProtectedError, RestrictedError) as error:
                raise ImportRefused(
                    _("The existing goals cannot be replaced: other records still refer to them (%(error)s).")
                    % {"error": error.args[0]}
                ) from None
        user = user if user is not None and user.is_authenticated else None
        _upsert_organisations(plan.organisations, user)
        perspective_ids = _upsert_perspectives(plan.perspectives, user)
        goals = _insert_goals(plan.vision, perspective_ids, user)
        counts = _insert_items(goals, user)
        summary = _("Imported a goal tree of %(goals)d goals, replacing %(old)d.")
        record_event("goal_tree.import", summary % {"goals": len(goals), "old": existing}, user=user)
        treecache.changed()
    return {
        "goals": len(goals),
        **counts,
        "organisations": len(plan.organisations),
        "perspectives": len(plan.perspectives),
    }


def import_document(doc, *, replace=False, user=None):
    """Check a parsed document, then import it (see `import_plan`)."""
    return import_plan(validate(doc), replace=replace, user=user)


def _write_history(model, rows, user, *, update=False):
    """One history row per row a bulk write created or changed (bulk writes bypass save() and its signals)."""
    if rows:
        model.history.bulk_history_create(rows, update=update, default_user=user)


def _upsert_organisations(organisations, user):
    rows = {o.code: o for o in Organisation.objects.filter(code__in=[o.code for o in organisations])}
    before = {code: (row.name, row.kind, row.parent_id, row.position) for code, row in rows.items()}
    new = [Organisation(code=o.code, name=o.name, kind=o.kind) for o in organisations if o.code not in rows]
    rows.update((row.code, row) for row in Organisation.objects.bulk_create(new))
    for org in organisations:
        row = rows[org.code]
        row.name, row.kind, row.position = org.name, org.kind, org.position
        row.parent_id = rows[org.parent.code].pk if org.parent else None
        org.db_id = row.pk
    if rows:
        Organisation.objects.bulk_update(list(rows.values()), ["name", "kind", "parent", "position"])
    # New rows are recorded as created in their final state; existing ones only when the file changed them.
    _write_history(Organisation, new, user)
    changed = [
        row
        for code, row in rows.items()
        if code in before and before[code] != (row.name, row.kind, row.parent_id, row.position)
    ]
    _write_history(Organisation, changed, user, update=True)


def _upsert_perspectives(perspectives, user):
    rows = {p.name: p for p in Perspective.objects.filter(name__in=[name for name, _d in perspectives])}
    before = {name: (row.description, row.position) for name, row in rows.items()}
    new = [Perspective(name=name) for name, _d in perspectives if name not in rows]
    rows.update((row.name, row) for row in Perspective.objects.bulk_create(new))
    for position, (name, description) in enumerate(perspectives):
        rows[name].description, rows[name].position = description, position
    if rows:
        Perspective.objects.bulk_update(list(rows.values()), ["description", "position"])
    _write_history(Perspective, new, user)
    changed = [
        row
        for name, row in rows.items()
        if name in before and before[name] != (row.description, row.position)
    ]
    _write_history(Perspective, changed, user, update=True)
    return {name: row.pk for name, row in rows.items()}


def _insert_goals(vision, perspective_ids, user):
    """Number the tree in one depth-first pass, then insert it level by level; return (plan, row) pairs."""
    tree_id = (Goal.objects.aggregate(last=Max("tree_id"))["last"] or 0) + 1
    by_depth = defaultdict(list)
    counter = 0

    def visit(plan, depth, position, parent_row):
        nonlocal counter
        counter += 1
        row = Goal(
            level_kind=plan.level_kind,
            owner_id=plan.owner.db_id,
            position=position,
            tree_id=tree_id,
            level=depth,
            lft=counter,
            **plan.fields,
        )
        by_depth[depth].append((plan, row, parent_row))
        for index, child in enumerate(plan.children):
            visit(child, depth + 1, index, row)
        counter += 1
        row.rght = counter

    visit(vision, 0, 0, None)
    goals = []
    # Parents first, so that every child row can take its parent's new primary key.
    for depth in sorted(by_depth):
        level = by_depth[depth]
        for _plan, row, parent_row in level:
            row.parent_id = parent_row.pk if parent_row is not None else None
        Goal.objects.bulk_create([row for _plan, row, _parent in level])
        goals.extend((plan, row) for plan, row, _parent in level)
    through = Goal.perspectives.through
    links = through.objects.bulk_create(
        through(goal_id=row.pk, perspective_id=perspective_ids[name])
        for plan, row in goals
        for name in plan.perspectives
    )
    history = Goal.history.bulk_history_create([row for _plan, row in goals], default_user=user)
    # Each history row keeps its own copy of the goal's perspectives, as a web edit would write it.
    history_of = {row.pk: record.pk for (_plan, row), record in zip(goals, history, strict=True)}
    kept = perspective_history_model()
    kept.objects.bulk_create(
        kept(
            id=link.pk,
            history_id=history_of[link.goal_id],
            goal_id=link.goal_id,
            perspective_id=link.perspective_id,
        )
        for link in links
    )
    return goals


def _insert_items(goals, user):
    indicators = [
        (item, Indicator(goal_id=row.pk, owner_id=item.owner.db_id, position=index, **item.fields))
        for plan, row in goals
        for index, item in enumerate(plan.indicators)
    ]
    Indicator.objects.bulk_create([row for _item, row in indicators])
    targets = Target.objects.bulk_create(
        Target(indicator_id=row.pk, **target) for item, row in indicators for target in item.targets
    )
    activities = Activity.objects.bulk_create(
        Activity(goal_id=row.pk, owner_id=item.owner.db_id, position=index, **item.fields)
        for plan, row in goals
        for index, item in enumerate(plan.activities)
    )
    _write_history(Indicator, [row for _item, row in indicators], user)
    _write_history(Target, targets, user)
    _write_history(Activity, activities, user)
    return {"indicators": len(indicators), "targets": len(targets), "activities": len(activities)}


# --- Export -----------------------------------------------------------------------------------------


def json_number(value):
    """A Decimal as the shortest JSON number that reads back to it: 13000, not 13000.0000."""
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(format(value, "f"))


def dumps(doc):
    """The document as text, exactly as export writes it."""
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _compact(entry, keys, default_owner=None):
    """The entry's `keys` in order, leaving out defaults (and the owner when it is `default_owner`)."""
    return {
        key: entry[key]
        for key in keys
        if entry[key] != DEFAULTS.get(key) and not (key == "owner" and entry[key] == default_owner)
    }


def export_document(*, user=None):
    """The whole goal tree and what hangs on it, as a document, in a constant number of queries."""
    # Under the tree's lock, so that no move or deletion lands between the queries.
    with tree.locked_tree():
        doc = _export()
        record_event("goal_tree.export", _("Exported the goal tree."), user=user)
    return doc


def _export():
    organisations = _ordered_organisations()
    councils = [o["code"] for o in organisations if o["kind"] == Organisation.Kind.COUNCIL]
    council = councils[0] if len(councils) == 1 else None
    goal_fields = ("pk", "parent_id", "level_kind", *GOAL_KEYS[:2], "owner__code", *GOAL_KEYS[3:6])
    rows = [_renamed(row) for row in Goal.objects.order_by("tree_id", "lft").values(*goal_fields)]
    roots = [row for row in rows if row["parent_id"] is None]
    if len(roots) != 1:
        message = _("the database holds %(count)d goal trees; a document holds exactly one")
        raise GoalFileError("vision", message % {"count": len(roots)})
    children = defaultdict(list)
    for row in rows[1:]:
        children[row["parent_id"]].append(row)
    links = defaultdict(list)
    through = Goal.perspectives.through.objects.order_by("perspective__position", "perspective__name")
    for goal_id, name in through.values_list("goal_id", "perspective__name"):
        links[goal_id].append(name)
    indicators, activities = _indicators_by_goal(), _activities_by_goal()

    def entry(row, level, path):
        if row["level_kind"] != level:
            message = _("goal %(pk)d is a %(actual)s goal where a %(level)s goal belongs")
            raise GoalFileError(
                path, message % {"pk": row["pk"], "actual": row["level_kind"], "level": level}
            )
        below, keys = children[row["pk"]], GOAL_KEYS
        if below and level == Level.UNIT:
            raise GoalFileError(path, _("a unit goal has sub-goals, which the chain does not allow"))
        row["perspectives"] = links[row["pk"]]
        row["indicators"] = [_compact(i, INDICATOR_KEYS, row["owner"]) for i in indicators[row["pk"]]]
        row["activities"] = [_compact(a, ACTIVITY_KEYS, row["owner"]) for a in activities[row["pk"]]]
        if level in CHILD_KEY:
            key = CHILD_KEY[level]
            row[key] = [entry(c, CHILD_LEVEL[level], f"{path}.{key}[{i}]") for i, c in enumerate(below)]
            keys = (*GOAL_KEYS, key)
        return _compact(row, keys, council if level in COUNCIL_LEVELS else None)

    vision = roots[0]
    if len(children[vision["pk"]]) != 1:
        message = _("the vision has %(count)d goals below it; a document holds exactly one overarching goal")
        raise GoalFileError("overarching_goal", message % {"count": len(children[vision["pk"]])})
    overarching = children[vision["pk"]][0]
    council_goals = children[overarching["pk"]]
    return {
        "format": FORMAT,
        "version": VERSION,
        "municipality": settings.MUNICIPALITY_NAME,
        "organisations": [{key: o[key] for key in ORGANISATION_KEYS} for o in organisations],
        "perspectives": list(Perspective.objects.order_by("position", "name").values(*PERSPECTIVE_KEYS)),
        "vision": entry(vision, Level.VISION, "vision"),
        "overarching_goal": entry(overarching, Level.OVERARCHING, "overarching_goal"),
        "council_goals": [
            entry(row, Level.COUNCIL, f"council_goals[{i}]") for i, row in enumerate(council_goals)
        ],
    }


def _renamed(row):
    """A values() row with `owner__code` as `owner`."""
    row["owner"] = row.pop("owner__code")
    return row


def _ordered_organisations():
    """Organisations in their order, except that a parent always comes before its parts."""
    rows = list(
        Organisation.objects.order_by("position", "code").values("pk", *ORGANISATION_KEYS[:3], "parent_id")
    )
    code_of = {row["pk"]: row["code"] for row in rows}
    for row in rows:
        row["parent"] = code_of.get(row["parent_id"])
    placed, ordered, waiting = set(), [], rows
    while waiting:
        ready = [row for row in waiting if row["parent_id"] is None or row["parent_id"] in placed]
        if not ready:  # a cycle, which Organisation.clean forbids: list the rest as they are
            ready = waiting
        placed.update(row["pk"] for row in ready)
        ordered.extend(ready)
        waiting = [row for row in waiting if row["pk"] not in placed]
    return ordered


def _indicators_by_goal():
    targets = defaultdict(list)
    for row in Target.objects.order_by("indicator_id", "year").values("indicator_id", *TARGET_KEYS):
        value, tolerance = json_number(row["value"]), json_number(row["tolerance"])
        targets[row["indicator_id"]].append({"year": row["year"], "value": value, "tolerance": tolerance})
    by_goal = defaultdict(list)
    for row in Indicator.objects.order_by("goal_id", "position", "pk").values(
        "pk", "goal_id", *INDICATOR_KEYS[:6], "owner__code"
    ):
        by_goal[row["goal_id"]].append({**_renamed(row), "targets": targets[row["pk"]]})
    return by_goal


def _activities_by_goal():
    by_goal = defaultdict(list)
    fields = ("goal_id", *ACTIVITY_KEYS[:2], "owner__code", *ACTIVITY_KEYS[3:])
    for row in Activity.objects.order_by("goal_id", "position", "pk").values(*fields):
        for key in ("start_date", "end_date"):
            row[key] = row[key] and row[key].isoformat()
        by_goal[row["goal_id"]].append(_renamed(row))
    return by_goal
