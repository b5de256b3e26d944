"""Matching a goal file's goals with the installation's: by stable key, else by level + owner + title."""

from django.utils.translation import gettext as _

from ..format import GoalFileError


def _triple(level, owner_code, title):
    return level, owner_code, " ".join(title.split()).lower()


def match_goals(file_plan, installed, errors):
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
