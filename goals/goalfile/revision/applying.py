"""Applying a planned revision: one locked transaction through the tree's write path, one audit event."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import record_event
from goals import categories as category_links
from goals import deletion, services, tree, treecache
from goals.history import acting_as
from goals.models import Activity, Category, Indicator, Organisation, Target
from goals.textinput import COMMENT_MAX

from ..format import GoalFileErrors
from ..importing import _categories_of, _install_categories, _upsert_organisations
from .plan import DECISION_MAX, GOAL_FIELDS, INDICATOR_FIELDS, RevisionRefused
from .planning import plan_revision

# --- Applying --------------------------------------------------------------------------------------------


def note_errors(reason, decision):
    """Messages refusing the reason or decision reference of a revision (both are needed)."""
    errors = []
    if not (reason or "").strip():
        errors.append(_("Say why the goals are revised."))
    elif len(reason) > COMMENT_MAX:
        errors.append(_("The reason is longer than %(max)d characters.") % {"max": COMMENT_MAX})
    if not (decision or "").strip():
        errors.append(_("Give the decision behind the revision, e.g. “KF § 112 2026-11-23”."))
    elif len(decision) > DECISION_MAX:
        errors.append(_("The decision reference is longer than %(max)d characters.") % {"max": DECISION_MAX})
    return errors


def apply_revision(plan, *, user=None, reason, decision):
    """Write `plan` in one locked transaction; return its counts. Refused (`RevisionRefused`) when the goals
    changed since the plan was made, or a write is refused; nothing is then written."""
    errors = note_errors(reason, decision)
    if errors:
        raise RevisionRefused("\n".join(errors))
    user = user if user is not None and user.is_authenticated else None
    try:
        with tree.locked_tree(), acting_as(user):
            # What was shown is what is written: planned again under the lock, it must be the same.
            fresh = plan_revision(plan.file_plan, plan.from_year, sha256=plan.sha256)
            if fresh.lines != plan.lines:
                raise RevisionRefused(_("The goals changed since this revision was planned; plan it again."))
            write_plan(fresh, user, reason.strip(), decision.strip())
            summary = _(
                "Revised the goals from %(year)d (%(decision)s): %(changes)d changes. Reason: %(reason)s. "
                "File SHA-256: %(sha)s"
            )
            values = {"year": plan.from_year, "decision": decision.strip(), "changes": fresh.changes,
                      "reason": reason.strip(), "sha": plan.sha256 or "—"}  # fmt: skip
            record_event("goal_tree.revise", summary % values, user=user)
    except GoalFileErrors as error:
        raise RevisionRefused(str(error)) from None
    except (ValidationError, deletion.DeletionRefused) as error:
        messages = error.messages if isinstance(error, ValidationError) else [str(r) for r in error.reasons]
        raise RevisionRefused(" ".join(messages)) from None
    return fresh.counts


def write_plan(plan, user, reason, decision):
    """Write a planned revision; the caller holds the tree lock and has planned it again under it."""
    file_plan = plan.file_plan
    _upsert_organisations(file_plan.organisations, user)
    category_ids = _install_categories(file_plan, user)
    categories_by_id = Category.objects.in_bulk(list(category_ids.values()))
    organisations = {
        o.code: o for o in Organisation.objects.filter(code__in=[o.code for o in file_plan.organisations])
    }

    def chosen(names):
        return [categories_by_id[category_ids[name]] for name in names]

    # The tree fields are rebuilt once at the end, not by every new, moved and deleted goal.
    with tree.batched():
        rows = {}
        now = timezone.now()
        for step in plan.goals:
            goal_plan = step.plan
            parent = rows[id(step.parent)] if step.parent is not None else None
            owner = organisations[goal_plan.owner.code]
            if step.row is None:
                fields = {name: goal_plan.fields[name] for name in GOAL_FIELDS if name != "title"}
                if goal_plan.fields.get("key"):
                    fields["key"] = goal_plan.fields["key"]
                rows[id(goal_plan)] = tree.create_goal(
                    parent=parent, title=goal_plan.fields["title"], owner=owner,
                    level_kind=goal_plan.level_kind, index=step.index,
                    categories=chosen(_categories_of(goal_plan)), **fields,
                )  # fmt: skip
            else:
                row = step.row
                if step.moved:
                    row = tree.move_goal(row, parent=parent, index=step.index)
                if step.fields or step.categories is not None:
                    fields = {n: (owner if n == "owner" else v) for n, v in step.fields.items()}
                    categories = chosen(step.categories) if step.categories is not None else None
                    row = tree.update_goal(row, categories=categories, **fields)
                rows[id(goal_plan)] = row
            goal = rows[id(goal_plan)]
            for indicator in step.indicators:
                _write_indicator(indicator, goal, organisations, chosen, user, reason, decision, now)
            for position, (item, activity, fields) in enumerate(step.activities):
                if activity is None:
                    activity = Activity(
                        goal=goal, owner=organisations[item.owner.code], position=position, **item.fields
                    )
                    activity.full_clean()
                    activity.save()
                elif fields:
                    for name, value in fields.items():
                        setattr(activity, name, organisations[value.code] if name == "owner" else value)
                    activity.full_clean()
                    activity.save()
        for activity in plan.left_out_activities:
            services.delete_activity(activity)
        for indicator, action in plan.left_out_indicators:
            if action == "end":
                indicator.valid_to = plan.from_year - 1
                indicator.save(update_fields=["valid_to"])
            else:
                services.delete_indicator(indicator)
        for goal, action in plan.left_out_goals:
            if action == "end":
                tree.update_goal(goal, valid_to=plan.from_year - 1)
            else:
                tree.delete_goal(goal)
    treecache.changed()


def _write_indicator(step, goal, organisations, chosen, user, reason, decision, now):
    item = step.plan
    owner = organisations[item.owner.code]
    if step.row is None:
        fields = {n: item.fields[n] for n in INDICATOR_FIELDS}
        if item.fields.get("key"):
            fields["key"] = item.fields["key"]
        row = Indicator(goal=goal, owner=owner, position=step.index, **fields)
        row.full_clean()
        row.save()
        category_links.link(row, chosen(_categories_of(item)))
    else:
        row = step.row
        if step.fields or step.moved:
            for name, value in step.fields.items():
                setattr(row, name, owner if name == "owner" else value)
            if step.moved:
                row.goal, row.position = goal, step.index
            row.full_clean()
            row.save()
        if step.categories is not None:
            category_links.link(row, chosen(step.categories))
    for old, new in step.targets:
        if old is None:
            target = Target(indicator=row, **new)
            target.full_clean()
            target.save()
        elif new is None:
            old.change_reason, old.change_decision, old.changed_at, old.changed_by = (
                reason,
                decision,
                now,
                user,
            )
            old.save()
            old.delete()
        else:
            for name, value in new.items():
                setattr(old, name, value)
            old.change_reason, old.change_decision, old.changed_at, old.changed_by = (
                reason,
                decision,
                now,
                user,
            )
            old.full_clean()
            old.save()
