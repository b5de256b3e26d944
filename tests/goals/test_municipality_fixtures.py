"""The goal files of other municipalities (fixtures/municipalities) hold together as goal file version 2.

Plain structure checks, independent of the reader: every reference in a file points at something the same
file declares, and the four files together use every target form the format has. The files are in the
exporter's canonical form, which leaves out what has its default; `filled` puts the defaults back first.
"""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "municipalities"
FILES = sorted(FIXTURES.glob("*.json"))

TOP_KEYS = [
    "format",
    "version",
    "municipality",
    "levels",
    "headline_level",
    "organisations",
    "category_sets",
    "goals",
]
LEVEL_KEYS = ["key", "name", "plural", "owners", "parents"]
ORGANISATION_KEYS = ["code", "name", "kind", "parent"]
CATEGORY_SET_KEYS = ["key", "name", "categories"]
CATEGORY_KEYS = ["name", "description", "valid_from", "valid_to"]
GOAL_KEYS = [
    "key",
    "level",
    "title",
    "description",
    "owner",
    "decision",
    "valid_from",
    "valid_to",
    "categories",
    "indicators",
    "activities",
    "assignments",
    "children",
]
INDICATOR_KEYS = [
    "key",
    "name",
    "description",
    "owner",
    "unit",
    "direction",
    "decimals",
    "gender_split",
    "kolada_kpi",
    "kolada_scale",
    "allow_negative",
    "allow_above_100",
    "valid_from",
    "valid_to",
    "targets",
]
TARGET_KEYS = ["from", "to", "comparison", "value", "low", "high", "exclusive", "tolerance", "tolerance_unit"]
ACTIVITY_KEYS = ["title", "description", "owner", "responsible", "start_date", "end_date"]
ASSIGNMENT_KEYS = ["title", "description", "decision", "owner", "due"]
# What the canonical form leaves out (docs/goal-format.md); owners left out are their goal's.
DEFAULTS = {
    "level": {"parents": []},
    "goal": {"description": "", "decision": "", "valid_from": None, "valid_to": None, "categories": {},
             "indicators": [], "activities": [], "assignments": [], "children": []},
    "indicator": {"description": "", "direction": "higher", "decimals": 0, "gender_split": False,
                  "kolada_kpi": None, "allow_negative": False, "allow_above_100": False, "valid_from": None,
                  "valid_to": None},
    "target": {"value": None, "low": None, "high": None, "exclusive": False, "tolerance": 0,
               "tolerance_unit": "absolute"},
    "activity": {"description": "", "responsible": "", "start_date": None, "end_date": None},
    "assignment": {"description": "", "decision": "", "due": None},
}  # fmt: skip

