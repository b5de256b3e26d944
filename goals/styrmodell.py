"""Changing the styrmodell: levels added, renamed, reordered, their owners, parents and the headline level.

A change that would leave an existing goal out of the rules is refused, with every reason at once, and
nothing is written; a change that is allowed is written with its history (simple-history) in one
transaction under the tree's lock, so no goal is placed by the old rules while the new ones are written.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import tree, treecache
from .chain import kind_label
from .models import Goal, GoalLevel


def save_level(level, *, parents, user=None):
    """Save `level` (new or changed, its fields already set) with its allowed `parents` (GoalLevel rows)."""
    with tree.locked_tree():
        before = GoalLevel.objects.filter(pk=level.pk).first() if level.pk else None
        errors = _refusals(level, before, parents)
        if errors:
            raise ValidationError(errors)
        if level.is_headline:
            for other in GoalLevel.objects.filter(is_headline=True).exclude(pk=level.pk):
                other.is_headline = False
                other._history_user = user
                other.save()
        level._history_user = user
        level.save()
        level.parents.set(parents)
        treecache.changed()
        return level


def _described(level, parents):
    """A level (a row or a file's plan) with its parents' keys, as data to compare."""
    fields = (level.key, level.name, level.plural, list(level.owner_kinds), level.owner_within_parent)
    return (*fields, level.is_headline, sorted(parents))


def install_levels(levels, *, user=None):
    """Make `levels` (in order; each with key, name, plural, owner_kinds, parents as keys,
    owner_within_parent, is_headline) the styrmodell, replacing the levels there are while no goal
    exists; return whether anything changed. The same levels again write nothing."""
    with tree.locked_tree():
        rows = GoalLevel.objects.order_by("position", "pk").prefetch_related("parents")
        now = [_described(row, [parent.key for parent in row.parents.all()]) for row in rows]
        if now == [_described(level, level.parents) for level in levels]:
            return False
        if Goal.objects.exists():
            raise ValidationError(_("The styrmodell can be replaced only while there are no goals."))
        for row in GoalLevel.objects.all():
            row._history_user = user
            row.delete()
        new = {}
        for position, level in enumerate(levels):
            row = GoalLevel(
                key=level.key, name=level.name, plural=level.plural, position=position,
                owner_kinds=list(level.owner_kinds), owner_within_parent=level.owner_within_parent,
                is_headline=level.is_headline,
            )  # fmt: skip
            row._history_user = user
            row.save()
            new[level.key] = row
        for level in levels:
            new[level.key].parents.set([new[key] for key in level.parents])
        treecache.changed()
        return True


def delete_level(level, *, user=None):
    """Delete a level that no goal uses and that is not the headline level."""
    with tree.locked_tree():
        errors = []
        count = Goal.objects.filter(level_kind=level.key).count()
        if count:
            errors.append(
                _('The level "%(level)s" has %(count)d goals; move or delete them first.')
                % {"level": level.name, "count": count}
            )
        if level.is_headline:
            errors.append(
                _("The headline level cannot be deleted; mark another level as the headline first.")
            )
        if errors:
            raise ValidationError(errors)
        level._history_user = user
        level.delete()
        treecache.changed()


def _refusals(level, before, parents):
    """Every reason why the change would break existing goals or the styrmodell itself."""
    errors = []
    names = {"level": level.name}
    parent_keys = {p.key for p in parents}
    if level.key in parent_keys:
        errors.append(
            _('A goal at the level "%(level)s" cannot be placed under a goal of its own level.') % names
        )
    elif _under_itself(level, parents):
        errors.append(_('The level "%(level)s" would come under itself through other levels.') % names)
    if before is not None and before.is_headline and not level.is_headline:
        errors.append(_("One level is the headline level: mark another level as the headline instead."))
    if before is None and not level.is_headline and not GoalLevel.objects.filter(is_headline=True).exists():
        level.is_headline = True  # the first level of an empty styrmodell
    if before is None:
        return errors
    goals = Goal.objects.filter(level_kind=before.key)
    used_kinds = set(goals.values_list("owner__kind", flat=True))
    for kind in sorted(used_kinds - set(level.owner_kinds)):
        errors.append(
            _('Goals at the level "%(level)s" are owned by a %(kind)s: that kind of owner cannot be removed.')
            % {**names, "kind": kind_label(kind).lower()}
        )
    used_parents = set(goals.exclude(parent=None).values_list("parent__level_kind", flat=True))
    for key in sorted(used_parents - parent_keys):
        errors.append(
            _(
                'Goals at the level "%(level)s" are placed under goals at the level "%(parent)s": '
                "that rule cannot be removed."
            )  # fmt: skip
            % {**names, "parent": GoalLevel.objects.get(key=key).name}
        )
    if parent_keys and goals.filter(parent=None).exists():
        errors.append(
            _('Goals at the level "%(level)s" are at the top of the chain: the level must stay a top level.')
            % names
        )
    if level.owner_within_parent and not before.owner_within_parent:
        outside = [g for g in goals.select_related("owner", "parent__owner") if g.parent_id]
        if any(not g.owner.is_within(g.parent.owner) for g in outside):
            errors.append(
                _('Some goals at the level "%(level)s" are owned outside their parent goal\'s owner.') % names
            )
    return errors


def _under_itself(level, parents):
    """Would `level` sit, through its new parents' own parents, under itself?"""
    if level.pk is None:
        return False
    edges = {}
    for child, parent in GoalLevel.parents.through.objects.values_list(
        "from_goallevel_id", "to_goallevel_id"
    ):
        edges.setdefault(child, set()).add(parent)
    edges[level.pk] = {p.pk for p in parents}
    seen, stack = set(), list(edges[level.pk])
    while stack:
        node = stack.pop()
        if node == level.pk:
            return True
        if node not in seen:
            seen.add(node)
            stack.extend(edges.get(node, ()))
    return False
