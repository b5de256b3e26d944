"""Verify the goal tree's invariants and describe each violation in words."""

from collections import defaultdict

from django.utils.translation import gettext as _

from .chain import styrmodell
from .models import Goal


def tree_violations():
    """Return a list of sentences, one per broken invariant; an empty list means the tree is sound."""
    rows = list(
        Goal.objects.values_list("pk", "parent_id", "tree_id", "lft", "rght", "level", "level_kind", "title")
    )
    nodes = {r[0]: r for r in rows}
    children = defaultdict(list)
    trees = defaultdict(list)
    for row in rows:
        trees[row[2]].append(row)
        if row[1] is not None:
            children[row[1]].append(row[0])

    def name(row):
        return _("goal %(id)s “%(title)s”") % {"id": row[0], "title": row[7][:60]}

    model = styrmodell()
    problems = []
    for tree_id, members in sorted(trees.items()):
        roots = [r for r in members if r[1] is None]
        if len(roots) != 1:
            problems.append(
                _("tree %(tree)s has %(count)s roots (goals without a parent); it must have exactly one.")
                % {"tree": tree_id, "count": len(roots)}
            )
        for root in roots:
            if root[3] != 1 or root[5] != 0:
                problems.append(
                    _(
                        "%(goal)s is the root of tree %(tree)s but has lft=%(lft)s, level=%(level)s "
                        "(expected lft=1, level=0)."
                    )
                    % {"goal": name(root), "tree": tree_id, "lft": root[3], "level": root[5]}
                )
        numbers = sorted([r[3] for r in members] + [r[4] for r in members])
        if numbers != list(range(1, 2 * len(members) + 1)):
            problems.append(
                _(
                    "tree %(tree)s: its %(count)s goals should use the numbers 1..%(last)s exactly once each "
                    "as lft and rght, but they do not (gaps or duplicates)."
                )
                % {"tree": tree_id, "count": len(members), "last": 2 * len(members)}
            )
        for row in members:
            if row[3] >= row[4]:
                problems.append(
                    _("%(goal)s has lft=%(lft)s not below rght=%(rght)s.")
                    % {"goal": name(row), "lft": row[3], "rght": row[4]}
                )

    def descendants(pk, seen):
        total = 0
        for child in children.get(pk, ()):
            if child in seen:
                continue
            seen.add(child)
            total += 1 + descendants(child, seen)
        return total

    for row in rows:
        pk, parent_id, tree_id, lft, rght, level, level_kind, _title = row
        if parent_id is not None:
            parent = nodes.get(parent_id)
            if parent is None:
                problems.append(
                    _("%(goal)s points to a missing parent %(parent)s.")
                    % {"goal": name(row), "parent": parent_id}
                )
                continue
            if parent[2] != tree_id:
                problems.append(
                    _("%(goal)s is in tree %(tree)s but its parent %(parent)s is in tree %(parent_tree)s.")
                    % {"goal": name(row), "tree": tree_id, "parent": name(parent), "parent_tree": parent[2]}
                )
            elif not (parent[3] < lft and rght < parent[4]):
                problems.append(
                    _(
                        "%(goal)s (lft=%(lft)s, rght=%(rght)s) lies outside its parent %(parent)s "
                        "(lft=%(parent_lft)s, rght=%(parent_rght)s)."
                    )
                    % {
                        "goal": name(row),
                        "lft": lft,
                        "rght": rght,
                        "parent": name(parent),
                        "parent_lft": parent[3],
                        "parent_rght": parent[4],
                    }
                )
            if level != parent[5] + 1:
                problems.append(
                    _("%(goal)s has level %(level)s, but its parent has level %(parent_level)s.")
                    % {"goal": name(row), "level": level, "parent_level": parent[5]}
                )
            rule = model.get(level_kind)
            if rule is None or parent[6] not in rule.parents:
                problems.append(
                    _("%(goal)s is a %(kind)s goal under a %(parent_kind)s goal, out of the chain's order.")
                    % {
                        "goal": name(row),
                        "kind": model.name(level_kind),
                        "parent_kind": model.name(parent[6]),
                    }
                )
        elif model.get(level_kind) is None or not model.get(level_kind).is_root:
            problems.append(
                _("%(goal)s is a %(kind)s goal without a parent goal.")
                % {"goal": name(row), "kind": model.name(level_kind)}
            )
        counted = descendants(pk, {pk})
        if rght - lft - 1 != 2 * counted:
            problems.append(
                _("%(goal)s spans %(span)s descendants by lft/rght but has %(count)s by its parent links.")
                % {"goal": name(row), "span": f"{(rght - lft - 1) / 2:g}", "count": counted}
            )
    return problems