KINDS = {"council", "board", "committee", "administration", "unit", "company"}
COMPARISONS = {"at_least", "at_most", "exactly", "within", "higher_than_last_year", "lower_than_last_year"}
TREND_COMPARISONS = {"higher_than_last_year", "lower_than_last_year"}
TOLERANCE_UNITS = {"absolute", "percent"}
DIRECTIONS = {"higher", "lower"}
CODE = re.compile(r"^[A-ZÅÄÖ0-9][A-ZÅÄÖ0-9_-]*$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KOLADA_KPI = re.compile(r"^[NU]\d{5}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def load(path):
    return filled(json.loads(path.read_text(encoding="utf-8")))


def _in_order(entry, keys, defaults):
    """The entry with its left-out keys at their defaults, in `keys`' order; as it is when it has keys out
    of that order or unknown ones (the checks then name them)."""
    present = list(entry)
    if present != [key for key in keys if key in entry]:
        return entry
    return {key: entry[key] if key in entry else defaults.get(key) for key in keys}


def filled(document):
    """The document with every default the canonical form leaves out put back."""
    document["levels"] = [_in_order(level, LEVEL_KEYS, DEFAULTS["level"]) for level in document["levels"]]
    document.setdefault("category_sets", [])
    for category_set in document["category_sets"]:
        category_set["categories"] = [_in_order(c, CATEGORY_KEYS, {}) for c in category_set["categories"]]

    def goal(entry):
        entry = _in_order(entry, GOAL_KEYS, DEFAULTS["goal"])
        if list(entry) != GOAL_KEYS:
            return entry
        owner = entry["owner"]
        entry["indicators"] = [indicator(i, owner) for i in entry["indicators"]]
        entry["activities"] = [
            _in_order(a, ACTIVITY_KEYS, {**DEFAULTS["activity"], "owner": owner}) for a in entry["activities"]
        ]
        entry["assignments"] = [
            _in_order(a, ASSIGNMENT_KEYS, DEFAULTS["assignment"]) for a in entry["assignments"]
        ]
        entry["children"] = [goal(child) for child in entry["children"]]
        return entry

    def indicator(entry, owner):
        defaults = {**DEFAULTS["indicator"], "owner": owner}
        defaults["kolada_scale"] = 1 if entry.get("kolada_kpi") else None
        entry = _in_order(entry, INDICATOR_KEYS, defaults)
        if "targets" in entry and "direction" in entry:
            comparison = "at_most" if entry["direction"] == "lower" else "at_least"
            entry["targets"] = [target(t, comparison) for t in entry["targets"]]
        return entry

    def target(entry, comparison):
        return _in_order(
            entry, TARGET_KEYS, {**DEFAULTS["target"], "to": entry.get("from"), "comparison": comparison}
        )

    document["goals"] = [goal(entry) for entry in document["goals"]]
    return document


def walk(goals, parent=None):
    """Every goal of the tree with its parent goal (None at the top), depth first."""
    for goal in goals:
        yield goal, parent
        yield from walk(goal["children"], goal)


def indicators(document):
    for goal, _parent in walk(document["goals"]):
        yield from goal["indicators"]


def targets(document):
    for indicator in indicators(document):
        yield from indicator["targets"]


def year_ok(year):
    return year is None or (isinstance(year, int) and 1900 <= year <= 2200)


def span_ok(start, end):
    return year_ok(start) and year_ok(end) and (start is None or end is None or start <= end)


def structure_errors(document):
    """All the places where the file does not hold together, as readable strings (empty when it does)."""
    errors = []
    if list(document) != TOP_KEYS:
        errors.append(f"top-level keys {list(document)}")
    if document.get("format") != "noramal-goals" or document.get("version") != 2:
        errors.append("not a noramal-goals version 2 file")

    levels = {}
    for level in document["levels"]:
        if list(level) != LEVEL_KEYS:
            errors.append(f"level keys {list(level)}")
        key = level["key"]
        if not SLUG.match(key) or len(key) > 20:
            errors.append(f"level key {key!r} is not a slug of at most 20 characters")
        if key in levels:
            errors.append(f"level {key!r} twice")
        levels[key] = level
        if not level["owners"] or not set(level["owners"]) <= KINDS:
            errors.append(f"level {key!r} owners {level['owners']}")
    for level in document["levels"]:
        for parent in level["parents"]:
            if parent not in levels or parent == level["key"]:
                errors.append(f"level {level['key']!r} has unknown parent level {parent!r}")
    if document["headline_level"] not in levels:
        errors.append(f"headline level {document['headline_level']!r} is not a level")

    organisations = {}
    for organisation in document["organisations"]:
        if list(organisation) != ORGANISATION_KEYS:
            errors.append(f"organisation keys {list(organisation)}")
        code = organisation["code"]
        if not CODE.match(code):
            errors.append(f"organisation code {code!r}")
        if code in organisations:
            errors.append(f"organisation {code!r} twice")
        if organisation["kind"] not in KINDS:
            errors.append(f"organisation {code!r} kind {organisation['kind']!r}")
        organisations[code] = organisation
    for organisation in document["organisations"]:
        parent = organisation["parent"]
        if parent is not None and (parent not in organisations or parent == organisation["code"]):
            errors.append(f"organisation {organisation['code']!r} has unknown parent {parent!r}")

    category_sets = {}
    for category_set in document["category_sets"]:
        if list(category_set) != CATEGORY_SET_KEYS:
            errors.append(f"category set keys {list(category_set)}")
        if category_set["key"] in category_sets:
            errors.append(f"category set {category_set['key']!r} twice")
        names = set()
        for category in category_set["categories"]:
            if list(category) != CATEGORY_KEYS:
                errors.append(f"category keys {list(category)}")
            folded = category["name"].strip().casefold()
            if category["name"] != category["name"].strip() or folded in names:
                errors.append(f"category {category['name']!r}: untrimmed or twice")
            names.add(folded)
            if not span_ok(category["valid_from"], category["valid_to"]):
                errors.append(f"category {category['name']!r} validity")
        category_sets[category_set["key"]] = {category["name"] for category in category_set["categories"]}

    goal_keys = set()
    indicator_keys = set()
    for goal, parent in walk(document["goals"]):
        where = f"goal {goal.get('key')!r}"
        if list(goal) != GOAL_KEYS:
            errors.append(f"{where} keys {list(goal)}")
            continue
        if not goal["key"] or goal["key"] in goal_keys:
            errors.append(f"{where}: key missing or used twice")
        goal_keys.add(goal["key"])
        level = levels.get(goal["level"])
        if level is None:
            errors.append(f"{where}: unknown level {goal['level']!r}")
        elif parent is None and level["parents"]:
            errors.append(f"{where}: a {goal['level']!r} goal must sit under {level['parents']}")
        elif parent is not None and parent["level"] not in level["parents"]:
            errors.append(f"{where}: a {goal['level']!r} goal may not sit under a {parent['level']!r} goal")
        owner = organisations.get(goal["owner"])
        if owner is None:
            errors.append(f"{where}: unknown owner {goal['owner']!r}")
        elif level is not None and owner["kind"] not in level["owners"]:
            errors.append(f"{where}: a {owner['kind']} may not own a {goal['level']!r} goal")
        if not span_ok(goal["valid_from"], goal["valid_to"]):
            errors.append(f"{where}: validity")
        for set_key, names in goal["categories"].items():
            if set_key not in category_sets:
                errors.append(f"{where}: unknown category set {set_key!r}")
                continue
            for name in names:
                if name not in category_sets[set_key]:
                    errors.append(f"{where}: category {name!r} is not in {set_key!r}")
        for indicator in goal["indicators"]:
            errors.extend(indicator_errors(indicator, organisations, indicator_keys))
        for activity in goal["activities"]:
            if list(activity) != ACTIVITY_KEYS:
                errors.append(f"{where}: activity keys {list(activity)}")
            if activity["owner"] not in organisations:
                errors.append(f"{where}: activity owner {activity['owner']!r}")
            if not (DATE.match(activity["start_date"]) and DATE.match(activity["end_date"])):
                errors.append(f"{where}: activity dates")
            elif activity["start_date"] > activity["end_date"]:
                errors.append(f"{where}: activity ends before it starts")
        for assignment in goal["assignments"]:
            if list(assignment) != ASSIGNMENT_KEYS:
                errors.append(f"{where}: assignment keys {list(assignment)}")
            if assignment["owner"] not in organisations:
                errors.append(f"{where}: assignment owner {assignment['owner']!r}")
            if not DATE.match(assignment["due"]):
                errors.append(f"{where}: assignment due date {assignment['due']!r}")
    return errors


def indicator_errors(indicator, organisations, seen):
    where = f"indicator {indicator.get('key')!r}"
    if list(indicator) != INDICATOR_KEYS:
        return [f"{where} keys {list(indicator)}"]
    errors = []
    if not indicator["key"] or indicator["key"] in seen:
        errors.append(f"{where}: key missing or used twice")
    seen.add(indicator["key"])
    if indicator["owner"] not in organisations:
        errors.append(f"{where}: unknown owner {indicator['owner']!r}")
    if indicator["direction"] not in DIRECTIONS:
        errors.append(f"{where}: direction {indicator['direction']!r}")
    if not isinstance(indicator["decimals"], int) or not 0 <= indicator["decimals"] <= 6:
        errors.append(f"{where}: decimals {indicator['decimals']!r}")
    kpi = indicator["kolada_kpi"]
    if kpi is not None and not KOLADA_KPI.match(kpi):
        errors.append(f"{where}: Kolada id {kpi!r}")
    if (kpi is None) != (indicator["kolada_scale"] is None):
        errors.append(f"{where}: a Kolada scale belongs with a Kolada id")
    if not span_ok(indicator["valid_from"], indicator["valid_to"]):
        errors.append(f"{where}: validity")
    if not indicator["targets"]:
        errors.append(f"{where}: no target")
    for target in indicator["targets"]:
        errors.extend(target_errors(target, indicator, where))
    return errors


def target_errors(target, indicator, where):
    if list(target) != TARGET_KEYS:
        return [f"{where}: target keys {list(target)}"]
    errors = []
    comparison = target["comparison"]
    if comparison not in COMPARISONS:
        errors.append(f"{where}: comparison {comparison!r}")
    if not span_ok(target["from"], target["to"]) or target["from"] is None or target["to"] is None:
        errors.append(f"{where}: target years {target['from']}–{target['to']}")
    if comparison == "within":
        low, high = target["low"], target["high"]
        if not all(isinstance(bound, int | float) for bound in (low, high)) or low > high:
            errors.append(f"{where}: within needs low ≤ high, got {low!r}–{high!r}")
    elif target["low"] is not None or target["high"] is not None:
        errors.append(f"{where}: low/high only belong to within")
    if comparison in TREND_COMPARISONS or comparison == "within":
        if target["value"] is not None:
            errors.append(f"{where}: {comparison} takes no value")
    elif not isinstance(target["value"], int | float):
        errors.append(f"{where}: {comparison} needs a value")
    elif target["value"] < 0 and not indicator["allow_negative"]:
        errors.append(f"{where}: negative target on an indicator that refuses negative values")
    if not isinstance(target["exclusive"], bool):
        errors.append(f"{where}: exclusive must be true or false")
    if (target["tolerance"] is None) != (target["tolerance_unit"] is None):
        errors.append(f"{where}: tolerance and its unit come together")
    if target["tolerance_unit"] is not None and target["tolerance_unit"] not in TOLERANCE_UNITS:
        errors.append(f"{where}: tolerance unit {target['tolerance_unit']!r}")
    if target["tolerance"] is not None and target["tolerance"] < 0:
        errors.append(f"{where}: negative tolerance")
    return errors


def test_there_are_four_municipalities():
    assert [path.stem for path in FILES] == ["lulea", "orebro", "stenungsund", "stockholm"]


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_file_is_pretty_printed_utf8(path):
    text = path.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_file_holds_together(path):
    assert structure_errors(load(path)) == []


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_file_is_small_but_real(path):
    document = load(path)
    goal_count = sum(1 for _ in walk(document["goals"]))
    indicator_count = sum(1 for _ in indicators(document))
    assert 15 <= goal_count <= 60
    assert 10 <= indicator_count <= 40
    assert document["municipality"] != "Nora kommun"


def test_the_checker_finds_broken_references():
    document = load(FIXTURES / "stockholm.json")
    goal = document["goals"][0]["children"][-1]
    goal["owner"] = "NOBODY"
    goal["categories"] = {"malomrade": ["Rymdfart"]}
    goal["children"] = [dict(document["goals"][0], key="vision-again", indicators=[], children=[])]
    indicator = document["goals"][0]["children"][-2]["children"][0]["indicators"][0]
    broken = dict(indicator["targets"][0], comparison="within", value=None, low=None, high=None)
    indicator["targets"] = [broken]
    errors = structure_errors(document)
    assert any("unknown owner 'NOBODY'" in error for error in errors)
    assert any("'Rymdfart' is not in 'malomrade'" in error for error in errors)
    assert any("'vision' goal may not sit under a 'inriktningsmal' goal" in error for error in errors)
    assert any("within needs low ≤ high" in error for error in errors)


def test_together_they_use_every_target_form():
    documents = [load(path) for path in FILES]
    all_targets = [target for document in documents for target in targets(document)]
    all_indicators = [indicator for document in documents for indicator in indicators(document)]
    assert {target["comparison"] for target in all_targets} == COMPARISONS
    assert {target["tolerance_unit"] for target in all_targets} - {None} == TOLERANCE_UNITS
    assert any(target["exclusive"] and target["comparison"] == "at_most" for target in all_targets)
    assert any(target["from"] < target["to"] for target in all_targets)
    assert any(indicator["allow_negative"] for indicator in all_indicators)
    assert any(indicator["allow_above_100"] for indicator in all_indicators)
    assert any(indicator["kolada_kpi"] for indicator in all_indicators)


def test_together_they_have_the_shapes_nora_lacks():
    documents = {path.stem: load(path) for path in FILES}
    kinds = {o["kind"] for document in documents.values() for o in document["organisations"]}
    assert {"council", "board", "administration", "company"} <= kinds
    set_keys = {s["key"] for document in documents.values() for s in document["category_sets"]}
    assert "agenda2030" in set_keys
    assert any(goal["assignments"] for document in documents.values() for goal, _ in walk(document["goals"]))

    # Several goals directly under the vision, none of them a single overarching goal.
    stenungsund = documents["stenungsund"]
    assert len(stenungsund["goals"]) == 1
    assert len([g for g in stenungsund["goals"][0]["children"] if g["valid_to"] is None]) == 4

    # A board's indicator on a council goal.
    organisations = {o["code"]: o for o in stenungsund["organisations"]}
    assert any(
        goal["owner"] == "KF" and organisations[indicator["owner"]]["kind"] == "board"
        for goal, _ in walk(stenungsund["goals"])
        for indicator in goal["indicators"]
    )

    # The headline counts a level that is not the council's first level under the vision.
    stockholm = documents["stockholm"]
    assert stockholm["headline_level"] == "vo-mal"

    # Goals owned by administrations, and a perspective dropped from a later plan.
    orebro = documents["orebro"]
    owners = {o["code"]: o["kind"] for o in orebro["organisations"]}
    assert any(owners[goal["owner"]] == "administration" for goal, _ in walk(orebro["goals"]))
    assert any(c["valid_to"] for s in orebro["category_sets"] for c in s["categories"])

    # Board goals directly under the vision, with no council goal above them.
    lulea = documents["lulea"]
    board_levels = {level["key"] for level in lulea["levels"] if "board" in level["owners"]}
    assert any(
        goal["level"] in board_levels and parent is not None and parent["level"] == "vision"
        for goal, parent in walk(lulea["goals"])
    )
