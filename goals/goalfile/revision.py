"""A revised goal file applied to an installation that has goals: nothing of its history is lost.

`plan_revision` matches the file's goals and indicators with the installation's — by their stable keys,
and where the file gives none, a goal by level + owner + title and an indicator by its name on its goal —
and lists what the revision does: new goals and indicators, changed ones, moved ones, and those the file
leaves out, which are **ended** (their validity closes the year before the revision's first year) when
they have follow-up and deleted through the guarded delete when they have none. `apply_revision` writes
that plan in one transaction under the goal tree's lock, through the tree's write path, and records one
audit event with the file's SHA-256. `revision_text` is the plan as a readable list (Swedish).
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import record_event
from goals import categories as category_links
from goals import deletion, services, tree, treecache
from goals.history import acting_as
from goals.models import Activity, Category, Goal, GoalLevel, Indicator, Organisation, Target
from goals.targets import DECIDED_FIELDS, locked_years, span_text, target_text, target_write_errors
from goals.textinput import COMMENT_MAX

from .format import MAX_ERRORS, GoalFileError, GoalFileErrors
from .importing import ImportRefused, _categories_of, _install_categories, _upsert_organisations

GOAL_FIELDS = ("title", "description", "decision", "valid_from", "valid_to", "is_financial")
INDICATOR_FIELDS = ("name", "description", "unit", "direction", "decimals", "gender_split",
                    "kolada_kpi", "kolada_scale", "valid_from", "valid_to", "allow_negative",
                    "allow_above_100")  # fmt: skip
ACTIVITY_FIELDS = ("title", "description", "responsible", "start_date", "end_date")
TARGET_FIELDS = DECIDED_FIELDS
DECISION_MAX = Target._meta.get_field("change_decision").max_length


class RevisionRefused(ImportRefused):
    """The revision cannot be applied as it stands (what it needs is said in the message)."""


def default_from_year(today=None):
    """The first year a revision holds for: next year from 1 October (the budget for it is being decided),
    else this year."""
    today = today or timezone.localdate()
    return today.year + 1 if today.month >= 10 else today.year


def file_sha256(data):
    return hashlib.sha256(data).hexdigest()


@dataclass(eq=False)
class RevisionPlan:
    """What applying a checked goal file as a revision does, in the order it does it."""

    file_plan: object
    from_year: int
    sha256: str = ""
    lines: list = field(default_factory=list)  # (kind, text), in the file's order, then what ends
    counts: Counter = field(default_factory=Counter)  # ("goal" | "indicator" | …, kind) → how many
    unchanged: Counter = field(default_factory=Counter)
    goals: list = field(default_factory=list)  # GoalStep, parents first
    left_out_goals: list = field(default_factory=list)  # (Goal, "end" | "delete")
    left_out_indicators: list = field(default_factory=list)  # (Indicator, "end" | "delete")
    left_out_activities: list = field(default_factory=list)  # Activity (deleted)

    @property
    def changes(self):
        return sum(self.counts.values())

    def add(self, model, kind, text):
        self.counts[(model, kind)] += 1
        self.lines.append((kind, text))


@dataclass(eq=False)
class GoalStep:
    plan: object  # the file's GoalPlan
    parent: object  # the parent's GoalPlan, or None for a top goal
    index: int
    row: Goal | None  # the matched goal, None for a new one
    moved: bool = False
    fields: dict = field(default_factory=dict)  # changed own fields
    categories: list | None = None  # the file's categories when they changed
    indicators: list = field(default_factory=list)  # IndicatorStep
    activities: list = field(default_factory=list)  # (ItemPlan, Activity or None, changed fields)


@dataclass(eq=False)
class IndicatorStep:
    plan: object
    index: int
    row: Indicator | None
    fields: dict = field(default_factory=dict)
    moved: bool = False
    categories: list | None = None
    targets: list = field(default_factory=list)  # (old Target or None, new fields or None)


# --- Reading the installation ----------------------------------------------------------------------------


class _Installed:
    """Every goal, indicator, target and activity of the installation, read in a fixed number of queries."""

    def __init__(self):
        self.goals = {g.pk: g for g in Goal.objects.all()}
        self.codes = dict(Organisation.objects.values_list("pk", "code"))
        self.goal_categories = _links("goalcategory", "goal_id")
        self.indicators = {i.pk: i for i in Indicator.objects.all()}
        self.indicator_categories = _links("indicatorcategory", "indicator_id")
        self.targets = {}
        for target in Target.objects.order_by("from_year"):
            self.targets.setdefault(target.indicator_id, []).append(target)
        self.activities = {}
        for activity in Activity.objects.order_by("position", "pk"):
            self.activities.setdefault(activity.goal_id, []).append(activity)
        self.indicators_by_key = {i.key: i for i in self.indicators.values() if i.key}
        self.indicators_of = {}
        for indicator in sorted(self.indicators.values(), key=lambda i: (i.position, i.pk)):
            self.indicators_of.setdefault(indicator.goal_id, []).append(indicator)
        self.levels = set(GoalLevel.objects.values_list("key", flat=True))


def _links(model_name, column):
    """{object id: [(set key, lower-case name)]} of goals' or indicators' categories, in their order."""
    model = Category.goals.through if model_name == "goalcategory" else Category.indicators.through
    rows = model.objects.order_by(column, "position", "pk").values_list(
        column, "category__set__key", "category__name"
    )
    links = {}
    for pk, key, name in rows:
        links.setdefault(pk, []).append((key, name.lower()))
    return links


# --- Planning --------------------------------------------------------------------------------------------


def plan_revision(file_plan, from_year, *, sha256=""):
    """Match a checked file (`goalfile.read`'s plan) with the installation; return the RevisionPlan.

    A file that cannot be applied as a revision (ambiguous matches, a changed level, a closed year's
    target changed) is refused with every problem at once (`GoalFileErrors`)."""
    installed = _Installed()
    plan = RevisionPlan(file_plan=file_plan, from_year=from_year, sha256=sha256)
    errors = []
    matched = _match_goals(file_plan, installed, errors)
    locked = locked_years()
    seen_indicators = set()
    titles = {}

    def visit(goal_plan, parent, index, parent_title):
        row = matched.get(id(goal_plan))
        step = GoalStep(goal_plan, parent, index, row)
        plan.goals.append(step)
        title = goal_plan.fields["title"]
        titles[id(goal_plan)] = title
        level = goal_plan.level_kind
        if level not in installed.levels:
            message = _(
                "the level “%(level)s” is not in this installation's styrmodell; change the styrmodell first"
            )
            errors.append(GoalFileError(goal_plan.path, message % {"level": level}))
        if row is None:
            text = _("New goal: “%(title)s” (%(owner)s)") % {"title": title, "owner": goal_plan.owner.name}
            if parent_title:
                text += " " + _("under “%(parent)s”") % {"parent": parent_title}
            plan.add("goal", "new", text)
        else:
            _plan_goal_changes(plan, step, installed, matched, errors)
        for position, item in enumerate(goal_plan.indicators):
            step.indicators.append(
                _plan_indicator(plan, step, item, position, installed, locked, seen_indicators, errors)
            )
        _plan_activities(plan, step, installed)
        for child_index, child in enumerate(goal_plan.children):
            visit(child, goal_plan, child_index, title)

    for index, root in enumerate(file_plan.roots):
        visit(root, None, index, "")
    _plan_left_out(plan, installed, matched, seen_indicators, errors)
    if errors:
        raise GoalFileErrors(errors[:MAX_ERRORS], len(errors))
    plan.unchanged["goal"] = sum(
        1 for s in plan.goals if s.row is not None and not s.moved and not s.fields and s.categories is None
    )
    plan.unchanged["indicator"] = sum(
        1
        for s in plan.goals
        for i in s.indicators
        if i.row is not None and not i.fields and not i.moved and i.categories is None and not i.targets
    )
    return plan


def _triple(level, owner_code, title):
    return level, owner_code, " ".join(title.split()).lower()


def _match_goals(file_plan, installed, errors):
    """{id(GoalPlan): Goal} of the file's goals that are already there: by key, else by level + owner +
    title among the goals no key took. Ambiguities are errors naming both places."""
    steps = []

    def walk(goal_plan):
        steps.append(goal_plan)
        for child in goal_plan.children:
            walk(child)

    for root in file_plan.roots:
        walk(root)
    by_key = {g.key: g for g in installed.goals.values() if g.key}
    matched, taken = {}, set()
    for goal_plan in steps:
        key = goal_plan.fields.get("key")
        if key and key in by_key:
            matched[id(goal_plan)] = by_key[key]
            taken.add(by_key[key].pk)
    by_triple = {}
    for goal in installed.goals.values():
        if goal.pk not in taken:
            by_triple.setdefault(
                _triple(goal.level_kind_id, installed.codes[goal.owner_id], goal.title), []
            ).append(goal)
    in_file = {}
    for goal_plan in steps:
        if goal_plan.fields.get("key"):
            continue
        triple = _triple(goal_plan.level_kind, goal_plan.owner.code, goal_plan.fields["title"])
        if triple in in_file:
            message = _(
                "this goal has the same level, owner and title as the goal at %(place)s, and neither has a "
                "key: give them keys so that the revision can tell them apart"
            )
            errors.append(GoalFileError(goal_plan.path, message % {"place": in_file[triple]}))
            continue
        in_file[triple] = goal_plan.path
        candidates = by_triple.get(triple, [])
        if len(candidates) > 1:
            message = _(
                "this goal matches %(count)d goals with the same level, owner and title (%(keys)s): give "
                "it the key of the one it is"
            )
            keys = ", ".join(f"“{g.key}”" for g in candidates)
            errors.append(GoalFileError(goal_plan.path, message % {"count": len(candidates), "keys": keys}))
        elif candidates:
            matched[id(goal_plan)] = candidates[0]
    return matched


def _field_names(model, names):
    return ", ".join(str(model._meta.get_field(name).verbose_name) for name in names)


def _plan_goal_changes(plan, step, installed, matched, errors):
    goal_plan, row = step.plan, step.row
    if goal_plan.level_kind != row.level_kind_id:
        message = _(
            "the goal “%(key)s” is at another level in the installation; a revision does not change a goal's "
            "level: give the goal a new key (the old one then ends)"
        )
        errors.append(GoalFileError(goal_plan.path, message % {"key": row.key}))
    fields = {
        name: goal_plan.fields[name] for name in GOAL_FIELDS if goal_plan.fields[name] != getattr(row, name)
    }
    if goal_plan.owner.code != installed.codes[row.owner_id]:
        fields["owner"] = goal_plan.owner
    step.fields = fields
    new_categories = _categories_of(goal_plan)
    if new_categories != installed.goal_categories.get(row.pk, []):
        step.categories = new_categories
    title = goal_plan.fields["title"]
    if "title" in fields:
        plan.add(
            "goal", "changed", _("Changed title: “%(old)s” → “%(new)s”") % {"old": row.title, "new": title}
        )
    rest = [name for name in fields if name != "title"]
    if step.categories is not None:
        rest.append("categories")
    if rest:
        names = _field_names(Goal, rest)
        plan.add("goal", "changed", _("Changed %(fields)s: “%(title)s”") % {"fields": names, "title": title})
    parent_row = matched.get(id(step.parent)) if step.parent is not None else None
    if step.parent is None:
        step.moved = row.parent_id is not None
    else:
        step.moved = parent_row is None or parent_row.pk != row.parent_id
    if step.moved:
        old_parent = installed.goals.get(row.parent_id)
        values = {
            "title": title,
            "old": old_parent.title if old_parent else "—",
            "new": step.parent.fields["title"] if step.parent is not None else "—",
        }
        plan.add("goal", "moved", _("Moved: “%(title)s” from “%(old)s” to “%(new)s”") % values)


def _plan_indicator(plan, step, item, position, installed, locked, seen, errors):
    key = item.fields.get("key")
    row = None
    if key:
        row = installed.indicators_by_key.get(key)
    elif step.row is not None:
        name = " ".join(item.fields["name"].split()).lower()
        same = [
            i for i in installed.indicators_of.get(step.row.pk, [])
            if " ".join(i.name.split()).lower() == name and i.pk not in seen
        ]  # fmt: skip
        row = same[0] if same else None
    indicator = IndicatorStep(item, position, row)
    name = item.fields["name"]
    goal_title = step.plan.fields["title"]
    if row is None:
        plan.add(
            "indicator",
            "new",
            _("New indicator: “%(name)s” on “%(goal)s”") % {"name": name, "goal": goal_title},
        )
        indicator.targets = [(None, target) for target in item.targets]
        for target in item.targets:
            _refuse_closed(errors, item, None, target, locked)
        return indicator
    seen.add(row.pk)
    fields = {n: item.fields[n] for n in INDICATOR_FIELDS if item.fields[n] != getattr(row, n)}
    if item.owner.code != installed.codes[row.owner_id]:
        fields["owner"] = item.owner
    indicator.fields = fields
    indicator.moved = step.row is None or step.row.pk != row.goal_id
    new_categories = _categories_of(item)
    if new_categories != installed.indicator_categories.get(row.pk, []):
        indicator.categories = new_categories
    changed = list(fields) + (["categories"] if indicator.categories is not None else [])
    if changed:
        names = _field_names(Indicator, changed)
        plan.add(
            "indicator",
            "changed",
            _("Changed %(fields)s of the indicator “%(name)s”") % {"fields": names, "name": name},
        )
    if indicator.moved:
        plan.add(
            "indicator",
            "moved",
            _("The indicator “%(name)s” moves to “%(goal)s”") % {"name": name, "goal": goal_title},
        )
    decimals = item.fields["decimals"]
    old_targets = {t.from_year: t for t in installed.targets.get(row.pk, [])}
    for target in item.targets:
        old = old_targets.pop(target["from_year"], None)
        if old is not None and all(getattr(old, n) == target[n] for n in TARGET_FIELDS):
            continue
        _refuse_closed(errors, item, old, target, locked)
        indicator.targets.append((old, target))
        new_text = target_text(Target(**target), decimals, years=True)
        if old is None:
            plan.add(
                "target",
                "new",
                _("New target for “%(name)s”: %(target)s") % {"name": name, "target": new_text},
            )
        else:
            values = {"name": name, "old": target_text(old, decimals, years=True), "new": new_text}
            plan.add("target", "changed", _("Changed target for “%(name)s”: %(old)s → %(new)s") % values)
    for old in old_targets.values():
        span = span_text(old.from_year, old.to_year)
        if locked & set(range(old.from_year, old.to_year + 1)):
            continue  # a closed year's target is kept, whatever the file says
        indicator.targets.append((old, None))
        plan.add(
            "target", "deleted", _("Target for %(span)s of “%(name)s” removed") % {"span": span, "name": name}
        )
    return indicator


def _refuse_closed(errors, item, old, target, locked):
    new = Target(**target, change_reason="-", change_decision="-")
    for field_name, message in target_write_errors(old, new, locked):
        if field_name is None:
            errors.append(GoalFileError(item.path, f"{item.fields['name']}: {message}"))


def _plan_activities(plan, step, installed):
    existing = list(installed.activities.get(step.row.pk, [])) if step.row is not None else []
    title = step.plan.fields["title"]
    for item in step.plan.activities:
        name = " ".join(item.fields["title"].split()).lower()
        row = next((a for a in existing if " ".join(a.title.split()).lower() == name), None)
        if row is None:
            step.activities.append((item, None, {}))
            plan.add(
                "activity",
                "new",
                _("New activity: “%(title)s” on “%(goal)s”") % {"title": item.fields["title"], "goal": title},
            )
            continue
        existing.remove(row)
        fields = {n: item.fields[n] for n in ACTIVITY_FIELDS if item.fields[n] != getattr(row, n)}
        if item.owner.code != installed.codes[row.owner_id]:
            fields["owner"] = item.owner
        step.activities.append((item, row, fields))
        if fields:
            values = {"fields": _field_names(Activity, fields), "title": row.title}
            plan.add("activity", "changed", _("Changed %(fields)s of the activity “%(title)s”") % values)
    left = existing
    if left:
        follow = deletion.follow_up_of(left)
        for activity in left:
            if follow[activity]["rows"] or deletion.deletion_blockers(activity):
                plan.add(
                    "activity",
                    "kept",
                    _("The activity “%(title)s” stays: it has follow-up") % {"title": activity.title},
                )
            else:
                plan.left_out_activities.append(activity)
                plan.add(
                    "activity",
                    "deleted",
                    _("Activity deleted (no follow-up): “%(title)s”") % {"title": activity.title},
                )


def _follow_up_text(entry):
    count = entry["rows"]
    text = ngettext("%(count)d row of follow-up", "%(count)d rows of follow-up", count) % {"count": count}
    if entry["open"]:
        text += "; " + _("still in the open period %(periods)s") % {"periods": ", ".join(entry["open"])}
    return text


def _plan_left_out(plan, installed, matched, seen_indicators, errors):
    """The goals and indicators the file leaves out: ended with follow-up, deleted without; already ended
    ones stay as they are."""
    year = plan.from_year
    kept = {g.pk for g in matched.values()}
    ended_before = {pk for pk, g in installed.goals.items() if g.valid_to is not None and g.valid_to < year}
    left = [g for pk, g in installed.goals.items() if pk not in kept and pk not in ended_before]
    left_ids = {g.pk for g in left}
    follow = deletion.follow_up_of(left)
    children = {}
    for goal in left:
        children.setdefault(goal.parent_id, []).append(goal)
    # A goal is deleted with everything below it that the file also leaves out; it is ended when any of
    # that has follow-up, and so is each of those goals (the ones without any are deleted on their own).
    # Goals already ended below a left-out one keep their history too: their parent is ended, not deleted.
    ended_parents = {installed.goals[pk].parent_id for pk in ended_before}
    subtree_follow = {}

    def has_follow(goal):
        if goal.pk not in subtree_follow:
            below = children.get(goal.pk, [])
            subtree_follow[goal.pk] = (
                bool(follow[goal]["rows"]) or goal.pk in ended_parents or any(has_follow(c) for c in below)
            )
        return subtree_follow[goal.pk]

    def decide(goal):
        if has_follow(goal) or goal.parent_id is None:
            _end(plan, goal, year, follow[goal], errors)
            for child in children.get(goal.pk, []):
                decide(child)
        else:
            plan.left_out_goals.append((goal, "delete"))
            plan.add("goal", "deleted", _("Deleted (no follow-up): “%(title)s”") % {"title": goal.title})

    for goal in sorted(left, key=lambda g: (g.tree_id, g.lft)):
        if goal.parent_id not in left_ids:
            decide(goal)
    # Indicators the file leaves out of goals it keeps (those of a deleted goal go with it; those of an
    # ended goal stay on it).
    kept_goals = {step.row.pk for step in plan.goals if step.row is not None}
    indicators = [
        i for i in installed.indicators.values()
        if i.pk not in seen_indicators and i.goal_id in kept_goals
        and not (i.valid_to is not None and i.valid_to < year)
    ]  # fmt: skip
    follow = deletion.follow_up_of(indicators)
    for indicator in sorted(indicators, key=lambda i: (i.goal_id, i.position, i.pk)):
        entry = follow[indicator]
        if entry["rows"]:
            if indicator.valid_from is not None and indicator.valid_from >= year:
                message = _(
                    "the indicator “%(name)s” is left out but has follow-up and begins in %(first)d:"
                    " it cannot end before %(year)d"
                )
                errors.append(
                    GoalFileError(
                        "document",
                        message % {"name": indicator.name, "first": indicator.valid_from, "year": year},
                    )
                )
                continue
            plan.left_out_indicators.append((indicator, "end"))
            values = {"year": year - 1, "name": indicator.name, "what": _follow_up_text(entry)}
            plan.add("indicator", "ended", _("Indicator ends %(year)d: “%(name)s” (%(what)s)") % values)
        else:
            plan.left_out_indicators.append((indicator, "delete"))
            plan.add(
                "indicator",
                "deleted",
                _("Indicator deleted (no follow-up): “%(name)s”") % {"name": indicator.name},
            )


def _end(plan, goal, year, entry, errors):
    if goal.valid_from is not None and goal.valid_from >= year:
        message = _(
            "the goal “%(title)s” (%(key)s) is left out but has follow-up and begins in %(first)d: it cannot "
            "end before %(year)d; keep it in the file"
        )
        values = {"title": goal.title, "key": goal.key, "first": goal.valid_from, "year": year}
        errors.append(GoalFileError("document", message % values))
        return
    plan.left_out_goals.append((goal, "end"))
    values = {"year": year - 1, "title": goal.title, "what": _follow_up_text(entry)}
    plan.add("goal", "ended", _("Ends %(year)d: “%(title)s” (%(what)s)") % values)


# --- The readable list -----------------------------------------------------------------------------------

COUNT_LABELS = {
    "goal": lambda n: ngettext("%(count)d goal", "%(count)d goals", n),
    "indicator": lambda n: ngettext("%(count)d indicator", "%(count)d indicators", n),
    "target": lambda n: ngettext("%(count)d target", "%(count)d targets", n),
    "activity": lambda n: ngettext("%(count)d activity", "%(count)d activities", n),
}
KIND_LABELS = {
    "new": lambda: _("new"),
    "changed": lambda: _("changed"),
    "moved": lambda: _("moved"),
    "ended": lambda: _("ended"),
    "deleted": lambda: _("deleted"),
    "kept": lambda: _("kept with follow-up"),
}


def count_rows(plan):
    """[(label, "3 goals, 1 indicator")] per kind of change, for the preview's table."""
    rows = []
    for kind, label in KIND_LABELS.items():
        parts = [
            COUNT_LABELS[model](plan.counts[(model, kind)]) % {"count": plan.counts[(model, kind)]}
            for model in COUNT_LABELS
            if plan.counts[(model, kind)]
        ]
        if parts:
            rows.append((label(), ", ".join(parts)))
    return rows


def revision_text(plan):
    """The plan as text: a heading with the counts, then one line per change."""
    lines = [_("Revision of the goals from %(year)d") % {"year": plan.from_year}]
    if plan.sha256:
        lines.append(_("File SHA-256: %(sha)s") % {"sha": plan.sha256})
    if not plan.changes:
        lines.append(_("The file holds no changes."))
    for label, counts in count_rows(plan):
        lines.append(f"{label}: {counts}")
    unchanged = {"goals": plan.unchanged["goal"], "indicators": plan.unchanged["indicator"]}
    lines.append(_("Unchanged: %(goals)d goals, %(indicators)d indicators") % unchanged)
    lines.append("")
    lines += [f"- {text}" for _kind, text in plan.lines]
    return "\n".join(lines)


# --- Applying --------------------------------------------------------------------------------------------


def note_errors(reason, decision):
    """Messages refusing the reason or decision reference of a revision (both are needed)."""
    errors = []
    if not (reason or "").strip():
        errors.append(_("Say why the goals are revised."))
    elif len(reason) > COMMENT_MAX:
        errors.append(_("The reason is longer than %(max)d characters.") % {"max": COMMENT_MAX})
    if not (decision or "").strip():
        errors.append(_("Give the decision behind the revision, e.g. “KF § 112 2026-11-23”."))
    elif len(decision) > DECISION_MAX:
        errors.append(_("The decision reference is longer than %(max)d characters.") % {"max": DECISION_MAX})
    return errors


def apply_revision(plan, *, user=None, reason, decision):
    """Write `plan` in one locked transaction; return its counts. Refused (`RevisionRefused`) when the goals
    changed since the plan was made, or a write is refused; nothing is then written."""
    errors = note_errors(reason, decision)
    if errors:
        raise RevisionRefused("\n".join(errors))
    user = user if user is not None and user.is_authenticated else None
    try:
        with tree.locked_tree(), acting_as(user):
            # What was shown is what is written: planned again under the lock, it must be the same.
            fresh = plan_revision(plan.file_plan, plan.from_year, sha256=plan.sha256)
            if fresh.lines != plan.lines:
                raise RevisionRefused(_("The goals changed since this revision was planned; plan it again."))
            _write(fresh, user, reason.strip(), decision.strip())
            summary = _(
                "Revised the goals from %(year)d (%(decision)s): %(changes)d changes. Reason: %(reason)s. "
                "File SHA-256: %(sha)s"
            )
            values = {"year": plan.from_year, "decision": decision.strip(), "changes": fresh.changes,
                      "reason": reason.strip(), "sha": plan.sha256 or "—"}  # fmt: skip
            record_event("goal_tree.revise", summary % values, user=user)
    except GoalFileErrors as error:
        raise RevisionRefused(str(error)) from None
    except (ValidationError, deletion.DeletionRefused) as error:
        messages = error.messages if isinstance(error, ValidationError) else [str(r) for r in error.reasons]
        raise RevisionRefused(" ".join(messages)) from None
    return fresh.counts


def _write(plan, user, reason, decision):
    file_plan = plan.file_plan
    _upsert_organisations(file_plan.organisations, user)
    category_ids = _install_categories(file_plan, user)
    categories_by_id = Category.objects.in_bulk(list(category_ids.values()))
    organisations = {
        o.code: o for o in Organisation.objects.filter(code__in=[o.code for o in file_plan.organisations])
    }

    def chosen(names):
        return [categories_by_id[category_ids[name]] for name in names]

    rows = {}
    now = timezone.now()
    for step in plan.goals:
        goal_plan = step.plan
        parent = rows[id(step.parent)] if step.parent is not None else None
        owner = organisations[goal_plan.owner.code]
        if step.row is None:
            fields = {name: goal_plan.fields[name] for name in GOAL_FIELDS if name != "title"}
            if goal_plan.fields.get("key"):
                fields["key"] = goal_plan.fields["key"]
            rows[id(goal_plan)] = tree.create_goal(
                parent=parent, title=goal_plan.fields["title"], owner=owner, level_kind=goal_plan.level_kind,
                index=step.index, categories=chosen(_categories_of(goal_plan)), **fields,
            )  # fmt: skip
        else:
            row = step.row
            if step.moved:
                row = tree.move_goal(row, parent=parent, index=step.index)
            if step.fields or step.categories is not None:
                fields = {n: (owner if n == "owner" else v) for n, v in step.fields.items()}
                categories = chosen(step.categories) if step.categories is not None else None
                row = tree.update_goal(row, categories=categories, **fields)
            rows[id(goal_plan)] = row
        goal = rows[id(goal_plan)]
        for indicator in step.indicators:
            _write_indicator(indicator, goal, organisations, chosen, user, reason, decision, now)
        for position, (item, activity, fields) in enumerate(step.activities):
            if activity is None:
                activity = Activity(
                    goal=goal, owner=organisations[item.owner.code], position=position, **item.fields
                )
                activity.full_clean()
                activity.save()
            elif fields:
                for name, value in fields.items():
                    setattr(activity, name, organisations[value.code] if name == "owner" else value)
                activity.full_clean()
                activity.save()
    for activity in plan.left_out_activities:
        services.delete_activity(activity)
    for indicator, action in plan.left_out_indicators:
        if action == "end":
            indicator.valid_to = plan.from_year - 1
            indicator.save(update_fields=["valid_to"])
        else:
            services.delete_indicator(indicator)
    for goal, action in plan.left_out_goals:
        if action == "end":
            tree.update_goal(goal, valid_to=plan.from_year - 1)
        else:
            tree.delete_goal(goal)
    treecache.changed()


def _write_indicator(step, goal, organisations, chosen, user, reason, decision, now):
    item = step.plan
    owner = organisations[item.owner.code]
    if step.row is None:
        fields = {n: item.fields[n] for n in INDICATOR_FIELDS}
        if item.fields.get("key"):
            fields["key"] = item.fields["key"]
        row = Indicator(goal=goal, owner=owner, position=step.index, **fields)
        row.full_clean()
        row.save()
        category_links.link(row, chosen(_categories_of(item)))
    else:
        row = step.row
        if step.fields or step.moved:
            for name, value in step.fields.items():
                setattr(row, name, owner if name == "owner" else value)
            if step.moved:
                row.goal, row.position = goal, step.index
            row.full_clean()
            row.save()
        if step.categories is not None:
            category_links.link(row, chosen(step.categories))
    for old, new in step.targets:
        if old is None:
            target = Target(indicator=row, **new)
            target.full_clean()
            target.save()
        elif new is None:
            old.change_reason, old.change_decision, old.changed_at, old.changed_by = (
                reason,
                decision,
                now,
                user,
            )
            old.save()
            old.delete()
        else:
            for name, value in new.items():
                setattr(old, name, value)
            old.change_reason, old.change_decision, old.changed_at, old.changed_by = (
                reason,
                decision,
                now,
                user,
            )
            old.full_clean()
            old.save()
