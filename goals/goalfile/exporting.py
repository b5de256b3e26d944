"""Exporting the goal tree and what hangs on it as a goal document, in a constant number of queries."""

import json
from collections import defaultdict

from django.conf import settings
from django.utils.translation import gettext as _

from accounts.models import record_event
from goals import assignments, tree
from goals.categories import PERSPECTIVE_SET
from goals.models import (
    Activity,
    Assignment,
    Category,
    Goal,
    GoalCategory,
    GoalLevel,
    Indicator,
    Organisation,
    Target,
)

from . import categories
from .format import (
    ACTIVITY_KEYS,
    ASSIGNMENT_KEYS,
    CHILD_KEY,
    CHILD_LEVEL,
    COUNCIL,
    COUNCIL_LEVELS,
    DEFAULTS,
    DEFAULTS_2,
    FORMAT,
    GOAL_KEYS,
    GOAL_KEYS_2,
    INDICATOR_FIELDS,
    INDICATOR_KEYS,
    INDICATOR_KEYS_2,
    LEVEL_KEYS_2,
    ORGANISATION_KEYS,
    OVERARCHING,
    PERSPECTIVE_KEYS,
    UNIT,
    VERSION,
    VISION,
    GoalFileError,
)


def json_number(value):
    """A Decimal as the shortest JSON number that reads back to it: 13000, not 13000.0000."""
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(format(value, "f"))


def dumps(doc):
    """The document as text, exactly as export writes it."""
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _compact(entry, keys, default_owner=None, *, defaults=DEFAULTS):
    """The entry's `keys` in order, leaving out defaults (and the owner when it is `default_owner`)."""
    return {
        key: entry[key]
        for key in keys
        if key in entry
        and entry[key] != defaults.get(key)
        and not (key == "owner" and entry[key] == default_owner)
    }


def export_document(*, user=None, version=VERSION):
    """The whole goal tree and what hangs on it, as a document, in a constant number of queries.

    Version 2 (the default) holds any styrmodell; version 1 only Nora's shape of chain.
    """
    # Under the tree's lock, so that no move or deletion lands between the queries.
    with tree.locked_tree():
        doc = _export_version2() if version == 2 else _export_version1()
        record_event("goal_tree.export", _("Exported the goal tree."), user=user)
    return doc


def _export_version1():
    organisations = _ordered_organisations()
    councils = [o["code"] for o in organisations if o["kind"] == Organisation.Kind.COUNCIL]
    council = councils[0] if len(councils) == 1 else None
    goal_fields = (
        "pk", "parent_id", "level_kind", *GOAL_KEYS[:2], "owner__code", *GOAL_KEYS[3:6], "is_financial",
    )  # fmt: skip
    rows = [_renamed(row) for row in Goal.objects.order_by("tree_id", "lft").values(*goal_fields)]
    roots = [row for row in rows if row["parent_id"] is None]
    if len(roots) != 1:
        message = _("the database holds %(count)d goal trees; a document holds exactly one")
        raise GoalFileError("vision", message % {"count": len(roots)})
    children = defaultdict(list)
    for row in rows[1:]:
        children[row["parent_id"]].append(row)
    links = defaultdict(list)
    # Version 1 knows one category set, "perspektiv", under the name `perspectives`, in each goal's order.
    through = GoalCategory.objects.filter(category__set__key=PERSPECTIVE_SET).order_by(
        "goal_id", "position", "pk"
    )
    for goal_id, name in through.values_list("goal_id", "category__name"):
        links[goal_id].append(name)
    indicators, activities = _indicators_by_goal(), _activities_by_goal()

    def entry(row, level, path):
        if row["level_kind"] != level:
            message = _("goal %(pk)d is a %(actual)s goal where a %(level)s goal belongs")
            raise GoalFileError(
                path, message % {"pk": row["pk"], "actual": row["level_kind"], "level": level}
            )
        below, keys = children[row["pk"]], GOAL_KEYS
        if row["is_financial"]:
            message = _("goal %(pk)d is a financial goal, which version 1 cannot hold; export version 2")
            raise GoalFileError(path, message % {"pk": row["pk"]})
        if below and level == UNIT:
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
        "version": 1,
        "municipality": settings.MUNICIPALITY_NAME,
        "organisations": [{key: o[key] for key in ORGANISATION_KEYS} for o in organisations],
        "perspectives": list(
            Category.objects.filter(set__key=PERSPECTIVE_SET)
            .order_by("position", "name")
            .values(*PERSPECTIVE_KEYS)
        ),
        "vision": entry(vision, VISION, "vision"),
        "overarching_goal": entry(overarching, OVERARCHING, "overarching_goal"),
        "council_goals": [entry(row, COUNCIL, f"council_goals[{i}]") for i, row in enumerate(council_goals)],
    }


