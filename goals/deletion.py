"""What a deletion in the goal chain takes along, and the guards that may refuse it.

Goals are deleted by `goals.tree`, indicators and activities by `goals.services`; each asks
`refuse_if_blocked` in the same transaction as the deletion itself.
"""

from collections import Counter

from django.contrib.admin.utils import NestedObjects
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _

from .models import Goal, GoalCategory, IndicatorCategory

LINK_MODELS = (GoalCategory, IndicatorCategory)

# Callables `guard(objects_by_model) -> list of reasons` that other apps register (in AppConfig.ready) to
# refuse a deletion that would take rows they must keep, e.g. values of a closed period. Goals never
# imports those apps: they come to it.
DELETION_GUARDS = []


class DeletionRefused(Exception):
    """The deletion would take along something that must not change."""

    def __init__(self, reasons):
        super().__init__("; ".join(str(r) for r in reasons))
        self.reasons = reasons


def _collected(obj):
    collector = NestedObjects(using=DEFAULT_DB_ALIAS)
    collector.collect([obj])
    return collector.model_objs


def _counted(collected, leave_out=None):
    """One dict (model, label, count) per kind of collected row, less `leave_out` (the object deleted)."""
    counts = Counter()
    for model, objects in collected.items():
        if model._meta.auto_created or model in LINK_MODELS:  # the rows that link objects and categories
            continue
        counts[model] += len(objects) - (1 if model is leave_out else 0)
    return [
        {
            "model": model._meta.label_lower,
            "label": str(model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural),
            "count": count,
        }
        for model, count in sorted(counts.items(), key=lambda item: item[0]._meta.label)
        if count
    ]


def deletion_summary(obj):
    """What deleting `obj` takes along, one dict (model, label, count) per kind of row except `obj` itself.

    Counted from Django's own deletion collector, so that rows of apps goals knows nothing of (indicator
    values, assessments) are named too.
    """
    return _counted(_collected(obj), leave_out=type(obj))


def _guard_reasons(collected):
    return [reason for guard in DELETION_GUARDS for reason in guard(collected)]


def deletion_blockers(obj):
    """Why `obj` cannot be deleted (the chain's own rule, then the registered guards); empty when it can."""
    reasons = []
    if isinstance(obj, Goal) and obj.parent_id is None:
        # Deleting the vision takes the whole chain: that is an import with --replace, not a click.
        reasons.append(_("The top of the goal chain cannot be deleted here."))
    if DELETION_GUARDS:
        reasons += _guard_reasons(_collected(obj))
    return reasons


def refuse_if_blocked(obj):
    """Raise `DeletionRefused` when a rule or a guard forbids deleting `obj`."""
    reasons = deletion_blockers(obj)
    if reasons:
        raise DeletionRefused(reasons)


def whole_chain_collector():
    """A collector holding every goal and all that hangs on them; refused while anything but goals does."""
    # Replacing the chain may take only the chain's own rows: any row of another app (a value, a judgement,
    # an activity status, in an open period or a closed one) refuses it, each kind named with its count.
    # The admin's collector, unlike Django's plain one, fast-deletes nothing: every row it would take is
    # in hand to be counted.
    collector = NestedObjects(using=DEFAULT_DB_ALIAS)
    collector.collect(Goal.objects.all())
    chain = Goal._meta.app_label
    others = {model: objs for model, objs in collector.model_objs.items() if model._meta.app_label != chain}
    reasons = []
    if others:
        kinds = ", ".join(f"{row['count']} {row['label']}" for row in _counted(others))
        message = _("Replacing the goals would delete the follow-up that hangs on them: %(kinds)s.")
        reasons.append(message % {"kinds": kinds})
    reasons += _guard_reasons(collector.model_objs)
    if reasons:
        raise DeletionRefused(reasons)
    return collector


# Callables `open_periods(period ids) -> names of those periods that are open`, registered by follow-up: a
# revision that ends a goal still holding an open period's follow-up says so.
OPEN_PERIODS = []


def follow_up_of(objects):
    """{object: [its follow-up]} for goals or indicators of one model, each with its rows of other apps
    (values, judgements, statuses; for a goal also those of its indicators, activities and assignments)
    and its targets of years whose annual report is closed — never rows of the goals below it.

    Each entry is a dict: "rows" the number of such rows, "open" the names of open periods they belong to.
    One deletion collector for all the objects, so that the cost does not grow with one query per object.
    """
    from .models import Activity, Assignment, Indicator, Target
    from .targets import locked_years

    objects = list(objects)
    if not objects:
        return {}
    model = type(objects[0])
    collector = NestedObjects(using=DEFAULT_DB_ALIAS)
    collector.collect(objects)
    collected = collector.model_objs
    by_pk = {obj.pk: obj for obj in objects}
    # Items hang on their goal: a row of another app on an item counts for the goal (when goals are asked).
    owner_of = {}
    if model is Goal:
        for item_model in (Indicator, Activity, Assignment):
            for row in collected.get(item_model, ()):
                owner_of[(item_model, row.pk)] = row.goal_id
    result = {obj: {"rows": 0, "periods": set()} for obj in objects}

    def root(related, pk):
        if related is model:
            return by_pk.get(pk)
        return by_pk.get(owner_of.get((related, pk)))

    watched = (Goal, Indicator, Activity, Assignment)
    for other, rows in collected.items():
        if other._meta.app_label == Goal._meta.app_label:
            continue
        links = [f for f in other._meta.concrete_fields if f.is_relation and f.related_model in watched]
        for row in rows:
            for link in links:
                obj = root(link.related_model, getattr(row, link.attname))
                if obj is not None:
                    result[obj]["rows"] += 1
                    if getattr(row, "period_id", None) is not None:
                        result[obj]["periods"].add(row.period_id)
                    break
    locked = locked_years()
    if locked:
        for target in collected.get(Target, ()):
            obj = (
                root(Indicator, target.indicator_id)
                if model is not Indicator
                else by_pk.get(target.indicator_id)
            )
            if obj is not None and locked & set(range(target.from_year, target.to_year + 1)):
                result[obj]["rows"] += 1
    all_periods = {p for entry in result.values() for p in entry["periods"]}
    open_names = {}
    for source in OPEN_PERIODS:
        open_names.update(source(all_periods))
    return {
        obj: {
            "rows": entry["rows"],
            "open": [open_names[p] for p in sorted(entry["periods"]) if p in open_names],
        }
        for obj, entry in result.items()
    }
