"""Turn the goals, in tree order, into flat rows that are written out as nested lists in one loop.

Each row says how many open child lists to close before it (`closes`) and whether it opens a child list
of its own (`opens`). `goals.treerows` writes, per row, `</ul></details></li>` once for each of `closes`,
then `<li>` with the goal, then either `<details open><summary>…</summary><ul>` (when `opens`; marked to
fold on a phone at and below the styrmodell's headline level, `folds_on_phone`) or `</li>`; after the
loop it closes `closes_at_end` lists. One flat loop is several times faster than django-mptt's recursive
`{% recursetree %}` on a large tree. The goals come as plain rows (`TreeGoal`), not model instances:
thousands of them are read for every rendering.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connections
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
    """One goal as the tree page shows it. The fields up to `SHOWN` are what its row's HTML shows besides
    its status (goals.treerows keeps each row's HTML under them)."""

    url: str
    title: str
    level: str
    level_label: str
    owner_code: str
    owner_name: str
    indicator_label: str
    categories: tuple  # "Set: Category", in the goal's own order
    child_label: str
    opens: bool
    folds_on_phone: bool  # its child list starts folded on a phone: it sits at or below the headline level
    matches: bool
    pk: int
    indicator_count: int
    child_count: int
    closes: int  # how many open child lists end before it
    status: object = None  # the latest judgement the viewer may see (goals.standing), or None


SHOWN = Row._fields.index("matches") + 1


def plain_rows(queryset):
    """The rows of a `values_list` queryset as the database driver returns them: tuples, without Django's
    conversion of each value, which costs more than the query on thousands of goals. For columns whose
    raw values are already what the caller needs (numbers, text, None); a boolean may come as 0 or 1."""
    try:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def goals_of_year(rows):
    """(`TreeGoal`s, years named) from `rows` of (*GOAL_COLUMNS, valid_from, valid_to, in force: true or
    false, or 1 or 0), in tree
    order: the goals in force in the year asked for whose parent is shown too (a goal under one that is
    not in force is left out with its sub-goals, so that no goal shows under another's), and the years
    that any goal's validity names."""
    kept, goals, named = set(), [], set()
    for *columns, valid_from, valid_to, in_force in rows:
        named.add(valid_from)
        named.add(valid_to)
        if in_force and (columns[1] is None or columns[1] in kept):
            kept.add(columns[0])
            goals.append(TreeGoal(*columns))
    named.discard(None)
    return goals, named


@dataclass(frozen=True, slots=True)
class TreeView:
    """The rows of the tree page, with what the page says about the filter."""

    rows: list
    closes_at_end: int
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
    no_categories = ()
    rows = []
    open_lists = 0
    following = [*visible[1:], None] if visible else []
    for goal, after in zip(visible, following, strict=True):
        pk, level = goal.pk, goal.level_kind_id
        # Nest: clamp the depth so that the HTML stays well formed even if a goal's stored level is wrong.
        depth = min(goal.level, open_lists)
        opens = after is not None and after.level > depth
        closes = open_lists - depth
        open_lists = depth + 1 if opens else depth
        count = indicator_counts.get(pk, 0)
        children = child_counts.get(pk, 0)
        if count not in indicator_labels:
            indicator_labels[count] = _indicator_label(count)
        if children not in child_labels:
            child_labels[children] = _child_label(children)
        if level not in level_labels:
            level_labels[level] = model.name(level)
        categories = goal_categories.get(pk)
        rows.append(
            Row(
                url_pattern.format(pk),
                goal.title,
                level,
                level_labels[level],
                goal.owner_code,
                goal.owner_name,
                indicator_labels[count],
                tuple(categories) if categories else no_categories,
                child_labels[children],
                opens,
                opens and level in folding,
                pk in matches,
                pk,
                count,
                children,
                closes,
                statuses.get(pk),
            )
        )
    return TreeView(
        rows=rows,
        closes_at_end=open_lists,
        filtered=filtered,
        match_count=len(matches),
        total=len(goals),
    )


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


def _indicator_label(count):
    return ngettext("%(count)d indicator", "%(count)d indicators", count) % {"count": count}


def _child_label(count):
    return ngettext("%(count)d sub-goal", "%(count)d sub-goals", count) % {"count": count}
