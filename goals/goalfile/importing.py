"""Importing a checked goal document in bulk, in one transaction under the goal tree's lock.

The goals are numbered and inserted by `goals.tree.bulk_create_tree`; replacing an existing chain goes
through `goals.tree.delete_whole_chain`, which refuses while follow-up hangs on it.
"""

from django.core.exceptions import ValidationError
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from accounts.models import record_event
from goals import assignments, categories, deletion, keys, styrmodell, tree
from goals.history import category_history_model
from goals.models import (
    Activity,
    Category,
    CategorySet,
    Goal,
    GoalCategory,
    Indicator,
    IndicatorCategory,
    Organisation,
    Target,
)
from goals.targets import locked_years, target_write_errors

from . import categories as file_categories
from .reading import GoalPlan, validate


class ImportRefused(Exception):
    """The database is not in a state the import may write into."""


def import_plan(plan, *, replace=False, user=None):
    """Write a checked plan in one locked transaction; return how many rows of each kind it wrote."""
    with tree.locked_tree():
        existing = Goal.objects.count()
        if existing and not replace:
            raise ImportRefused(
                _(
                    "The database already has a goal tree (%(count)d goals); import into an empty database, "
                    "or use --replace"
                )
                % {"count": existing}
            )
        if existing:
            try:
                tree.delete_whole_chain()
            except deletion.DeletionRefused as refused:
                raise ImportRefused(" ".join(str(reason) for reason in refused.reasons)) from None
            except (ProtectedError, RestrictedError) as error:
                raise ImportRefused(
                    _("The existing goals cannot be replaced: other records still refer to them (%(error)s).")
                    % {"error": error.args[0]}
                ) from None
        user = user if user is not None and user.is_authenticated else None
        if plan.levels is not None:
            # A version 2 file brings its styrmodell; no goal is left here to hold to the old one.
            try:
                styrmodell.install_levels(plan.levels, user=user)
            except ValidationError as error:
                raise ImportRefused(" ".join(error.messages)) from None
        _upsert_organisations(plan.organisations, user)
        category_ids = _install_categories(plan, user)
        goals = [pair for root in plan.roots for pair in _insert_goals(root, category_ids, user)]
        counts = _insert_items(goals, category_ids, user)
        counts["assignments"] = _insert_assignments(plan, goals)
        summary = _("Imported a goal tree of %(goals)d goals, replacing %(old)d.")
        record_event("goal_tree.import", summary % {"goals": len(goals), "old": existing}, user=user)
    return {
        "goals": len(goals),
        **counts,
        "organisations": len(plan.organisations),
        "perspectives": len(plan.perspectives),
    }


def import_document(doc, *, replace=False, user=None):
    """Check a parsed document, then import it (see `import_plan`)."""
    return import_plan(validate(doc), replace=replace, user=user)


def _write_history(model, rows, user, *, update=False):
    """One history row per row a bulk write created or changed (bulk writes bypass save() and its signals)."""
    if rows:
        model.history.bulk_history_create(rows, update=update, default_user=user)


def _upsert_organisations(organisations, user):
    rows = {o.code: o for o in Organisation.objects.filter(code__in=[o.code for o in organisations])}
    before = {code: (row.name, row.kind, row.parent_id, row.position) for code, row in rows.items()}
    new = [Organisation(code=o.code, name=o.name, kind=o.kind) for o in organisations if o.code not in rows]
    rows.update((row.code, row) for row in Organisation.objects.bulk_create(new))
    for org in organisations:
        row = rows[org.code]
        row.name, row.kind, row.position = org.name, org.kind, org.position
        row.parent_id = rows[org.parent.code].pk if org.parent else None
        org.db_id = row.pk
    if rows:
        Organisation.objects.bulk_update(list(rows.values()), ["name", "kind", "parent", "position"])
    # New rows are recorded as created in their final state; existing ones only when the file changed them.
    _write_history(Organisation, new, user)
    changed = [
        row
        for code, row in rows.items()
        if code in before and before[code] != (row.name, row.kind, row.parent_id, row.position)
    ]
    _write_history(Organisation, changed, user, update=True)


def _perspectives_as_set(perspectives):
    """Version 1's perspectives as `install_sets` data for the set "perspektiv": the set keeps its name,
    and categories already there keep their validity years (version 1 has no place for them)."""
    category_set = CategorySet.objects.filter(key=categories.PERSPECTIVE_SET).first()
    years = {
        c.name.lower(): (c.valid_from, c.valid_to)
        for c in Category.objects.filter(set__key=categories.PERSPECTIVE_SET)
    }
    entries = []
    for name, description in perspectives:
        first, last = years.get(name.strip().lower(), (None, None))
        entries.append({"name": name, "description": description, "valid_from": first, "valid_to": last})
    name = category_set.name if category_set else categories.PERSPECTIVE_SET_NAME
    return [{"key": categories.PERSPECTIVE_SET, "name": name, "categories": entries}]


