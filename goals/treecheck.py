"""Verify the goal tree's invariants and describe each violation in words."""

from collections import defaultdict

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
        return f'goal {row[0]} "{row[7][:60]}"'

    model = styrmodell()
    problems = []
    for tree_id, members in sorted(trees.items()):
        roots = [r for r in members if r[1] is None]
        if len(roots) != 1:
            problems.append(
                f"tree {tree_id} has {len(roots)} roots (goals without a parent); it must have exactly one."
            )
        for root in roots:
            if root[3] != 1 or root[5] != 0:
                problems.append(
                    f"{name(root)} is the root of tree {tree_id} but has lft={root[3]}, level={root[5]} "
                    "(expected lft=1, level=0)."
                )
        numbers = sorted([r[3] for r in members] + [r[4] for r in members])
        if numbers != list(range(1, 2 * len(members) + 1)):
            problems.append(
                f"tree {tree_id}: its {len(members)} goals should use the numbers 1..{2 * len(members)} "
                "exactly once each as lft and rght, but they do not (gaps or duplicates)."
            )
        for row in members:
            if row[3] >= row[4]:
                problems.append(f"{name(row)} has lft={row[3]} not below rght={row[4]}.")

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
                problems.append(f"{name(row)} points to a missing parent {parent_id}.")
                continue
            if parent[2] != tree_id:
                problems.append(
                    f"{name(row)} is in tree {tree_id} but its parent {name(parent)} is in tree {parent[2]}."
                )
            elif not (parent[3] < lft and rght < parent[4]):
                problems.append(
                    f"{name(row)} (lft={lft}, rght={rght}) lies outside its parent {name(parent)} "
                    f"(lft={parent[3]}, rght={parent[4]})."
                )
            if level != parent[5] + 1:
                problems.append(f"{name(row)} has level {level}, but its parent has level {parent[5]}.")
            rule = model.get(level_kind)
            if rule is None or parent[6] not in rule.parents:
                problems.append(
                    f"{name(row)} is a {level_kind} goal under a {parent[6]} goal, out of the chain's order."
                )
        elif model.get(level_kind) is None or not model.get(level_kind).is_root:
            problems.append(f"{name(row)} is a {level_kind} goal without a parent goal.")
        counted = descendants(pk, {pk})
        if rght - lft - 1 != 2 * counted:
            problems.append(
                f"{name(row)} spans {(rght - lft - 1) / 2:g} descendants by lft/rght but has {counted} "
                "by its parent links."
            )
    return problems
