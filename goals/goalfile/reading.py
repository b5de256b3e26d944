"""Reading a goal document: parse it and check it completely, into the plan of what importing it writes.

Every problem is collected with its place in the file, and a document with any is refused with all of
them at once (`GoalFileErrors`, up to `MAX_ERRORS` shown); nothing is written before a document is
checked completely. Version 1 is read here, version 2 in `version2`.
"""

import difflib
import functools
import json
import math
import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from goals import jsondepth
from goals.chain import chain_errors, financial_error, styrmodell
from goals.models import Activity, Category, Goal, Indicator, Organisation, Target
from goals.targets import WITH_VALUE, overlap_errors, span_text, target_errors

from .format import (
    ACTIVITY_KEYS,
    BOARD,
    CHILD_KEY,
    CHILD_LEVEL,
    COUNCIL,
    COUNCIL_LEVELS,
    FORMAT,
    GOAL_KEYS,
    INDICATOR_KEYS,
    ISO_DATE,
    LEVEL_KEYS,
    MAX_ERRORS,
    ORGANISATION_KEYS,
    OVERARCHING,
    PERSPECTIVE_KEYS,
    REQUIRED,
    SIGNIFICANT_DIGITS,
    TARGET_KEYS,
    TOP_KEYS,
    VERSIONS,
    VISION,
    GoalFileError,
    GoalFileErrors,
)

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
    categories: dict = field(default_factory=dict)  # version 2: {set key: [names]}
    assignments: list = field(default_factory=list)  # version 2: rows for goals.assignments
    indicators: list = field(default_factory=list)
    activities: list = field(default_factory=list)
    children: list = field(default_factory=list)
    path: str = ""  # its place in the file, for a revision's messages

    @property
    def level_kind_id(self):
        return self.level_kind


@dataclass(eq=False)
class ItemPlan:
    """An indicator (with its targets) or an activity: model fields plus the owning organisation."""

    owner: OrganisationPlan
    fields: dict
    targets: list = field(default_factory=list)
    categories: dict = field(default_factory=dict)  # version 2's indicators: {set key: [names]}
    path: str = ""  # its place in the file, for a revision's messages


@dataclass(eq=False)
class Plan:
    """A checked document: what importing it will write."""

    municipality: str
    organisations: list
    perspectives: list
    roots: list  # GoalPlans: the tops of the chain, each a tree of its own
    levels: list | None = None  # version 2: the file's styrmodell (LevelPlans), installed on import
    category_sets: list | None = None  # version 2: every set of the file (`install_sets` data)
    assignments: list = field(default_factory=list)  # version 2: assignments on no goal


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
        message = _("malformed JSON: %(error)s") % {"error": error.msg}
        hint = _json_hint(text, error.pos)
        raise GoalFileError(
            f"line {error.lineno}, column {error.colno}", f"{message} ({hint})" if hint else message
        ) from None


TYPOGRAPHIC_QUOTES = "\u201c\u201d\u201e\u2018\u2019\u00ab\u00bb"
DECIMAL_COMMA = re.compile(r"\d,\s*$")


def _json_hint(text, pos):
    """What the usual mistake behind a JSON error at `pos` is, or "" when it looks like none of them."""
    here, before = text[pos : pos + 2], text[max(pos - 40, 0) : pos]
    if here.startswith(("//", "/*")):
        return _("JSON has no comments; remove the // or /* */ text")
    if here[:1] in TYPOGRAPHIC_QUOTES:
        return _("typographic quotes (“ ” ‘ ’) are not JSON's quotes; write straight quotes \" instead")
    if here[:1].isdigit() and DECIMAL_COMMA.search(before):
        number = re.search(r"[\d,\s]*$", before).group().strip() + re.match(r"\d*", text[pos:]).group()
        return _('a decimal number is written with a point: %(good)s, not %(bad)s') % {
            "good": number.replace(",", ".").replace(" ", ""), "bad": number
        }  # fmt: skip
    return ""


