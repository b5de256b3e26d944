"""The one write path for the goal tree.

django-mptt keeps each goal's place in `lft`, `rght`, `tree_id` and `level`, and rewrites many rows on
every insert, move and delete from values it read earlier. Two such writes at once corrupt the tree, so
every creation, move and deletion of a goal runs here, inside `locked_tree()` — a goal file's bulk insert
too: a transaction holding a PostgreSQL advisory lock, or on SQLite an IMMEDIATE transaction (the
database's single writer lock). Inside the lock every node is read afresh before it is used. Deletions
ask the rules and guards of `goals.deletion` under the same lock.
"""

from collections import defaultdict
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Max
from mptt.models import MPTTModel

from . import categories as category_links
from . import deletion, keys, treecache
from .chain import styrmodell
from .models import GOAL_HISTORY, Goal

# Any constant shared by every process of the installation; it names the lock in pg_locks.
TREE_LOCK_KEY = 0x4E6F7261  # "Nora"

# Fields a plain edit may change; the tree fields are only ever written by django-mptt under the lock.
EDITABLE_FIELDS = ("title", "description", "owner", "decision", "valid_from", "valid_to", "is_financial")


@contextmanager
def locked_tree():
    """Run the block in a transaction that holds the goal tree's write lock."""
    with transaction.atomic():
        if settings.GOAL_TREE_LOCK and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TREE_LOCK_KEY])
        yield


@contextmanager
def batched():
    """Run many creations, moves and deletions of goals in one locked transaction, with django-mptt's tree
    fields (`lft`, `rght`, `level`, `tree_id`) computed once at the end from the parent links and the
    siblings' `position` (`rebuild_tree_fields`), instead of rewritten by every write (a revision's
    hundreds of changes). Inside the block the tree fields are stale: the writes here rely on `parent` and
    `position` only, and nothing inside may read the tree through them."""
    with locked_tree():
        if _in_batch():
            yield
            return
        with Goal.objects.disable_mptt_updates():
            yield
        rebuild_tree_fields()
        treecache.changed()


def _in_batch():
    return not Goal._mptt_updates_enabled


def rebuild_tree_fields():
    """Set every goal's tree fields from the parent links, children in `position` order and trees in their
    roots' order; write only the rows that differ, a thousand per query. Returns how many changed."""
    rows = list(Goal.objects.order_by().values_list("pk", "parent_id", "position", "tree_id", "lft"))
    children, roots = defaultdict(list), []
    for row in rows:
        (children[row[1]] if row[1] is not None else roots).append(row)
    for siblings in children.values():
        siblings.sort(key=lambda r: (r[2], r[4]))
    roots.sort(key=lambda r: (r[2], r[3] or float("inf")))
    tree_ids = [r[3] for r in roots]
    if 0 in tree_ids or any(a >= b for a, b in zip(tree_ids, tree_ids[1:], strict=False)):
        tree_ids = list(range(1, len(roots) + 1))  # a new or reordered top goal: number the trees afresh
    wanted = {}
    for root, tree_id in zip(roots, tree_ids, strict=True):
        counter = 0
        stack = [(root, 0, False)]
        while stack:
            row, level, done = stack.pop()
            if done:
                counter += 1
                wanted[row[0]][1] = counter
                continue
            counter += 1
            wanted[row[0]] = [counter, None, level, tree_id]
            stack.append((row, level, True))
            stack += [(child, level + 1, False) for child in reversed(children[row[0]])]
    current = Goal.objects.order_by().values_list("pk", "lft", "rght", "level", "tree_id")
    changed = [(pk, *wanted[pk]) for pk, *fields in current if list(fields) != wanted[pk]]
    for start in range(0, len(changed), 1000):
        _write_tree_fields(changed[start : start + 1000])
    return len(changed)


def _write_tree_fields(rows):
    """One UPDATE … FROM (VALUES …) setting (pk, lft, rght, level, tree_id) of `rows`."""
    opts = Goal._meta
    quote = connection.ops.quote_name
    table = quote(opts.db_table)
    columns = [quote(opts.get_field(name).column) for name in ("lft", "rght", "level", "tree_id")]
    pk = quote(opts.pk.column)
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
    if connection.vendor == "postgresql":
        names = ["id", "lft", "rght", "level", "tree_id"]
        source = f"(VALUES {values}) AS v ({', '.join(names)})"
    else:  # SQLite names a VALUES list's columns column1, column2, …
        names = [f"column{i}" for i in range(1, 6)]
        source = f"(VALUES {values}) AS v"
    assignments = ", ".join(f"{column} = v.{name}" for column, name in zip(columns, names[1:], strict=True))
    sql = f"UPDATE {table} SET {assignments} FROM {source} WHERE {table}.{pk} = v.{names[0]}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])


