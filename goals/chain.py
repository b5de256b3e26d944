"""The municipality's styrmodell, read from `GoalLevel` rows, and the one rule of the chain: `chain_errors`.

Every page, form, import and check asks `styrmodell()` for the levels: their names, who may own their
goals and under which levels they may sit. The levels are read once per request (one query) and kept
for that thread until the next request or the next change of a level.

An installation without any level gets Nora's five, the default (the data migration writes the same rows).
"""

import threading
from dataclasses import dataclass

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

# Nora's styrmodell: key, name, plural, owner kinds, parent levels, owner within the parent's owner, headline.
DEFAULT_LEVELS = (
    ("vision", "Vision", "Visioner", ["council"], [], False, False),
    ("overarching", "Övergripande mål", "Övergripande mål", ["council"], ["vision"], False, False),
    ("council", "KF-mål", "KF-mål", ["council"], ["overarching"], False, True),
    ("board", "Nämndmål", "Nämndmål", ["board", "committee"], ["council"], False, False),
    ("unit", "Verksamhetsmål", "Verksamhetsmål", ["board", "committee", "unit"], ["board"], True, False),
)
COUNCIL_KIND = "council"


def install_defaults(level_model):
    """Write the default levels into an empty styrmodell (`level_model` may be a migration's model)."""
    rows = {}
    for position, (key, name, plural, owners, _parents, within, headline) in enumerate(DEFAULT_LEVELS):
        rows[key] = level_model.objects.create(
            key=key,
            name=name,
            plural=plural,
            position=position,
            owner_kinds=owners,
            owner_within_parent=within,
            is_headline=headline,
        )
    for key, _name, _plural, _owners, parents, _within, _headline in DEFAULT_LEVELS:
        rows[key].parents.set([rows[p] for p in parents])


@dataclass(frozen=True)
class LevelRule:
    """One level as the chain's rules see it."""

    key: str
    name: str
    plural: str
    position: int
    owner_kinds: frozenset
    parents: frozenset  # keys; empty: a goal of this level is the top of a chain
    owner_within_parent: bool
    is_headline: bool

    @property
    def is_root(self):
        return not self.parents

    @property
    def decided_by_council(self):
        """Goals the council owns are written by controllers only."""
        return COUNCIL_KIND in self.owner_kinds


class Styrmodell:
    """The ordered levels with lookups by key."""

    def __init__(self, rules):
        self.levels = sorted(rules, key=lambda r: (r.position, r.key))
        self.by_key = {rule.key: rule for rule in self.levels}

    def __iter__(self):
        return iter(self.levels)

    def __contains__(self, key):
        return key in self.by_key

    def get(self, key):
        return self.by_key.get(key)

    def name(self, key):
        rule = self.by_key.get(key)
        return rule.name if rule else str(key)

    def plural(self, key):
        rule = self.by_key.get(key)
        return rule.plural if rule else str(key)

    @property
    def headline(self):
        return next((rule for rule in self.levels if rule.is_headline), None)

    @property
    def roots(self):
        return [rule for rule in self.levels if rule.is_root]

    def children_of(self, key):
        """The levels whose goals may sit directly under a goal of level `key`, in order."""
        return [rule for rule in self.levels if key in rule.parents]

    def council_keys(self):
        return {rule.key for rule in self.levels if rule.decided_by_council}

    def parent_keys(self):
        """Levels under whose goals some goal may sit."""
        return {parent for rule in self.levels for parent in rule.parents}


_local = threading.local()


def styrmodell():
    """The installation's levels, read once per request (and written from the default when there is none)."""
    cached = getattr(_local, "styrmodell", None)
    if cached is None:
        cached = _local.styrmodell = _load()
    return cached


def forget(**_kwargs):
    """Drop the levels read so far: the next `styrmodell()` reads them again."""
    _local.styrmodell = None


def _load():
    """One query: each level joined with its parent levels (a row per parent)."""
    from .models import GoalLevel

    fields = ("key", "name", "plural", "position", "owner_kinds", "owner_within_parent", "is_headline")
    rows = list(GoalLevel.objects.order_by("position", "pk").values(*fields, "parents__key"))
    if not rows:
        install_defaults(GoalLevel)
        rows = list(GoalLevel.objects.order_by("position", "pk").values(*fields, "parents__key"))
    levels, parents = {}, {}
    for row in rows:
        levels.setdefault(row["key"], row)
        parents.setdefault(row["key"], set())
        if row["parents__key"]:
            parents[row["key"]].add(row["parents__key"])
    return Styrmodell(
        LevelRule(
            key=row["key"],
            name=row["name"],
            plural=row["plural"],
            position=row["position"],
            owner_kinds=frozenset(row["owner_kinds"] or ()),
            parents=frozenset(parents[row["key"]]),
            owner_within_parent=row["owner_within_parent"],
            is_headline=row["is_headline"],
        )
        for row in levels.values()
    )