def _export_version2():
    levels = list(GoalLevel.objects.order_by("position", "pk").prefetch_related("parents"))
    position = {level.key: (level.position, level.pk) for level in levels}
    rows = Goal.objects.order_by("tree_id", "lft").values(
        "pk", "parent_id", "key", "level_kind", "title", "description", "owner__code", "decision",
        "valid_from", "valid_to", "is_financial",
    )  # fmt: skip
    children = defaultdict(list)
    for row in rows:
        children[row["parent_id"]].append(_renamed(row))
    goal_categories = categories.goal_categories_for_file()
    indicator_categories = categories.indicator_categories_for_file()
    indicators, activities = _indicators_by_goal(version=2), _activities_by_goal()
    # Through goals.assignments: one query for the goals that have any, then one for each of them.
    with_assignments = set(Assignment.objects.exclude(goal=None).values_list("goal_id", flat=True))

    def indicator(row, owner):
        row["categories"] = indicator_categories.get(row["pk"], {})
        return _compact(row, INDICATOR_KEYS_2, owner, defaults=DEFAULTS_2)

    def entry(row):
        row["level"], row["categories"] = row.pop("level_kind"), goal_categories.get(row["pk"], {})
        row["financial"] = row.pop("is_financial")
        if row["pk"] in with_assignments:
            row["assignments"] = [
                _compact(a, ASSIGNMENT_KEYS, defaults=DEFAULTS_2)
                for a in assignments.assignments_as_data(Goal(pk=row["pk"]))
            ]
        row["indicators"] = [indicator(i, row["owner"]) for i in indicators[row["pk"]]]
        row["activities"] = [_compact(a, ACTIVITY_KEYS, row["owner"]) for a in activities[row["pk"]]]
        row["children"] = [entry(child) for child in children[row["pk"]]]
        return _compact(row, GOAL_KEYS_2, defaults=DEFAULTS_2)

    return {
        "format": FORMAT,
        "version": 2,
        "municipality": settings.MUNICIPALITY_NAME,
        "levels": [
            _compact(
                {
                    "key": level.key,
                    "name": level.name,
                    "plural": level.plural,
                    "owners": list(level.owner_kinds),
                    "parents": sorted((p.key for p in level.parents.all()), key=position.__getitem__),
                    "owner_within_parent": level.owner_within_parent,
                },
                LEVEL_KEYS_2,
                defaults={"owner_within_parent": False},
            )
            for level in levels
        ],  # fmt: skip
        "headline_level": next((level.key for level in levels if level.is_headline), None),
        "organisations": [{key: o[key] for key in ORGANISATION_KEYS} for o in _ordered_organisations()],
        **({"category_sets": sets} if (sets := categories.category_sets_for_file()) else {}),
        "goals": [entry(row) for row in children[None]],
        **(
            {"assignments": [_compact(a, ASSIGNMENT_KEYS, defaults=DEFAULTS_2) for a in rows]}
            if (rows := assignments.assignments_as_data(None))
            else {}
        ),  # fmt: skip
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


def _indicators_by_goal(version=1):
    targets = defaultdict(list)
    as_entry = _target if version == 1 else _target_version2
    for target in Target.objects.order_by("indicator_id", "from_year").select_related("indicator"):
        targets[target.indicator_id].append(as_entry(target))
    by_goal = defaultdict(list)
    for row in Indicator.objects.order_by("goal_id", "position", "pk").values(
        "pk", "goal_id", "key", *INDICATOR_FIELDS, "owner__code"
    ):
        row["kolada_scale"] = json_number(row["kolada_scale"])
        by_goal[row["goal_id"]].append({**_renamed(row), "targets": targets[row["pk"]]})
    return by_goal


def _target(target):
    """A target in version 1's shape {year, value, tolerance}, with the optional keys only where needed."""
    lower = target.indicator.direction == Indicator.Direction.LOWER
    default = Target.Comparison.AT_MOST if lower else Target.Comparison.AT_LEAST
    entry = {"year": target.from_year}
    if target.to_year != target.from_year:
        entry["to"] = target.to_year
    if target.comparison != default:
        entry["comparison"] = target.comparison
    if target.value is not None:
        entry["value"] = json_number(target.value)
    if target.high is not None:
        entry["high"] = json_number(target.high)
    if target.exclusive:
        entry["exclusive"] = True
    entry["tolerance"] = json_number(target.tolerance)
    if target.tolerance_unit != Target.ToleranceUnit.ABSOLUTE:
        entry["tolerance_unit"] = target.tolerance_unit
    return entry


def _target_version2(target):
    """A target as version 2 writes it: its span and comparison always, the rest where it needs them."""
    entry = {"from": target.from_year, "to": target.to_year, "comparison": target.comparison}
    if target.comparison == Target.Comparison.WITHIN:
        entry["low"], entry["high"] = json_number(target.value), json_number(target.high)
    elif target.value is not None:
        entry["value"] = json_number(target.value)
    if target.exclusive:
        entry["exclusive"] = True
    if target.tolerance:
        entry["tolerance"] = json_number(target.tolerance)
    if target.tolerance_unit != Target.ToleranceUnit.ABSOLUTE:
        entry["tolerance_unit"] = target.tolerance_unit
    return entry


def _activities_by_goal():
    by_goal = defaultdict(list)
    fields = ("goal_id", *ACTIVITY_KEYS[:2], "owner__code", *ACTIVITY_KEYS[3:])
    for row in Activity.objects.order_by("goal_id", "position", "pk").values(*fields):
        for key in ("start_date", "end_date"):
            row[key] = row[key] and row[key].isoformat()
        by_goal[row["goal_id"]].append(_renamed(row))
    return by_goal
