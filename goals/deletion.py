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