def decode(data):
    """The text of a file's bytes (UTF-8, a byte order mark allowed); refused with a hint when it is not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        place = _("byte %(offset)d") % {"offset": error.start + 1}
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            raise GoalFileError(place, _("the file is not UTF-8 text")) from None
        hint = _("the file seems to be saved in Windows-1252; save it as UTF-8")
        raise GoalFileError(place, f"{_('the file is not UTF-8 text')}: {hint}") from None


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


# --- Collecting every problem -------------------------------------------------------------------------

_found = ContextVar("goal_file_errors", default=None)


class _Found:
    """The problems found so far in one document: the first `MAX_ERRORS` kept, the rest counted."""

    def __init__(self):
        self.errors, self.total, self.places = [], 0, set()

    def add(self, error):
        if error.path in self.places:  # one problem per place: a later rule would only repeat it
            return
        self.places.add(error.path)
        self.total += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)


@contextmanager
def _collecting():
    """Collect the problems found in the block; refuse the document with all of them after it."""
    found, token = _Found(), None
    token = _found.set(found)
    try:
        yield found
    finally:
        _found.reset(token)
    if found.total:
        raise GoalFileErrors(found.errors, found.total)


def record(error):
    """Note a problem and go on reading (outside a document's check: raise it)."""
    found = _found.get()
    if found is None:
        raise error
    found.add(error)


def guard(read, *args):
    """`read(*args)`, or None when it found a problem it could not read past (noted with `record`)."""
    try:
        return read(*args)
    except GoalFileError as error:
        record(error)
        return None


def _noted(fallback=None):
    """A field reader that notes its problem and returns `fallback`, so that reading goes on."""

    def decorate(method):
        @functools.wraps(method)
        def reader(self, key, *args, **kwargs):
            try:
                return method(self, key, *args, **kwargs)
            except GoalFileError as error:
                record(error)
                return fallback() if callable(fallback) else fallback

        return reader

    return decorate


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
            record(GoalFileError(self.at(duplicate), _("this field appears twice in the same object")))
        for key in value:
            if key not in keys:
                record(GoalFileError(self.at(key), _unknown_key(key, keys, level)))
        self.value = value

    def at(self, key):
        return f"{self.path}.{key}" if self.path else key

    @_noted()
    def require(self, key):
        """The field's value, noted as missing when it is absent or null."""
        return self._take(key, REQUIRED)

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

    def _validated(self, key, model, value, field=None):
        if model is None:
            return value
        # The model field's own validators (length, pattern, range, digits): the rules live in one place.
        try:
            model._meta.get_field(field or key).run_validators(value)
        except ValidationError as error:
            raise GoalFileError(self.at(key), error.messages[0]) from None
        return value

    @_noted()
    def text(self, key, model, default=""):
        value = self._take(key, default)
        if value is None:
            return default
        if not isinstance(value, str):
            raise self._wrong(key, _("a string"))
        if default is REQUIRED and not value.strip():
            raise GoalFileError(self.at(key), _("must not be empty"))
        return self._validated(key, model, value)

    @_noted()
    def whole(self, key, model, default=None, *, field=None):
        value = self._take(key, default)
        if value is None:
            return default
        if not _is_whole(value):
            raise self._wrong(key, _("a whole number or null") if default is None else _("a whole number"))
        return self._validated(key, model, value, field)

    @_noted()
    def number(self, key, model, default=REQUIRED, *, field=None):
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
        return self._validated(key, model, value, field)

    @_noted()
    def boolean(self, key, default):
        value = self.value.get(key, default)
        if not isinstance(value, bool):
            raise self._wrong(key, _("true or false"))
        return value

    @_noted()
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

    @_noted(list)
    def items(self, key, default=None):
        """The list under `key` as (element, path) pairs."""
        value = self._take(key, default)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self._wrong(key, _("a list"))
        return [(item, f"{self.at(key)}[{index}]") for index, item in enumerate(value)]

    @_noted()
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
                "level": styrmodell().name(level), "key": CHILD_KEY[level]
            }  # fmt: skip
        elif level == VISION:
            hint = _('the goal below the vision is the top-level "overarching_goal"')
        elif level == OVERARCHING:
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
    if not _is_whole(doc.get("version")) or doc["version"] not in VERSIONS:
        message = _("this app reads versions %(versions)s, got %(got)s")
        versions = ", ".join(str(v) for v in VERSIONS)
        raise GoalFileError("version", message % {"versions": versions, "got": _describe(doc.get("version"))})
    if doc["version"] == 2:
        from .version2 import validate_version2

        read_document = validate_version2
    else:
        read_document = _validate_version1
    with _collecting():
        plan = guard(read_document, doc)
    return plan