def kind_label(kind):
    from .models import Organisation

    try:
        return str(Organisation.Kind(kind).label)
    except ValueError:
        return str(kind)


def _order(model):
    return lambda key: (model.get(key).position if model.get(key) else 0, key)


def _placement(rule, model, actual=None):
    """ "must be placed under …", naming the one allowed parent level or all of them."""
    parents = sorted(rule.parents, key=_order(model))
    names = {"level": rule.name, "parent": model.name(parents[0]), "actual": model.name(actual)}
    if len(parents) > 1:
        names["parents"] = ", ".join(model.name(key) for key in parents)
        if actual is None:
            return (
                _(
                    'A goal at the level "%(level)s" must be placed under a goal at one of the levels: '
                    "%(parents)s."
                )
                % names
            )
        return (
            _(
                'A goal at the level "%(level)s" must be placed under a goal at one of the levels: '
                '%(parents)s; not under one at the level "%(actual)s".'
            )
            % names
        )
    if actual is None:
        return (
            _('A goal at the level "%(level)s" must be placed under a goal at the level "%(parent)s".')
            % names
        )
    return (
        _(
            'A goal at the level "%(level)s" must be placed under a goal at the level "%(parent)s", '
            'not under one at the level "%(actual)s".'
        )
        % names
    )


def chain_errors(level, parent, owner, *, model=None):
    """Say, field by field, how a goal of `level` (a key) under `parent` owned by `owner` breaks the chain.

    `parent` and `owner` may be duck-typed (a goal file's plans): a parent has `level_kind_id` and `owner`,
    an owner `kind`, `is_within()` and a string form.
    """
    model = model or styrmodell()
    rule = model.get(level)
    if rule is None:
        return {"level_kind": _('There is no goal level "%(level)s".') % {"level": level}}
    errors = {}
    names = {"level": rule.name}
    parent_level = getattr(parent, "level_kind_id", None) if parent is not None else None
    if rule.is_root and parent is not None:
        errors["parent"] = (
            _('A goal at the level "%(level)s" is the top of the chain and has no parent goal.') % names
        )
    elif not rule.is_root and parent is None:
        errors["parent"] = _placement(rule, model)
    elif not rule.is_root and parent_level not in rule.parents:
        errors["parent"] = _placement(rule, model, parent_level)
    if owner is not None:
        if owner.kind not in rule.owner_kinds:
            kinds = str(_(" or ")).join(kind_label(k).lower() for k in sorted(rule.owner_kinds))
            errors["owner"] = _(
                'A goal at the level "%(level)s" is owned by a %(kinds)s, not by %(owner)s.'
            ) % {
                **names,
                "kinds": kinds or "–",
                "owner": owner,
            }
        elif rule.owner_within_parent and parent is not None and not owner.is_within(parent.owner):
            errors["owner"] = _(
                'A goal at the level "%(level)s" is owned by the organisation of its parent goal '
                "(%(parent_owner)s) or one of its parts."
            ) % {**names, "parent_owner": parent.owner}
    return errors


def financial_error(level, *, model=None):
    """Why a goal of `level` (a key) cannot be a financial goal, or "": only the council decides the goals
    for god ekonomisk hushållning."""
    rule = (model or styrmodell()).get(level)
    if rule is None or rule.decided_by_council:
        return ""
    return _('A financial goal is decided by the council; a goal at the level "%(level)s" is not.') % {
        "level": rule.name
    }


@receiver(post_save, sender="goals.GoalLevel", dispatch_uid="goals.chain.saved")
@receiver(post_delete, sender="goals.GoalLevel", dispatch_uid="goals.chain.deleted")
def _level_changed(**kwargs):
    forget()


def _connect():
    from django.core.signals import request_started

    from .models import GoalLevel

    request_started.connect(forget, dispatch_uid="goals.chain.request")
    m2m_changed.connect(forget, sender=GoalLevel.parents.through, dispatch_uid="goals.chain.parents")
