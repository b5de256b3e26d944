"""A new mandate period or budget year: which goals continue, which end, which are new, and their targets.

The model (docs/mandate.md): the new validity is a span of years, `first`–`last` (2027–2030 for a
mandate period, 2027–2027 for a budget year); the old period's last year is `first - 1`.

- A goal or indicator whose validity ends with the old period (`valid_to == first - 1`) **continues**: its
  last valid year becomes `last`. One without an end year simply runs on. Those ending earlier stay ended.
- The controller may **end** any goal that would be valid in `first`: it (and whatever below it would
  continue) keeps or gets `valid_to = first - 1`.
- **New goals** come from an uploaded goal file, applied as a revision from `first`
  (`goals.goalfile.revision`, the one matcher and its change list): the file's goals are matched, changed and
  added, and what the file leaves out ends (with follow-up) or is deleted (without); the continuing above then
  applies to the goals the file keeps. Goals may also be added afterwards on the goal pages.
- **Targets**: `carry` copies each continuing indicator's latest target, when no target covers a year of the
  new span, into one new target for `first`–`last` (the old row, which holds closed years, never changes);
  `new` leaves the new years without a target, to be set from the file or on the indicator's page.

`plan_mandate` reads and lists; `apply_mandate` writes the plan in one locked transaction, planned again under
the lock (what was shown is what is written), with history rows for every change and one audit event naming
the decision and the file's SHA-256. Nothing of a closed year changes: validity only grows past `first - 1`
or stops there, and targets are only added for the new years.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import record_event

from . import deletion, tree, treecache
from .goalfile.format import GoalFileErrors
from .goalfile.revision import RevisionRefused, note_errors, plan_revision
from .goalfile.revision.applying import write_plan
from .history import acting_as
from .models import Goal, Indicator, Target
from .targets import DECIDED_FIELDS, locked_years, span_text, target_text
from .validity import FIRST_YEAR, LAST_YEAR

CARRY, NEW = "carry", "new"
TARGET_CHOICES = (CARRY, NEW)
MAX_SPAN = 10  # years a new validity may span at most


class MandateRefused(RevisionRefused):
    """The new period cannot be started as asked (what it needs is said in the message)."""


@dataclass(eq=False)
class MandatePlan:
    first: int
    last: int
    targets: str = CARRY
    revision: object = None  # the file's RevisionPlan, or None without a file
    ending: frozenset = frozenset()  # the goal ids the controller ends
    continuing: list = field(default_factory=list)  # (Goal, extended: bool), tree order
    ended: list = field(default_factory=list)  # Goal, ended with the old period
    indicators: list = field(default_factory=list)  # Indicator extended to `last`
    carried: list = field(default_factory=list)  # (Indicator, Target carried from, new Target fields)
    without_target: list = field(default_factory=list)  # Indicator with no target in the new years
    lines: list = field(default_factory=list)  # (kind, text)
    counts: Counter = field(default_factory=Counter)

    @property
    def old_last(self):
        return self.first - 1

    @property
    def sha256(self):
        return self.revision.sha256 if self.revision is not None else ""

    @property
    def all_lines(self):
        """The revision's changes, then the new period's."""
        return (self.revision.lines if self.revision is not None else []) + self.lines

    @property
    def changes(self):
        return sum(self.counts.values()) + (self.revision.changes if self.revision is not None else 0)

    @property
    def deletions(self):
        """What the confirmation cannot undo: the goals, indicators and activities the file deletes."""
        if self.revision is None:
            return 0
        return sum(n for (_model, kind), n in self.revision.counts.items() if kind == "deleted")

    def add(self, model, kind, text):
        self.counts[(model, kind)] += 1
        self.lines.append((kind, text))


def span_errors(first, last):
    """Messages refusing a new validity span (all at once)."""
    errors = []
    if first is None or last is None:
        return [_("Give the first and the last year of the new period.")]
    if not (FIRST_YEAR <= first <= LAST_YEAR and FIRST_YEAR <= last <= LAST_YEAR):
        errors.append(
            _("The years must lie between %(low)d and %(high)d.") % {"low": FIRST_YEAR, "high": LAST_YEAR}
        )
    if last < first:
        errors.append(_("The last year of the new period comes before its first."))
    elif last - first + 1 > MAX_SPAN:
        errors.append(_("A new period spans at most %(max)d years.") % {"max": MAX_SPAN})
    if first in locked_years():
        errors.append(
            _("The annual report of %(year)d is closed: a new period cannot begin in it.") % {"year": first}
        )
    return errors


def plan_mandate(first, last, *, file_plan=None, sha256="", ending=(), targets=CARRY):
    """What starting the period `first`–`last` does (`MandatePlan`); refused (`MandateRefused`) with every
    problem at once. `file_plan` (`goalfile.read`'s) is applied as a revision from `first`; `ending` holds
    the ids of goals the controller ends with the old period."""
    errors = span_errors(first, last)
    if targets not in TARGET_CHOICES:
        errors.append(_("Choose whether the targets are carried forward or set anew."))
    if errors:
        raise MandateRefused("\n".join(errors))
    plan = MandatePlan(first=first, last=last, targets=targets, ending=frozenset(ending))
    if file_plan is not None:
        try:
            plan.revision = plan_revision(file_plan, first, sha256=sha256)
        except GoalFileErrors as error:
            raise MandateRefused(str(error)) from None
    goals = list(Goal.objects.in_tree_order())
    after = _validity_after_revision(plan.revision, goals)
    _plan_goals(plan, goals, after)
    _plan_indicators(plan)
    return plan


def _validity_after_revision(revision, goals):
    """{goal id: (valid_from, valid_to)} as the goals stand once the revision is written (all of them
    without a revision). With a file, only the goals it keeps can continue: one it leaves out ends (or has
    ended already, or goes), whatever its years."""
    if revision is None:
        return {g.pk: (g.valid_from, g.valid_to) for g in goals}
    return {
        step.row.pk: (step.plan.fields["valid_from"], step.plan.fields["valid_to"])
        for step in revision.goals
        if step.row is not None
    }


def _plan_goals(plan, goals, after):
    old_last = plan.old_last
    ended_ids = set()
    by_pk = {g.pk: g for g in goals}
    unknown = plan.ending - set(by_pk)
    if unknown:
        raise MandateRefused(_("A goal chosen to end is no longer there; plan the new period again."))
    handled = {g.pk for g, _action in plan.revision.left_out_goals} if plan.revision is not None else set()
    for goal in goals:  # tree order: parents first
        if goal.pk not in after:
            if goal.pk not in handled and goal.valid_to == old_last:
                # Left out of the file but ending with the old period anyway: it simply does not continue.
                plan.ended.append(goal)
                values = {"year": old_last, "title": goal.title}
                plan.add("goal", "ended", _("Ends %(year)d with the period: “%(title)s”") % values)
            continue
        first, last = after[goal.pk]
        if first is not None and first > old_last:
            if goal.parent_id in ended_ids:
                message = _(
                    "“%(title)s” begins in %(year)d under “%(parent)s”, which would end: end it too, or "
                    "keep its parent"
                )
                raise MandateRefused(
                    message % {"title": goal.title, "year": first, "parent": by_pk[goal.parent_id].title}
                )
            continue  # begins with the new period: the file's or the goal page's to say
        if last is not None and last < old_last:
            continue  # ended before: stays ended
        if goal.pk in plan.ending or goal.parent_id in ended_ids:
            ended_ids.add(goal.pk)
            plan.ended.append(goal)
            values = {"year": old_last, "title": goal.title}
            plan.add("goal", "ended", _("Ends %(year)d with the period: “%(title)s”") % values)
            continue
        extended = last == old_last
        plan.continuing.append((goal, extended))
        if extended:
            values = {"first": plan.first, "last": plan.last, "title": goal.title}
            plan.add("goal", "continues", _("Continues %(first)d–%(last)d: “%(title)s”") % values)


def _plan_indicators(plan):
    """The continuing goals' indicators: extended like their goals, and their targets carried or not."""
    old_last, first, last = plan.old_last, plan.first, plan.last
    continuing = {goal.pk for goal, _extended in plan.continuing}
    revised = _revised_targets(plan.revision)
    left_out = {i.pk for i, _a in plan.revision.left_out_indicators} if plan.revision is not None else set()
    indicators = Indicator.objects.filter(goal_id__in=continuing).exclude(pk__in=left_out)
    indicators = (
        indicators.select_related("goal")
        .prefetch_related("targets")
        .order_by("goal__tree_id", "goal__lft", "position", "pk")
    )
    for indicator in indicators:
        valid_from, valid_to = revised.get(
            ("indicator", indicator.pk), (indicator.valid_from, indicator.valid_to)
        )
        if (valid_to is not None and valid_to < old_last) or (valid_from is not None and valid_from > last):
            continue
        if valid_to == old_last:
            plan.indicators.append(indicator)
            values = {"first": first, "last": last, "name": indicator.name}
            plan.add(
                "indicator", "continues", _("Indicator continues %(first)d–%(last)d: “%(name)s”") % values
            )
        spans = revised.get(("targets", indicator.pk))
        if spans is None:
            spans = [(t.from_year, t.to_year, t) for t in indicator.targets.all()]
        if any(start <= last and end >= first for start, end, _t in spans):
            continue  # the new years have a target already (kept, or from the file)
        latest = max((s for s in spans if s[2] is not None), key=lambda s: s[1], default=None)
        span = span_text(first, last)
        if plan.targets == CARRY and latest is not None:
            old = latest[2]
            fields = {name: getattr(old, name) for name in DECIDED_FIELDS}
            fields.update(from_year=first, to_year=last)
            plan.carried.append((indicator, old, fields))
            values = {"span": span, "name": indicator.name, "target": target_text(old, indicator.decimals)}
            plan.add(
                "target",
                "carried",
                _("Target carried forward to %(span)s for “%(name)s”: %(target)s") % values,
            )
        else:
            plan.without_target.append(indicator)
            values = {"span": span, "name": indicator.name}
            plan.add("target", "missing", _("No target for %(span)s yet: “%(name)s”") % values)


def _revised_targets(revision):
    """{("indicator", id): (valid_from, valid_to)} and {("targets", id): [(from, to, Target or None)]} of the
    indicators a revision changes, as they stand once it is written."""
    found = {}
    if revision is None:
        return found
    for step in revision.goals:
        for item in step.indicators:
            if item.row is None:
                continue
            found[("indicator", item.row.pk)] = (item.plan.fields["valid_from"], item.plan.fields["valid_to"])
            if item.targets:
                spans = {t.from_year: (t.from_year, t.to_year, t) for t in item.row.targets.all()}
                for old, new in item.targets:
                    if old is not None:
                        spans.pop(old.from_year, None)
                    if new is not None:
                        spans[new["from_year"]] = (new["from_year"], new["to_year"], old)
                found[("targets", item.row.pk)] = list(spans.values())
    return found


# --- Describing ------------------------------------------------------------------------------------------


def summary_rows(plan):
    """[(label, count text)] for the preview's table."""
    goals = lambda n: ngettext("%(count)d goal", "%(count)d goals", n) % {"count": n}  # noqa: E731
    rows = [
        (_("continue into the new period"), goals(len(plan.continuing))),
        (_("end with the old period"), goals(len(plan.ended))),
    ]
    if plan.revision is not None:
        rows.append((_("new from the file"), goals(plan.revision.counts[("goal", "new")])))
    rows.append(
        (
            _("targets carried forward"),
            ngettext("%(count)d target", "%(count)d targets", len(plan.carried))
            % {"count": len(plan.carried)},
        )
    )
    if plan.without_target:
        n = len(plan.without_target)
        rows.append(
            (
                _("indicators without a target in the new years"),
                ngettext("%(count)d indicator", "%(count)d indicators", n) % {"count": n},
            )
        )
    return rows


def mandate_text(plan):
    """The plan as text (the command's dry run): a heading, the counts, then one line per change."""
    values = {"first": plan.first, "last": plan.last, "year": plan.old_last}
    lines = [_("New period %(first)d–%(last)d (the old one ends %(year)d)") % values]
    if plan.sha256:
        lines.append(_("File SHA-256: %(sha)s") % {"sha": plan.sha256})
    lines += [f"{label}: {text}" for label, text in summary_rows(plan)]
    lines.append("")
    lines += [f"- {text}" for _kind, text in plan.all_lines]
    return "\n".join(lines)


# --- Applying --------------------------------------------------------------------------------------------


def apply_mandate(plan, *, user=None, reason, decision):
    """Write `plan` in one locked transaction; return the number of changes. Refused (`MandateRefused`) when
    the goals changed since the plan was made, or a write is refused; nothing is then written."""
    errors = note_errors(reason, decision)
    if errors:
        raise MandateRefused("\n".join(errors))
    reason, decision = reason.strip(), decision.strip()
    user = user if user is not None and user.is_authenticated else None
    file_plan = plan.revision.file_plan if plan.revision is not None else None
    try:
        with tree.locked_tree(), acting_as(user):
            fresh = plan_mandate(plan.first, plan.last, file_plan=file_plan, sha256=plan.sha256,
                                 ending=plan.ending, targets=plan.targets)  # fmt: skip
            if fresh.all_lines != plan.all_lines:
                raise MandateRefused(_("The goals changed since this new period was planned; plan it again."))
            if fresh.revision is not None:
                write_plan(fresh.revision, user, reason, decision)
            _write(fresh)
            summary = _(
                "Started the period %(first)d–%(last)d (%(decision)s): %(continuing)d goals continue, "
                "%(ended)d end, %(carried)d targets carried forward, %(changes)d changes in all. "
                "Reason: %(reason)s. File SHA-256: %(sha)s"
            )
            values = {"first": plan.first, "last": plan.last, "decision": decision,
                      "continuing": len(fresh.continuing), "ended": len(fresh.ended),
                      "carried": len(fresh.carried), "changes": fresh.changes, "reason": reason,
                      "sha": plan.sha256 or "—"}  # fmt: skip
            record_event("goal_tree.new_period", summary % values, user=user)
    except (ValidationError, deletion.DeletionRefused) as error:
        messages = error.messages if isinstance(error, ValidationError) else [str(r) for r in error.reasons]
        raise MandateRefused(" ".join(messages)) from None
    return fresh.changes


def _write(plan):
    for goal, extended in plan.continuing:
        if extended:
            tree.update_goal(goal, valid_to=plan.last)
    for goal in plan.ended:
        fresh = Goal.objects.get(pk=goal.pk)
        if fresh.valid_to != plan.old_last:
            tree.update_goal(fresh, valid_to=plan.old_last)
    for indicator in plan.indicators:
        fresh = Indicator.objects.get(pk=indicator.pk)
        fresh.valid_to = plan.last
        fresh.full_clean()
        fresh.save(update_fields=["valid_to"])
    for indicator, _old, fields in plan.carried:
        target = Target(indicator_id=indicator.pk, **fields)
        target.full_clean()
        target.save()
    treecache.changed()