def _validate_version1(doc):
    top = _Object(doc, "", TOP_KEYS)
    organisations = organisations_of(top)
    councils = [o for o in organisations.values() if o.kind == Organisation.Kind.COUNCIL]
    context = {
        "organisations": organisations,
        "council": councils[0] if len(councils) == 1 else None,
        "perspectives": _perspectives(top),
    }
    top.require("vision")
    top.require("overarching_goal")
    # A goal that could not be read stands in as a placeholder, so that the goals below it are still
    # checked, but not against it (the placeholder has no owner).
    vision = guard(_goal, doc.get("vision"), "vision", VISION, None, context) or _unread(VISION)
    overarching = guard(_goal, doc.get("overarching_goal"), "overarching_goal", OVERARCHING, vision, context)
    overarching = overarching or _unread(OVERARCHING)
    council_goals = _each(top.items("council_goals"), _goal, COUNCIL, overarching, context)
    vision.children = [overarching]
    overarching.children = council_goals
    return Plan(
        municipality=top.text("municipality", None),
        organisations=list(organisations.values()),
        perspectives=list(context["perspectives"].items()),
        roots=[vision],
    )


def _unread(level):
    return GoalPlan(level_kind=level, owner=None, fields={})


def organisations_of(top):
    """The file's organisations by code, in their order."""
    organisations = {}
    for item, path in top.items("organisations"):
        guard(_organisation, item, path, organisations)
    return organisations


def _organisation(item, path, organisations):
    obj = _Object(item, path, ORGANISATION_KEYS)
    code = obj.text("code", Organisation, REQUIRED)
    if code in organisations:
        raise GoalFileError(obj.at("code"), _('the code "%(code)s" is listed twice') % {"code": code})
    name = obj.text("name", Organisation, REQUIRED)
    kind = obj.choice("kind", Organisation.Kind)
    unknown = _('unknown organisation "%(code)s" (a parent must be listed before its parts)')
    parent = obj.organisation("parent", organisations, default=None, unknown=unknown)
    if parent is not None and kind == Organisation.Kind.COUNCIL:
        record(GoalFileError(obj.at("parent"), _("The council is not part of another organisation.")))
    if code is not None:
        organisations[code] = OrganisationPlan(code, name, kind, parent, position=len(organisations))


def _perspectives(top):
    perspectives = {}
    for item, path in top.items("perspectives"):
        obj = guard(_Object, item, path, PERSPECTIVE_KEYS)
        if obj is None:
            continue
        name = obj.text("name", Category, REQUIRED)
        # The perspectives become the categories of the set "perspektiv", whose names differ beyond case.
        if name is not None and name.strip().lower() in {known.strip().lower() for known in perspectives}:
            message = _('the perspective "%(name)s" is listed twice') % {"name": name}
            record(GoalFileError(obj.at("name"), message))
        elif name is not None:
            perspectives[name] = obj.text("description", Category)
    return perspectives


