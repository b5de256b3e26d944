"""Reading version 2 of the goal file: the municipality's styrmodell, and the goals as one generic tree.

The levels come from the file ("levels", "headline_level"), are checked here as a styrmodell and judge
the file's goals by the chain's own rule (`goals.chain.chain_errors` with the file's levels); importing
installs them through `goals.styrmodell.install_levels`. Without "levels" the goals are judged by the
installation's styrmodell. Goals and indicators keep their `key`.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from goals.chain import LevelRule, Styrmodell
from goals.models import Assignment, Goal, GoalLevel, Indicator, Organisation, Target

from . import categories
from .format import (
    ASSIGNMENT_KEYS,
    GOAL_KEYS_2,
    INDICATOR_KEYS_2,
    LEVEL_KEYS_2,
    REQUIRED,
    TARGET_KEYS_2,
    TOP_KEYS_2,
    GoalFileError,
)
from .reading import (
    ABSOLUTE,
    Plan,
    _each,
    _Object,
    checked_target,
    default_comparison,
    goal_plan,
    guard,
    indicator_plan,
    organisations_of,
    record,
)

WITHIN = Target.Comparison.WITHIN


@dataclass(eq=False)
class LevelPlan:
    """A level of the file's styrmodell."""

    key: str
    name: str
    plural: str
    owner_kinds: list
    parents: list
    owner_within_parent: bool
    position: int
    is_headline: bool = False


class _Keys:
    """The keys the file gives its goals and its indicators: each used once."""

    def __init__(self):
        self.seen = {Goal: {}, Indicator: {}}

    def take(self, obj, name, model):
        key = obj.text(name, model, None)
        if key is None:
            return None
        seen = self.seen[model]
        if key in seen:
            message = _('the key "%(key)s" is already used at %(place)s') % {"key": key, "place": seen[key]}
            record(GoalFileError(obj.at(name), message))
            return None
        seen[key] = obj.at(name)
        return key


def validate_version2(doc):
    top = _Object(doc, "", TOP_KEYS_2)
    levels = _levels(top)
    model = None
    if levels is not None:
        model = Styrmodell(
            LevelRule(
                key=level.key, name=level.name, plural=level.plural, position=level.position,
                owner_kinds=frozenset(level.owner_kinds), parents=frozenset(level.parents),
                owner_within_parent=level.owner_within_parent, is_headline=level.is_headline,
            )
            for level in levels
        )  # fmt: skip
    organisations = organisations_of(top)
    sets = categories.read_category_sets(top)
    context = {
        "version": 2,
        "organisations": organisations,
        "read_categories": lambda obj: categories.read_categories(obj, sets),
        "keys": _Keys(),
        "indicator_keys": INDICATOR_KEYS_2,
        "read_target": _target,
        "model": model,
    }
    return Plan(
        municipality=top.text("municipality", None),
        organisations=list(organisations.values()),
        perspectives=[],
        roots=_each(top.items("goals"), _goal, None, context),
        levels=levels,
        category_sets=sets.data,
        assignments=_assignments(top, organisations),
    )


def _levels(top):
    """The file's levels, checked as a styrmodell, or None when the file leaves the styrmodell out."""
    if top.value.get("levels") is None:
        if top.value.get("headline_level") is not None:
            record(GoalFileError("headline_level", _('a headline level needs the file\'s "levels"')))
        return None
    levels, places = {}, {}
    for item, path in top.items("levels"):
        level = guard(_level, item, path, len(levels))
        if level is None:
            continue
        if level.key in levels:
            message = _('the level "%(key)s" is listed twice') % {"key": level.key}
            record(GoalFileError(f"{path}.key", message))
            continue
        levels[level.key], places[level.key] = level, path
    for key, level in levels.items():
        for index, parent in enumerate(level.parents):
            if parent == key:
                message = _('A goal at the level "%(level)s" cannot be placed under a goal of its own level.')
                record(GoalFileError(f"{places[key]}.parents[{index}]", message % {"level": level.name}))
            elif parent not in levels:
                message = _('unknown level "%(key)s"') % {"key": parent}
                record(GoalFileError(f"{places[key]}.parents[{index}]", message))
    for key in _in_cycles(levels):
        message = _('The level "%(level)s" would come under itself through other levels.')
        record(GoalFileError(f"{places[key]}.parents", message % {"level": levels[key].name}))
    if levels and not any(not level.parents for level in levels.values()):
        record(GoalFileError("levels", _("no level is a top level (a level without parents)")))
    if not levels:
        record(GoalFileError("levels", _("a styrmodell has at least one level")))
    headline = top.text("headline_level", None, REQUIRED)
    if headline is not None and levels:
        if headline in levels:
            levels[headline].is_headline = True
        else:
            record(GoalFileError("headline_level", _('unknown level "%(key)s"') % {"key": headline}))
    return list(levels.values())