def _is_below(node, goal):
    """True when `node` is `goal` or one of its descendants, by the parent links (right inside `batched`)."""
    if not _in_batch():
        return node.pk == goal.pk or node.is_descendant_of(goal)
    pk = node.pk
    while pk is not None:
        if pk == goal.pk:
            return True
        pk = Goal.objects.filter(pk=pk).values_list("parent_id", flat=True).first()
    return False


@contextmanager
def _history_paused(goal):
    """Let saves and category changes of `goal` inside the block write no history row of their own."""
    goal.skip_history_when_saving = True
    try:
        yield
    finally:
        del goal.skip_history_when_saving


def _fresh(goal):
    return Goal.objects.select_related("owner", "parent__owner").get(pk=goal.pk) if goal is not None else None


def _siblings(parent, exclude=None):
    siblings = (
        Goal.objects.filter(parent=parent) if parent is not None else Goal.objects.filter(parent__isnull=True)
    )
    return siblings.exclude(pk=exclude.pk) if exclude is not None else siblings


def _make_room(parent, index, exclude=None):
    """Return the position for a node placed at `index` among `parent`'s children, shifting the later ones."""
    siblings = _siblings(parent, exclude)
    count = siblings.count()
    if index is None or index >= count:
        last = siblings.aggregate(last=Max("position"))["last"]
        return 0 if last is None else last + 1
    index = max(index, 0)
    ordered = list(siblings.order_by("position", "lft").values_list("pk", "position"))
    # Renumber densely first so that positions are unique, then open a gap at `index`.
    _set_positions(
        {pk: number if number < index else number + 1 for number, (pk, _position) in enumerate(ordered)},
        dict(ordered),
    )
    return index


def create_goal(*, parent, title, owner, level_kind=None, index=None, categories=(), **fields):
    """Create a goal under `parent` (None for a top goal), last among its siblings or at `index`.

    `level_kind` is a level's key; without it, the one level the styrmodell allows under `parent`.
    `categories` are Category rows in the goal's own order.
    """
    with locked_tree():
        parent = _fresh(parent)
        model = styrmodell()  # read first: an installation without levels gets the default ones here
        if level_kind is None:
            if parent is None:
                raise ValidationError({"parent": "A goal without a level needs a parent goal."})
            below = model.children_of(parent.level_kind_id)
            if len(below) != 1:
                raise ValidationError(
                    {"level_kind": "Name the level: the styrmodell allows none or several here."}
                )
            level_kind = below[0].key
        level_kind = getattr(level_kind, "key", level_kind)
        goal = Goal(parent=parent, title=title, owner=owner, level_kind_id=level_kind, **fields)
        goal.full_clean(exclude=["position", "lft", "rght", "tree_id", "level"])
        goal.position = _make_room(parent, index)
        # One history row for the new goal, written once its categories are in place.
        with _history_paused(goal):
            goal.save()
            if categories:
                category_links.link(goal, categories)
        GOAL_HISTORY.create_historical_record(goal, "+")
        treecache.changed()
        return goal