def _install_categories(plan, user):
    """{(set key, lower-case name): category id}: version 2's sets installed through `goals.categories`,
    version 1's perspectives as the set "perspektiv"."""
    data = plan.category_sets
    if data is None:
        data = _perspectives_as_set(plan.perspectives) if plan.perspectives else []
    try:
        categories.install_sets(data, user=user)
    except ValidationError as error:
        raise ImportRefused(" ".join(error.messages)) from None
    return file_categories.category_ids()


def _categories_of(plan):
    """A goal's or an indicator's plan as [(set key, lower-case name)] in its order."""
    if isinstance(plan, GoalPlan) and plan.perspectives:
        return [(categories.PERSPECTIVE_SET, name.strip().lower()) for name in plan.perspectives]
    return [(key, name.strip().lower()) for key, names in plan.categories.items() for name in names]


def _insert_assignments(plan, goals):
    """The file's assignments through `goals.assignments` (on their goals, then those on none); the
    import itself is the permission, as for every other row it writes."""
    made = 0
    try:
        for goal_plan, row in goals:
            if goal_plan.assignments:
                made += len(assignments.create_from_data(row, goal_plan.assignments))
        if plan.assignments:
            made += len(assignments.create_from_data(None, plan.assignments))
    except ValidationError as error:
        raise ImportRefused(" ".join(error.messages)) from None
    return made


def _insert_goals(root, category_ids, user):
    """Insert the plan's goals through the tree service; return (plan, row) pairs, parents first."""

    def node(plan):
        row = Goal(level_kind_id=plan.level_kind, owner_id=plan.owner.db_id, **plan.fields)
        plans[id(row)] = plan
        return row, [node(child) for child in plan.children]

    plans = {}
    goals = [(plans[id(row)], row) for row in tree.bulk_create_tree(node(root))]
    # The goal's categories in the file's order (version 1's perspectives: the set "perspektiv").
    links = GoalCategory.objects.bulk_create(
        GoalCategory(goal_id=row.pk, category_id=category_ids[name], position=position)
        for plan, row in goals
        for position, name in enumerate(_categories_of(plan))
    )
    history = Goal.history.bulk_history_create([row for _plan, row in goals], default_user=user)
    # Each history row keeps its own copy of the goal's categories, as a web edit would write it.
    history_of = {row.pk: record.pk for (_plan, row), record in zip(goals, history, strict=True)}
    kept = category_history_model()
    kept.objects.bulk_create(
        kept(
            id=link.pk,
            history_id=history_of[link.goal_id],
            goal_id=link.goal_id,
            category_id=link.category_id,
            position=link.position,
        )
        for link in links
    )
    return goals


def _refuse_closed_years(indicators):
    """The file's targets meet the rule every path meets (`goals.targets.target_write_errors`): none for a
    year whose annual report is closed. Every refused target is named."""
    locked = locked_years()
    if not locked:
        return
    messages = [
        f"{item.fields['name']}: {message}"
        for item, _row in indicators
        for target in item.targets
        for _field, message in target_write_errors(None, Target(**target), locked)
    ]
    if messages:
        raise ImportRefused("\n".join(messages))


def _insert_items(goals, category_ids, user):
    indicators = [
        (item, Indicator(goal_id=row.pk, owner_id=item.owner.db_id, position=index, **item.fields))
        for plan, row in goals
        for index, item in enumerate(plan.indicators)
    ]
    _refuse_closed_years(indicators)
    Indicator.objects.bulk_create([row for _item, row in indicators])
    keys.fill_missing(Indicator, [row for _item, row in indicators])
    IndicatorCategory.objects.bulk_create(
        IndicatorCategory(indicator_id=row.pk, category_id=category_ids[name], position=position)
        for item, row in indicators
        for position, name in enumerate(_categories_of(item))
    )
    targets = Target.objects.bulk_create(
        Target(indicator_id=row.pk, **target) for item, row in indicators for target in item.targets
    )
    activities = Activity.objects.bulk_create(
        Activity(goal_id=row.pk, owner_id=item.owner.db_id, position=index, **item.fields)
        for plan, row in goals
        for index, item in enumerate(plan.activities)
    )
    _write_history(Indicator, [row for _item, row in indicators], user)
    _write_history(Target, targets, user)
    _write_history(Activity, activities, user)
    return {"indicators": len(indicators), "targets": len(targets), "activities": len(activities)}