def _goal(value, path, level, parent, context):
    """A version 1 goal: its level is its place in the file."""
    child_key = CHILD_KEY.get(level)
    obj = _Object(value, path, [*GOAL_KEYS, child_key] if child_key else GOAL_KEYS, level)
    fields = {
        key: obj.text(key, Goal, REQUIRED if key == "title" else "") for key in ("title", "description")
    }
    if level not in COUNCIL_LEVELS:
        unknown = _('unknown board "%(code)s"') if level == BOARD else None
        owner = obj.organisation("owner", context["organisations"], unknown=unknown)
    elif context["council"] is None and obj.value.get("owner") is None:
        message = _("required, since the file does not list exactly one council")
        record(GoalFileError(obj.at("owner"), message))
        owner = None
    else:
        owner = obj.organisation("owner", context["organisations"], default=context["council"])
    goal = goal_plan(obj, level, owner, parent, fields, context)
    for item, item_path in obj.items("perspectives"):
        guard(_perspective_of, goal, item, item_path, context)
    if child_key:
        goal.children = _each(obj.items(child_key), _goal, CHILD_LEVEL[level], goal, context)
    return goal


def goal_plan(obj, level, owner, parent, fields, context, *, level_at=None, model=None):
    """The plan of a goal whose level and owner are read: its other fields, the chain's rule, its items."""
    fields["decision"] = obj.text("decision", Goal)
    fields["valid_from"] = obj.whole("valid_from", Goal)
    fields["valid_to"] = obj.whole("valid_to", Goal)
    if fields["valid_from"] and fields["valid_to"] and fields["valid_to"] < fields["valid_from"]:
        record(GoalFileError(obj.at("valid_to"), _("The last valid year comes before the first.")))
    # Version 2 marks a financial goal "financial": true (version 1 does not know the key).
    fields["is_financial"] = obj.boolean("financial", default=False)
    if fields["is_financial"] and level is not None and (message := financial_error(level, model=model)):
        record(GoalFileError(obj.at("financial"), str(message)))
    goal = GoalPlan(level_kind=level, owner=owner, fields=fields, path=obj.path)
    # The chain's rule, unless the owner (here or above) could not be read: it would only repeat that.
    parent_read = parent is None or (parent.owner is not None and parent.level_kind is not None)
    if level is not None and owner is not None and parent_read:
        for key, message in chain_errors(level, parent, owner, model=model).items():
            place = obj.at("owner") if key == "owner" else (level_at or obj.path)
            record(GoalFileError(place, str(message)))
    goal.indicators = _each(obj.items("indicators"), indicator_plan, owner, context)
    goal.activities = _each(obj.items("activities"), _activity, owner, context)
    return goal


def _each(items, read, *args):
    """`read(item, path, *args)` of each (item, path), leaving out those it could not read."""
    return [plan for plan in (guard(read, item, path, *args) for item, path in items) if plan is not None]


def _perspective_of(goal, item, path, context):
    if not isinstance(item, str):
        raise GoalFileError(path, _("expected a perspective's name, got %(got)s") % {"got": _describe(item)})
    if item not in context["perspectives"]:
        raise GoalFileError(path, _('unknown perspective "%(name)s"') % {"name": item})
    if item in goal.perspectives:
        raise GoalFileError(path, _('the perspective "%(name)s" is listed twice') % {"name": item})
    goal.perspectives.append(item)


