"""The goal chain: organisations, perspectives, goals (a tree), indicators, targets and activities."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from mptt.managers import TreeManager
from mptt.models import MPTTModel, TreeForeignKey
from mptt.querysets import TreeQuerySet
from simple_history.models import HistoricalRecords

from .textinput import DESCRIPTION_MAX, refuse_control_characters, text_validators

# django-mptt rewrites these columns with queryset updates that bypass save(); copying them into history
# would record numbers that are stale at once and say nothing a reader of the history can use.
MPTT_FIELDS = ["lft", "rght", "tree_id", "level"]


class History(HistoricalRecords):
    """simple-history's records, whose author cannot be deleted: the history keeps who changed what."""

    def _get_history_user_fields(self):
        fields = super()._get_history_user_fields()
        if "history_user" in fields and isinstance(fields["history_user"], models.ForeignKey):
            # simple-history would blank the author (SET_NULL); the account is deactivated instead.
            fields["history_user"].remote_field.on_delete = models.PROTECT
        return fields


def markdown_description():
    """The description field of goals and activities: Markdown, capped, without control characters."""
    return models.TextField(
        _("description"),
        blank=True,
        help_text=_("Markdown."),
        max_length=DESCRIPTION_MAX,
        validators=text_validators(DESCRIPTION_MAX),
    )