def update_goal(goal, *, categories=None, **fields):
    """Change a goal's own fields (not its place in the tree); `categories` (in order) when given."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"update_goal cannot change {', '.join(sorted(unknown))}; use move_goal")
    with locked_tree():
        fresh = _fresh(goal)
        shown_before = _shown_on_tree(fresh, categories is not None)
        for name, value in fields.items():
            setattr(fresh, name, value)
        fresh.full_clean(exclude=["position", "lft", "rght", "tree_id", "level"])
        # One history row per edit: the fields and the categories are recorded together.
        with _history_paused(fresh):
            if fields:
                fresh.save(update_fields=list(fields))
            if categories is not None:
                category_links.link(fresh, categories)
        if fields or categories is not None:
            GOAL_HISTORY.create_historical_record(fresh, "~")
            # A new description or decision leaves the tree page as it was: its cache stays valid.
            if _shown_on_tree(fresh, categories is not None) != shown_before:
                treecache.changed()
        return fresh


def _shown_on_tree(goal, with_categories):
    """What the tree page shows of a goal's own fields: its title, owner, validity years (the tree of a
    year shows the goals valid in it) and (when asked) categories."""
    links = goal.goalcategory_set.order_by("position", "pk") if with_categories else None
    category_ids = list(links.values_list("category_id", flat=True)) if with_categories else None
    return goal.title, goal.owner_id, goal.valid_from, goal.valid_to, category_ids


def move_goal(goal, *, parent, index=None):
    """Move `goal` (with its subtree) under `parent`, last among the children or at `index`."""
    with locked_tree():
        goal = _fresh(goal)
        parent = _fresh(parent)
        if parent is not None and _is_below(parent, goal):
            raise ValidationError(
                {"parent": "A goal cannot be moved under itself or one of its own sub-goals."}
            )
        goal.parent = parent
        goal.full_clean(exclude=["position", "lft", "rght", "tree_id", "level"])
        old_parent_id = goal._mptt_cached_fields["parent"]
        goal.position = _make_room(parent, index, exclude=goal)
        goal.save()
        if old_parent_id != (parent.pk if parent else None):
            _renumber(Goal.objects.filter(pk=old_parent_id).first() if old_parent_id else None)
        treecache.changed()
        return goal


def delete_goal(goal):
    """Delete `goal` with all below it, unless a rule or a guard refuses; return how many goals went."""
    with locked_tree():
        # The guards run in the same locked transaction as the deletion, so what they allowed still holds.
        goal = _fresh(goal)
        deletion.refuse_if_blocked(goal)
        return _delete_subtree(goal)


def _delete_subtree(goal):
    parent = goal.parent
    # Inside a batch the tree fields wait for the rebuild: django-mptt's closing of the gap is skipped.
    delete = super(MPTTModel, goal).delete if _in_batch() else goal.delete
    _total, deleted = delete()
    _renumber(parent)
    treecache.changed()
    return deleted.get(Goal._meta.label, 1)


def delete_whole_chain():
    """Delete every goal (an import replacing the chain), refused while follow-up hangs on it; count them."""
    with locked_tree():
        collector = deletion.whole_chain_collector()
        count = len(collector.model_objs.get(Goal, ()))
        if count:
            collector.delete()
            treecache.changed()
        return count


def bulk_create_tree(root):
    """Insert a tree in bulk from `root`, a pair (unsaved goal, such pairs below it); return its goals."""
    # One depth-first pass numbers every goal (`tree_id` one past the highest, `lft`, `rght`, `level`,
    # `position`); then the goals go in level by level, parents first, so that each child takes its
    # parent's new key: one query per level of the chain, however many goals. Goals without a stable key
    # get theirs from their ids. Saves are bypassed, so the history rows are the caller's to write.
    with locked_tree():
        tree_id = (Goal.objects.aggregate(last=Max("tree_id"))["last"] or 0) + 1
        by_depth = defaultdict(list)
        counter = 0

        def visit(node, parent, depth, position):
            nonlocal counter
            goal, below = node
            counter += 1
            goal.parent, goal.position, goal.level = parent, position, depth
            goal.tree_id, goal.lft = tree_id, counter
            by_depth[depth].append(goal)
            for index, child in enumerate(below):
                visit(child, goal, depth + 1, index)
            counter += 1
            goal.rght = counter

        visit(root, None, 0, 0)
        goals = []
        for depth in sorted(by_depth):
            level = by_depth[depth]
            for goal in level:
                goal.parent_id = goal.parent.pk if goal.parent is not None else None
            Goal.objects.bulk_create(level)
            goals.extend(level)
        keys.fill_missing(Goal, goals)
        treecache.changed()
        return goals


def _renumber(parent):
    # By position first: it is the siblings' order (django-mptt keeps `lft` in step with it, except inside
    # `batched`, where `lft` waits for the rebuild).
    ordered = list(_siblings(parent).order_by("position", "lft").values_list("pk", "position"))
    _set_positions({pk: number for number, (pk, _position) in enumerate(ordered)}, dict(ordered))


def _set_positions(wanted, current):
    """Give each goal {pk: position} of `wanted` its position, with one UPDATE per shift among those whose
    position (`current`) differs: closing or opening a gap among hundreds of siblings is one query, not
    hundreds. `position` is the goals' own order among siblings, not one of django-mptt's tree fields."""
    by_shift = defaultdict(list)
    for pk, number in wanted.items():
        if current.get(pk) != number:
            by_shift[number - current[pk]].append(pk)
    for shift, pks in sorted(by_shift.items()):
        Goal.objects.filter(pk__in=pks).update(position=F("position") + shift)
