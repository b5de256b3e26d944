"""Planning a revision: what the file changes, goal by goal, and what it leaves out (ended or deleted)."""

from django.utils.translation import gettext as _

from goals import deletion
from goals.models import Activity, Goal, Indicator, Target
from goals.targets import locked_years, span_text, target_text, target_write_errors

from ..format import MAX_ERRORS, GoalFileError, GoalFileErrors
from ..importing import _categories_of
from .describing import follow_up_text
from .matching import match_goals
from .plan import (
    ACTIVITY_FIELDS,
    GOAL_FIELDS,
    INDICATOR_FIELDS,
    TARGET_FIELDS,
    GoalStep,
    IndicatorStep,
    Installed,
    RevisionPlan,
)

# --- Planning --------------------------------------------------------------------------------------------


def plan_revision(file_plan, from_year, *, sha256=""):
    """Match a checked file (`goalfile.read`'s plan) with the installation; return the RevisionPlan.

    A file that cannot be applied as a revision (ambiguous matches, a changed level, a closed year's
    target changed) is refused with every problem at once (`GoalFileErrors`)."""
    installed = Installed()
    plan = RevisionPlan(file_plan=file_plan, from_year=from_year, sha256=sha256)
    errors = []
    matched = match_goals(file_plan, installed, errors)
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
            values = {"year": year - 1, "name": indicator.name, "what": follow_up_text(entry)}
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
    values = {"year": year - 1, "title": goal.title, "what": follow_up_text(entry)}
    plan.add("goal", "ended", _("Ends %(year)d: “%(title)s” (%(what)s)") % values)