def _level(item, path, position):
    obj = _Object(item, path, LEVEL_KEYS_2)
    key = obj.text("key", GoalLevel, REQUIRED)
    owners = []
    for kind, kind_path in obj.items("owners", REQUIRED):
        if kind not in Organisation.Kind.values:
            allowed = ", ".join(f'"{value}"' for value in Organisation.Kind.values)
            record(GoalFileError(kind_path, _("expected one of %(allowed)s") % {"allowed": allowed}))
        elif kind in owners:
            record(GoalFileError(kind_path, _("listed twice")))
        else:
            owners.append(kind)
    parents = []
    for parent, parent_path in obj.items("parents"):
        if not isinstance(parent, str):
            record(GoalFileError(parent_path, _("expected a level's key")))
        elif parent not in parents:
            parents.append(parent)
    level = LevelPlan(
        key=key,
        name=obj.text("name", GoalLevel, REQUIRED),
        plural=obj.text("plural", GoalLevel, REQUIRED),
        owner_kinds=owners,
        parents=parents,
        owner_within_parent=obj.boolean("owner_within_parent", default=False),
        position=position,
    )
    return level if key is not None else None


def _in_cycles(levels):
    """The keys of levels that sit, through their parents, under themselves (in file order)."""
    cyclic = []
    for start in levels:
        seen, stack = set(), [p for p in levels[start].parents if p != start]
        while stack:
            node = stack.pop()
            if node == start:
                cyclic.append(start)
                break
            if node in seen or node not in levels:
                continue
            seen.add(node)
            stack.extend(levels[node].parents)
    return cyclic


def _goal(value, path, parent, context):
    obj = _Object(value, path, GOAL_KEYS_2)
    level = obj.text("level", None, REQUIRED)
    fields = {
        "key": context["keys"].take(obj, "key", Goal),
        "title": obj.text("title", Goal, REQUIRED),
        "description": obj.text("description", Goal),
    }
    owner = obj.organisation("owner", context["organisations"], REQUIRED)
    model = context["model"]
    goal = goal_plan(obj, level, owner, parent, fields, context, level_at=obj.at("level"), model=model)
    goal.categories = context["read_categories"](obj)
    goal.assignments = _assignments(obj, context["organisations"])
    goal.children = _each(obj.items("children"), _goal, goal, context)
    return goal


def _assignments(obj, organisations):
    """The "assignments" (KF-uppdrag) of a goal or of the file, checked, as rows for
    `goals.assignments.create_from_data` (which checks them again against the models when importing)."""
    rows = []
    for item, path in obj.items("assignments"):
        assignment = guard(_Object, item, path, ASSIGNMENT_KEYS)
        if assignment is None:
            continue
        owner = assignment.organisation("owner", organisations, REQUIRED)
        due = assignment.day("due")
        row = {
            "title": assignment.text("title", Assignment, REQUIRED),
            "description": assignment.text("description", Assignment),
            "decision": assignment.text("decision", Assignment),
            "owner": owner.code if owner is not None else None,
            "due": due.isoformat() if due else None,
        }
        if row["title"] is not None and row["owner"] is not None:
            rows.append(row)
    return rows


def _target(item, path, direction, earlier):
    """A version-2 target: a span of years, a comparison and its bound(s), and a tolerance band."""
    target = _Object(item, path, TARGET_KEYS_2)
    year = target.whole("from", Target, default=REQUIRED, field="from_year")
    fields = {
        "from_year": year,
        "to_year": target.whole("to", Target, default=year, field="to_year"),
        "comparison": target.choice("comparison", Target.Comparison, default=default_comparison(direction)),
        "tolerance": target.number("tolerance", Target, default=Decimal(0)),
        "tolerance_unit": target.choice("tolerance_unit", Target.ToleranceUnit, default=ABSOLUTE),
        "exclusive": target.boolean("exclusive", default=False),
    }
    names = {"from_year": "from", "to_year": "to"}
    if fields["comparison"] == WITHIN:
        if "value" in target.value:
            record(GoalFileError(target.at("value"), _('a range is written with "low" and "high"')))
        fields["value"] = target.number("low", Target, default=None, field="value")
        fields["high"] = target.number("high", Target, default=None, field="high")
        names["value"] = "low"
    else:
        for key in ("low", "high"):
            if key in target.value:
                message = _('only a range ("comparison": "within") has "low" and "high"')
                record(GoalFileError(target.at(key), message))
        fields["value"] = target.number("value", Target, default=None)
        fields["high"] = None
    return checked_target(target, fields, earlier, names)


__all__ = ["LevelPlan", "indicator_plan", "validate_version2"]
