"""What a revision does, as data: the plan, its steps, and the installation read in a fixed number of
queries."""

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from goals.models import Activity, Category, Goal, GoalLevel, Indicator, Organisation, Target
from goals.targets import DECIDED_FIELDS

from ..importing import ImportRefused

GOAL_FIELDS = ("title", "description", "decision", "valid_from", "valid_to", "is_financial")
INDICATOR_FIELDS = ("name", "description", "unit", "direction", "decimals", "gender_split",
                    "kolada_kpi", "kolada_scale", "valid_from", "valid_to", "allow_negative",
                    "allow_above_100")  # fmt: skip
ACTIVITY_FIELDS = ("title", "description", "responsible", "start_date", "end_date")
TARGET_FIELDS = DECIDED_FIELDS
DECISION_MAX = Target._meta.get_field("change_decision").max_length


class RevisionRefused(ImportRefused):
    """The revision cannot be applied as it stands (what it needs is said in the message)."""


def default_from_year(today=None):
    """The first year a revision holds for: next year from 1 October (the budget for it is being decided),
    else this year."""
    today = today or timezone.localdate()
    return today.year + 1 if today.month >= 10 else today.year


def file_sha256(data):
    return hashlib.sha256(data).hexdigest()


@dataclass(eq=False)
class RevisionPlan:
    """What applying a checked goal file as a revision does, in the order it does it."""

    file_plan: object
    from_year: int
    sha256: str = ""
    lines: list = field(default_factory=list)  # (kind, text), in the file's order, then what ends
    counts: Counter = field(default_factory=Counter)  # ("goal" | "indicator" | …, kind) → how many
    unchanged: Counter = field(default_factory=Counter)
    goals: list = field(default_factory=list)  # GoalStep, parents first
    left_out_goals: list = field(default_factory=list)  # (Goal, "end" | "delete")
    left_out_indicators: list = field(default_factory=list)  # (Indicator, "end" | "delete")
    left_out_activities: list = field(default_factory=list)  # Activity (deleted)

    @property
    def changes(self):
        return sum(self.counts.values())

    def add(self, model, kind, text):
        self.counts[(model, kind)] += 1
        self.lines.append((kind, text))


@dataclass(eq=False)
class GoalStep:
    plan: object  # the file's GoalPlan
    parent: object  # the parent's GoalPlan, or None for a top goal
    index: int
    row: Goal | None  # the matched goal, None for a new one
    moved: bool = False
    fields: dict = field(default_factory=dict)  # changed own fields
    categories: list | None = None  # the file's categories when they changed
    indicators: list = field(default_factory=list)  # IndicatorStep
    activities: list = field(default_factory=list)  # (ItemPlan, Activity or None, changed fields)


@dataclass(eq=False)
class IndicatorStep:
    plan: object
    index: int
    row: Indicator | None
    fields: dict = field(default_factory=dict)
    moved: bool = False
    categories: list | None = None
    targets: list = field(default_factory=list)  # (old Target or None, new fields or None)


# --- Reading the installation ----------------------------------------------------------------------------


class Installed:
    """Every goal, indicator, target and activity of the installation, read in a fixed number of queries."""

    def __init__(self):
        self.goals = {g.pk: g for g in Goal.objects.all()}
        self.codes = dict(Organisation.objects.values_list("pk", "code"))
        self.goal_categories = _links("goalcategory", "goal_id")
        self.indicators = {i.pk: i for i in Indicator.objects.all()}
        self.indicator_categories = _links("indicatorcategory", "indicator_id")
        self.targets = {}
        for target in Target.objects.order_by("from_year"):
            self.targets.setdefault(target.indicator_id, []).append(target)
        self.activities = {}
        for activity in Activity.objects.order_by("position", "pk"):
            self.activities.setdefault(activity.goal_id, []).append(activity)
        self.indicators_by_key = {i.key: i for i in self.indicators.values() if i.key}
        self.indicators_of = {}
        for indicator in sorted(self.indicators.values(), key=lambda i: (i.position, i.pk)):
            self.indicators_of.setdefault(indicator.goal_id, []).append(indicator)
        self.levels = set(GoalLevel.objects.values_list("key", flat=True))


def _links(model_name, column):
    """{object id: [(set key, lower-case name)]} of goals' or indicators' categories, in their order."""
    model = Category.goals.through if model_name == "goalcategory" else Category.indicators.through
    rows = model.objects.order_by(column, "position", "pk").values_list(
        column, "category__set__key", "category__name"
    )
    links = {}
    for pk, key, name in rows:
        links.setdefault(pk, []).append((key, name.lower()))
    return links
