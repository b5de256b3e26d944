"""Turn the goals, in tree order, into flat rows that a template renders as nested lists in one loop.

Each row says how many open child lists to close before it (`closes`) and whether it opens a child list
of its own (`opens`). The template writes, per row, `</ul></details></li>` once for each of `closes`,
then `<li>` with the goal, then either `<details open><summary>…</summary><ul>` (when `opens`; marked to
fold on a phone at and below the styrmodell's headline level, `folds_on_phone`) or `</li>`; after the
loop it closes `closes_at_end` lists. One flat loop is several times faster than django-mptt's recursive
`{% recursetree %}` on a large tree.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.urls import reverse
from django.utils.translation import ngettext

from .chain import styrmodell

# The columns of a goal that the tree shows or nests by, in `TreeGoal`'s order (for `values_list`).
GOAL_COLUMNS = ("pk", "parent_id", "level", "level_kind_id", "title", "owner__code", "owner__name")


class TreeGoal(NamedTuple):
    """What the tree needs of a goal: a plain row, not a model instance (thousands of them are read)."""

    pk: int
    parent_id: int | None
    level: int  # django-mptt's depth
    level_kind_id: str
    title: str
    owner_code: str
    owner_name: str


class Row(NamedTuple):
    """One goal as the tree page shows it."""

    pk: int
    url: str
    title: str
    level: str
    level_label: str
    owner_code: str
    owner_name: str
    indicator_count: int
    indicator_label: str
    categories: tuple  # "Set: Category", in the goal's own order
    child_count: int
    child_label: str
    matches: bool
    closes: range
    opens: bool
    folds_on_phone: bool  # its child list starts folded on a phone: it sits at or below the headline level
    status: object = None  # the latest judgement the viewer may see (goals.standing), or None


@dataclass(frozen=True, slots=True)
class TreeView:
    """The rows of the tree page, with what the page says about the filter."""

    rows: list
    closes_at_end: range
    filtered: bool
    match_count: int
    total: int


def build_tree(goals, category_links, indicator_counts, *, category_id=None, board_code=None, statuses=None):
    """Filter and nest `goals` (`TreeGoal`s in tree order) into a `TreeView`.

    `category_links` are (goal id, category id, set name, category name) rows of the categories shown,
    in each goal's own order; `indicator_counts` maps goal id to its number of indicators. A goal matches
    the category filter when it or a goal above it carries the category (board goals break down their KF
    goal), and
    the board filter when it or a goal above it is owned by the board. The page shows the matches and
    their ancestors, so that every match is seen in its place in the chain. `statuses` maps goal id to the
    status shown beside it.
    """
    statuses = statuses or {}
    goals = _whole_chains(goals)
    goal_categories = defaultdict(list)
    for goal_id, _category, set_name, name in category_links:
        goal_categories[goal_id].append(f"{set_name}: {name}")

    scopes = []
    if category_id is not None:
        scopes.append(_with_descendants(goals, {g for g, c, *_names in category_links if c == category_id}))
    if board_code is not None:
        scopes.append(_with_descendants(goals, {g.pk for g in goals if g.owner_code == board_code}))
    filtered = bool(scopes)
    matches = set.intersection(*scopes) if scopes else {g.pk for g in goals}
    if filtered:
        shown = _with_ancestors(goals, matches)
        visible = [g for g in goals if g.pk in shown]
    else:
        visible = goals

    model = styrmodell()
    headline = model.headline
    folding = {rule.key for rule in model if headline is None or rule.position >= headline.position}
    # reverse() once, not per row: on thousands of rows it is a noticeable share of the page's time.
    url_pattern = reverse("goals:detail", args=[987654321]).replace("987654321", "{}")
    child_counts = Counter(g.parent_id for g in visible)
    # Worded once per number and level, not once per row: thousands of rows share a few dozen of each.
    indicator_labels, child_labels, level_labels = {}, {}, {}
    rows = []
    for goal, closes, opens in _nest(visible):
        pk, level = goal.pk, goal.level_kind_id
        count = indicator_counts.get(pk, 0)
        children = child_counts.get(pk, 0)
        if count not in indicator_labels:
            indicator_labels[count] = _indicator_label(count)
        if children not in child_labels:
            child_labels[children] = _child_label(children)
        if level not in level_labels:
            level_labels[level] = model.name(level)
        rows.append(
            Row(
                pk,
                url_pattern.format(pk),
                goal.title,
                level,
                level_labels[level],
                goal.owner_code,
                goal.owner_name,
                count,
                indicator_labels[count],
                tuple(goal_categories.get(pk, ())),
                children,
                child_labels[children],
                pk in matches,
                range(closes),
                opens,
                opens and level in folding,
                statuses.get(pk),
            )
        )
    open_lists = sum(1 for row in rows if row.opens) - sum(len(row.closes) for row in rows)
    return TreeView(
        rows=rows,
        closes_at_end=range(open_lists),
        filtered=filtered,
        match_count=len(matches),
        total=len(goals),
    )


def _whole_chains(goals):
    """The goals whose parent is among them too (or that have none): a goal whose parent is left out (not
    valid in the year shown) is left out with its sub-goals, so that no goal shows under another's."""
    kept = set()
    whole = []
    for goal in goals:
        if goal.parent_id is None or goal.parent_id in kept:
            kept.add(goal.pk)
            whole.append(goal)
    return whole


def _with_descendants(goals, ids):
    """`ids` and every goal below one of them; `goals` come in tree order, so parents come first."""
    found = set(ids)
    for goal in goals:
        if goal.parent_id in found:
            found.add(goal.pk)
    return found


def _with_ancestors(goals, ids):
    """`ids` and every goal above one of them."""
    parent_of = {g.pk: g.parent_id for g in goals}
    found = set()
    for pk in ids:
        while pk is not None and pk not in found:
            found.add(pk)
            pk = parent_of.get(pk)
    return found


def _nest(goals):
    """Yield (goal, lists to close before it, whether it opens a child list) for goals in tree order."""
    open_lists = 0
    for index, goal in enumerate(goals):
        # Clamp the depth so that the HTML stays well formed even if a goal's stored level is wrong.
        depth = min(goal.level, open_lists)
        following = goals[index + 1] if index + 1 < len(goals) else None
        opens = following is not None and following.level > depth
        yield goal, open_lists - depth, opens
        open_lists = depth + 1 if opens else depth


def _indicator_label(count):
    return ngettext("%(count)d indicator", "%(count)d indicators", count) % {"count": count}


def _child_label(count):
    return ngettext("%(count)d sub-goal", "%(count)d sub-goals", count) % {"count": count}