def indicator_plan(value, path, goal_owner, context):
    version = context.get("version", 1)
    obj = _Object(value, path, INDICATOR_KEYS if version == 1 else context["indicator_keys"])
    fields = {
        "name": obj.text("name", Indicator, REQUIRED),
        "unit": obj.text("unit", Indicator, REQUIRED),
        "direction": obj.choice("direction", Indicator.Direction, default=Indicator.Direction.HIGHER),
        "decimals": obj.whole("decimals", Indicator, default=0),
        "gender_split": obj.boolean("gender_split", default=False),
        "kolada_kpi": obj.text("kolada_kpi", Indicator),
        "description": obj.text("description", Indicator),
        "valid_from": obj.whole("valid_from", Indicator),
        "valid_to": obj.whole("valid_to", Indicator),
        "allow_negative": obj.boolean("allow_negative", default=False),
        "allow_above_100": obj.boolean("allow_above_100", default=False),
        "kolada_scale": obj.number("kolada_scale", Indicator, default=Decimal(1)),
    }
    if version == 2:
        fields["key"] = context["keys"].take(obj, "key", Indicator)
    if fields["valid_from"] and fields["valid_to"] and fields["valid_to"] < fields["valid_from"]:
        record(GoalFileError(obj.at("valid_to"), _("The last valid year comes before the first.")))
    owner = obj.organisation("owner", context["organisations"], default=goal_owner)
    indicator = ItemPlan(owner, fields, path=obj.path)
    if version == 2:
        indicator.categories = context["read_categories"](obj)
    read_target = _target if version == 1 else context["read_target"]
    for item, item_path in obj.items("targets"):
        target = guard(read_target, item, item_path, fields["direction"], indicator.targets)
        if target is not None:
            indicator.targets.append(target)
    return indicator


ABSOLUTE = Target.ToleranceUnit.ABSOLUTE


def default_comparison(direction):
    """The comparison a target has when it names none: the one of its indicator's direction."""
    lower = direction == Indicator.Direction.LOWER
    return Target.Comparison.AT_MOST if lower else Target.Comparison.AT_LEAST


def _target(item, path, direction, earlier):
    """A version-1 target {year, value, tolerance}: the one-year span with the comparison of the indicator's
    direction; the optional keys (to, comparison, high, exclusive, tolerance_unit) carry the rest."""
    target = _Object(item, path, TARGET_KEYS)
    year = target.whole("year", Target, default=REQUIRED, field="from_year")
    to_year = target.whole("to", Target, default=year, field="to_year")
    fields = {
        "from_year": year,
        "to_year": to_year,
        "comparison": target.choice("comparison", Target.Comparison, default=default_comparison(direction)),
        "tolerance": target.number("tolerance", Target, default=Decimal(0)),
        "tolerance_unit": target.choice("tolerance_unit", Target.ToleranceUnit, default=ABSOLUTE),
        "exclusive": target.boolean("exclusive", default=False),
    }
    with_value = fields["comparison"] in WITH_VALUE
    fields["value"] = target.number("value", Target, default=REQUIRED if with_value else None)
    fields["high"] = target.number("high", Target, default=None, field="high")
    return checked_target(target, fields, earlier, {"from_year": "year", "to_year": "to"})


def checked_target(target, fields, earlier, names):
    """`fields` once the target's own rules (`goals.targets`) and its span's overlap are asked."""
    year, to_year = fields["from_year"], fields["to_year"]
    if year is not None and to_year is not None:
        for other in earlier:
            if other["from_year"] is None or other["to_year"] is None:
                continue
            if overlap_errors([(year, to_year), (other["from_year"], other["to_year"])]):
                message = _("this indicator has a target for %(year)s already")
                message %= {"year": span_text(year, to_year)}
                record(GoalFileError(target.at(names["from_year"]), message))
                break
    for key, message in target_errors(Target(**fields)).items():
        record(GoalFileError(target.at(names.get(key, key)), str(message)))
    return fields


def _activity(value, path, goal_owner, context):
    obj = _Object(value, path, ACTIVITY_KEYS)
    fields = {key: obj.text(key, Activity, REQUIRED if key == "title" else "") for key in ACTIVITY_KEYS[:2]}
    fields["responsible"] = obj.text("responsible", Activity)
    fields["start_date"], fields["end_date"] = obj.day("start_date"), obj.day("end_date")
    if fields["start_date"] and fields["end_date"] and fields["end_date"] < fields["start_date"]:
        record(GoalFileError(obj.at("end_date"), _("The end date comes before the start date.")))
    owner = obj.organisation("owner", context["organisations"], default=goal_owner)
    return ItemPlan(owner, fields, path=obj.path)


def read(text):
    """Parse and check the text of a document; return its plan."""
    return validate(parse_json(text))