class Organisation(models.Model):
    """The council, a board, a committee or a unit; organisations form a tree by `parent`."""

    class Kind(models.TextChoices):
        COUNCIL = "council", _("Council")
        BOARD = "board", _("Board")
        COMMITTEE = "committee", _("Committee")
        UNIT = "unit", _("Unit")

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[
            RegexValidator(r"^[A-ZÅÄÖ0-9][A-ZÅÄÖ0-9_-]*$", _("Use capital letters, digits, - and _."))
        ],
        help_text=_('A short code such as "BN".'),
    )
    name = models.CharField(_("name"), max_length=200, validators=[refuse_control_characters])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
    )
    position = models.PositiveIntegerField(_("order"), default=0)

    history = History()

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return f"{self.name} ({self.code})"

    def clean(self):
        if self.kind == self.Kind.COUNCIL and self.parent_id:
            raise ValidationError({"parent": _("The council is not part of another organisation.")})
        ancestor, seen = self.parent, set()
        while ancestor is not None:
            if ancestor.pk == self.pk or ancestor.pk in seen:
                raise ValidationError({"parent": _("An organisation cannot be part of itself.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent

    def is_within(self, other):
        """True when this organisation is `other` or one of its parts, at any depth."""
        node, seen = self, set()
        while node is not None and node.pk not in seen:
            if node.pk == other.pk:
                return True
            seen.add(node.pk)
            node = node.parent
        return False


class Perspective(models.Model):
    """One of the overarching goal's sub-goals (in Nora: Hållbarhet, Livskvalitet, Attraktivitet)."""

    name = models.CharField(_("name"), max_length=100, unique=True, validators=[refuse_control_characters])
    description = models.TextField(
        _("description"), blank=True, max_length=DESCRIPTION_MAX, validators=text_validators(DESCRIPTION_MAX)
    )
    position = models.PositiveIntegerField(_("order"), default=0)

    history = History()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("perspective")
        verbose_name_plural = _("perspectives")

    def __str__(self):
        return self.name


class Level(models.TextChoices):
    """A goal's place in the chain, from the vision down to a unit's goal."""

    VISION = "vision", _("Vision")
    OVERARCHING = "overarching", _("Overarching goal")
    COUNCIL = "council", _("Council goal")
    BOARD = "board", _("Board goal")
    UNIT = "unit", _("Unit goal")


# The chain: which level a goal's parent must have (None: the goal is a root).
PARENT_LEVEL = {
    Level.VISION: None,
    Level.OVERARCHING: Level.VISION,
    Level.COUNCIL: Level.OVERARCHING,
    Level.BOARD: Level.COUNCIL,
    Level.UNIT: Level.BOARD,
}
CHILD_LEVEL = {parent: child for child, parent in PARENT_LEVEL.items() if parent}
# Which kinds of organisation may own a goal of each level.
OWNER_KINDS = {
    Level.VISION: {Organisation.Kind.COUNCIL},
    Level.OVERARCHING: {Organisation.Kind.COUNCIL},
    Level.COUNCIL: {Organisation.Kind.COUNCIL},
    Level.BOARD: {Organisation.Kind.BOARD, Organisation.Kind.COMMITTEE},
    Level.UNIT: {Organisation.Kind.BOARD, Organisation.Kind.COMMITTEE, Organisation.Kind.UNIT},
}


def chain_errors(level, parent, owner):
    """Say, field by field, how a goal of `level` under `parent` owned by `owner` breaks the chain."""
    errors = {}
    level = Level(level)
    expected = PARENT_LEVEL[level]
    names = {"level": level.label, "parent": expected.label if expected else ""}
    if expected is None and parent is not None:
        errors["parent"] = (
            _('A goal at the level "%(level)s" is the top of the chain and has no parent goal.') % names
        )
    elif expected is not None and parent is None:
        errors["parent"] = (
            _('A goal at the level "%(level)s" must be placed under a goal at the level "%(parent)s".')
            % names
        )
    elif expected is not None and parent.level_kind != expected:
        errors["parent"] = _(
            'A goal at the level "%(level)s" must be placed under a goal at the level "%(parent)s", '
            'not under one at the level "%(actual)s".'
        ) % {**names, "actual": Level(parent.level_kind).label}
    if owner is not None:
        if owner.kind not in OWNER_KINDS[level]:
            kinds = str(_(" or ")).join(
                str(Organisation.Kind(k).label).lower() for k in sorted(OWNER_KINDS[level])
            )
            errors["owner"] = _(
                'A goal at the level "%(level)s" is owned by a %(kinds)s, not by %(owner)s.'
            ) % {
                **names,
                "kinds": kinds,
                "owner": owner,
            }
        elif level == Level.UNIT and parent is not None and not owner.is_within(parent.owner):
            errors["owner"] = _(
                "A unit goal is owned by the organisation of its parent goal (%(board)s) or one of its parts."
            ) % {"board": parent.owner}
    return errors


class GoalQuerySet(TreeQuerySet):
    def in_tree_order(self):
        return self.order_by("tree_id", "lft")

    def of_level(self, level):
        return self.filter(level_kind=level)


# Kept by name: the tree service writes one history row for a goal and its perspectives together.
GOAL_HISTORY = History(excluded_fields=MPTT_FIELDS, m2m_fields=["perspectives"])


class Goal(MPTTModel):
    """A node of the goal chain. Create, move and delete goals only through `goals.tree`."""

    parent = TreeForeignKey(
        "self",
        verbose_name=_("parent goal"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    # "level" is django-mptt's depth column; the chain level is `level_kind`.
    level_kind = models.CharField(_("level"), max_length=20, choices=Level.choices)
    title = models.CharField(_("title"), max_length=500, validators=[refuse_control_characters])
    description = markdown_description()
    owner = models.ForeignKey(
        Organisation, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="goals"
    )
    decision = models.CharField(
        _("decision"),
        max_length=200,
        blank=True,
        help_text=_('The decision reference, e.g. "KF § 49 2020-06-10".'),
        validators=[refuse_control_characters],
    )
    valid_from = models.PositiveSmallIntegerField(
        _("valid from (year)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2200)],
    )
    valid_to = models.PositiveSmallIntegerField(
        _("valid to (year)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2200)],
    )
    perspectives = models.ManyToManyField(
        Perspective, verbose_name=_("perspectives"), blank=True, related_name="goals"
    )
    position = models.PositiveIntegerField(_("order among siblings"), default=0)

    objects = TreeManager.from_queryset(GoalQuerySet)()
    history = GOAL_HISTORY

    class MPTTMeta:
        order_insertion_by = ["position"]

    class Meta:
        ordering = ["tree_id", "lft"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="goal_valid_years_in_order",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("goals:detail", args=[self.pk])

    def clean(self):
        errors = chain_errors(self.level_kind, self.parent, self.owner if self.owner_id else None)
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("The last valid year comes before the first.")
        if errors:
            raise ValidationError(errors)


class Indicator(models.Model):
    """A measure decided by a board that shows how a goal is going."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("name"), max_length=300, validators=[refuse_control_characters])
    unit = models.CharField(
        _("unit"), max_length=40, help_text=_("%, antal, kr …"), validators=[refuse_control_characters]
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    decimals = models.PositiveSmallIntegerField(_("decimals"), default=0, validators=[MaxValueValidator(4)])
    gender_split = models.BooleanField(
        _("split by gender"), default=False, help_text=_("Total, women and men.")
    )
    kolada_kpi = models.CharField(
        _("Kolada KPI"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^[NU]\d{5}$", _('A Kolada KPI id looks like "N15428".'))],
    )
    kolada_scale = models.DecimalField(
        _("Kolada scale factor"),
        max_digits=16,
        decimal_places=6,
        default=1,
        validators=[MinValueValidator(Decimal("0.000001"))],
        help_text=_(
            "Kolada's values are multiplied by this on import: 0,01 turns per 100 000 into per 1 000."
        ),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=DESCRIPTION_MAX,
        validators=text_validators(DESCRIPTION_MAX),
        help_text=_("Markdown: how it is measured (mätmetod), its definition and its source."),
    )
    valid_from = models.PositiveSmallIntegerField(
        _("valid from (year)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2200)],
    )
    valid_to = models.PositiveSmallIntegerField(
        _("valid to (year)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2200)],
    )
    allow_negative = models.BooleanField(
        _("negative values allowed"),
        default=False,
        help_text=_("For measures that can fall below zero: a budget result, a change in population."),
    )
    allow_above_100 = models.BooleanField(
        _("shares above 100 percent allowed"),
        default=False,
        help_text=_("For a share or percentage that can pass 100, such as a share of the budget used."),
    )
    owner = models.ForeignKey(
        Organisation, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="indicators"
    )
    position = models.PositiveIntegerField(_("order"), default=0)

    history = History()

    class Meta:
        ordering = ["goal", "position", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("goals:detail", args=[self.goal_id]) + f"#indicator-{self.pk}"

    def clean(self):
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The last valid year comes before the first.")})


class TargetQuerySet(models.QuerySet):
    def in_force(self, year):
        """The targets whose span of years holds `year` (at most one per indicator)."""
        return self.filter(from_year__lte=year, to_year__gte=year)


class Target(models.Model):
    """What an indicator should reach in a year or a span of years, as the municipality wrote it.

    The comparison, its bound(s), `exclusive` and the tolerance band are judged by
    followup.rollup.indicator_signal and written out by goals.targets.target_text.
    """

    class Comparison(models.TextChoices):
        AT_LEAST = "at_least", _("At least")
        AT_MOST = "at_most", _("At most")
        EXACTLY = "exactly", _("Exactly")
        WITHIN = "within", _("Within a range")
        HIGHER_THAN_LAST_YEAR = "higher_than_last_year", _("Higher than last year")
        LOWER_THAN_LAST_YEAR = "lower_than_last_year", _("Lower than last year")

    class ToleranceUnit(models.TextChoices):
        ABSOLUTE = "absolute", _("In the indicator's unit")
        PERCENT = "percent", _("Percent of the target")

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="targets"
    )
    from_year = models.PositiveSmallIntegerField(
        _("from year"), validators=[MinValueValidator(1900), MaxValueValidator(2200)]
    )
    to_year = models.PositiveSmallIntegerField(
        _("to year"), validators=[MinValueValidator(1900), MaxValueValidator(2200)]
    )
    comparison = models.CharField(
        _("comparison"), max_length=24, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    value = models.DecimalField(
        _("target value"),
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("The bound; for a range its lower end. Empty when the comparison is with last year."),
    )
    high = models.DecimalField(
        _("upper end"),
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Only for a range."),
    )
    exclusive = models.BooleanField(
        _("bound not included"),
        default=False,
        help_text=_("The bound itself is not reached: “< 10”, “> 30”."),
    )
    tolerance = models.DecimalField(
        _("tolerance"),
        max_digits=16,
        decimal_places=4,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("How far from the target a value may be and still count as close (yellow)."),
    )
    tolerance_unit = models.CharField(
        _("tolerance in"), max_length=10, choices=ToleranceUnit.choices, default=ToleranceUnit.ABSOLUTE
    )

    objects = TargetQuerySet.as_manager()
    history = History()

    class Meta:
        ordering = ["indicator", "from_year"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "from_year"], name="one_target_per_indicator_and_start"
            ),
            models.CheckConstraint(
                condition=models.Q(tolerance__gte=0), name="target_tolerance_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(to_year__gte=models.F("from_year")), name="target_span_in_order"
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value} ({self.years_text})"

    @property
    def years_text(self):
        return (
            str(self.from_year) if self.from_year == self.to_year else f"{self.from_year}\u2013{self.to_year}"
        )

    def covers(self, year):
        return year is not None and self.from_year <= year <= self.to_year

    def clean(self):
        from .targets import target_errors

        errors = target_errors(self)
        if errors:
            raise ValidationError(errors)


class Activity(models.Model):
    """Something the organisation does to reach a goal."""

    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="activities"
    )
    title = models.CharField(_("title"), max_length=300, validators=[refuse_control_characters])
    description = markdown_description()
    owner = models.ForeignKey(
        Organisation, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="activities"
    )
    responsible = models.CharField(
        _("responsible person"), max_length=200, blank=True, validators=[refuse_control_characters]
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)

    history = History()

    class Meta:
        ordering = ["goal", "position", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="activity_dates_in_order",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("goals:detail", args=[self.goal_id]) + f"#activity-{self.pk}-title"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date comes before the start date.")})


class Membership(models.Model):
    """A user's role in an organisation; a user may hold several memberships."""

    class Role(models.TextChoices):
        READER = "reader", _("Reader")
        EDITOR = "editor", _("Editor")
        CONTROLLER = "controller", _("Controller")
        ADMIN = "admin", _("Administrator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    history = History()

    class Meta:
        ordering = ["user", "organisation", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="one_membership_per_role")
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.organisation.code}"


class AuditEvent(models.Model):
    """Something an auditor must be able to find afterwards: role changes, period locks, publications."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT
    )
    action = models.CharField(_("action"), max_length=60, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=60, blank=True)
    summary = models.TextField(_("summary"))

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}: {self.summary}"


def record_event(action, summary, *, user=None, obj=None):
    """Write an audit event; `obj` names the object it concerns."""
    return AuditEvent.objects.create(
        action=action,
        summary=summary,
        user=user if user is not None and user.is_authenticated else None,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
    )
