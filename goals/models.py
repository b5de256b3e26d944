"""The goal chain: organisations, category sets, goals (a tree), indicators, targets, activities and the
council's assignments."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from mptt.managers import TreeManager
from mptt.models import MPTTModel, TreeForeignKey
from mptt.querysets import TreeQuerySet
from simple_history.models import HistoricalRecords

from . import keys
from .keys import KEY_MAX
from .textinput import COMMENT_MAX, DESCRIPTION_MAX, refuse_control_characters, text_validators
from .validity import FIRST_YEAR, LAST_YEAR, is_valid_in_year, valid_in_year

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


def validity_year(label):
    """The first or last year a goal or an indicator holds (empty: open-ended)."""
    return models.PositiveSmallIntegerField(
        label,
        null=True,
        blank=True,
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
    )


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
    """The council, a board, a committee, an administration, a unit or a company; a tree by `parent`."""

    class Kind(models.TextChoices):
        COUNCIL = "council", _("Council")
        BOARD = "board", _("Board")
        COMMITTEE = "committee", _("Committee")
        ADMINISTRATION = "administration", pgettext_lazy("organisation kind", "Administration")
        UNIT = "unit", _("Unit")
        COMPANY = "company", pgettext_lazy("organisation kind", "Municipal company")

    # The organisations that answer for their own part of the chain under the council: each has its own
    # report ("Nämndrapport") and is a choice of the tree's filter. A unit answers within its board.
    ANSWERING_KINDS = (Kind.BOARD, Kind.COMMITTEE, Kind.ADMINISTRATION, Kind.COMPANY)

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


class CategorySet(models.Model):
    """A list of categories that goals and indicators carry: Perspektiv, Målområde, Agenda 2030 …"""

    key = models.SlugField(
        _("key"),
        max_length=40,
        unique=True,
        help_text=_('A short fixed name used in files, e.g. "perspektiv".'),
    )
    name = models.CharField(_("name"), max_length=100, validators=[refuse_control_characters])
    position = models.PositiveIntegerField(_("order"), default=0)

    history = History()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category set")
        verbose_name_plural = _("category sets")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = self.name.strip()
        super().save(*args, **kwargs)


class InForceQuerySet(models.QuerySet):
    """Rows with validity years (`valid_from`, `valid_to`, each open-ended when empty): categories, goals
    and indicators, through the one rule of "valid in a year" (`goals.validity`); pages and reports of a
    year show what it keeps."""

    def in_force(self, year):
        """The rows whose validity years hold `year` (all of them when `year` is None)."""
        return self if year is None else self.filter(valid_in_year(year))

    def with_in_force(self, year, name="in_force"):
        """Every row, each with `name` saying whether it is in force in `year`."""
        condition = valid_in_year(year)
        return self.annotate(
            **{name: models.ExpressionWrapper(condition, output_field=models.BooleanField())}
        )


class CategoryQuerySet(InForceQuerySet):
    pass


class Category(models.Model):
    """One category of a set (in Nora's Perspektiv: Hållbarhet, Livskvalitet, Attraktivitet), valid for a
    span of years: a category dropped from a plan stops showing in later years but stays in the history."""

    set = models.ForeignKey(
        CategorySet, verbose_name=_("category set"), on_delete=models.PROTECT, related_name="categories"
    )
    name = models.CharField(_("name"), max_length=100, validators=[refuse_control_characters])
    description = models.TextField(
        _("description"), blank=True, max_length=DESCRIPTION_MAX, validators=text_validators(DESCRIPTION_MAX)
    )
    valid_from = validity_year(_("valid from (year)"))
    valid_to = validity_year(_("valid to (year)"))
    position = models.PositiveIntegerField(_("order"), default=0)

    history = History()
    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(Lower("name"), "set", name="category_name_unique_in_set"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="category_valid_years_in_order",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = self.name.strip()
        super().save(*args, **kwargs)

    def holds(self, year):
        """True when the category is in force in `year` (always when `year` is None)."""
        if year is None:
            return True
        return is_valid_in_year(self, year)

    def clean(self):
        self.name = (self.name or "").strip()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The last valid year comes before the first.")})


class GoalCategory(models.Model):
    """A goal's category, at its place in the goal's own order. Written through `goals.categories`."""

    goal = models.ForeignKey("Goal", verbose_name=_("goal"), on_delete=models.CASCADE)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT)
    position = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("goal's category")
        verbose_name_plural = _("goals' categories")
        constraints = [models.UniqueConstraint(fields=["goal", "category"], name="goal_category_once")]

    def __str__(self):
        return f"{self.goal_id}: {self.category_id}"


class IndicatorCategory(models.Model):
    """An indicator's category, at its place in the indicator's own order."""

    indicator = models.ForeignKey("Indicator", verbose_name=_("indicator"), on_delete=models.CASCADE)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT)
    position = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("indicator's category")
        verbose_name_plural = _("indicators' categories")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "category"], name="indicator_category_once")
        ]

    def __str__(self):
        return f"{self.indicator_id}: {self.category_id}"


class GoalLevel(models.Model):
    """One level of the municipality's styrmodell: its names, who owns its goals and where they may sit.

    The chain's rules live here as data (Nora's five levels are the default); `goals.chain` reads them.
    A level's key is fixed once it exists: goals store it.
    """

    key = models.SlugField(
        _("key"),
        max_length=20,
        unique=True,
        help_text=_('A short fixed name used in files and addresses, e.g. "council".'),
    )
    name = models.CharField(_("name"), max_length=100, validators=[refuse_control_characters])
    plural = models.CharField(_("name in plural"), max_length=100, validators=[refuse_control_characters])
    position = models.PositiveIntegerField(_("order"), default=0)
    owner_kinds = models.JSONField(
        _("owner kinds"), default=list, help_text=_("Which kinds of organisation may own its goals.")
    )
    parents = models.ManyToManyField(
        "self",
        verbose_name=_("may be placed under"),
        symmetrical=False,
        blank=True,
        related_name="child_levels",
        help_text=_("None: its goals are the top of the chain."),
    )
    owner_within_parent = models.BooleanField(
        _("owner within the parent goal's owner"),
        default=False,
        help_text=_("Its goals are owned by the organisation of their parent goal or one of its parts."),
    )
    is_headline = models.BooleanField(
        _("counted in the report's headline"),
        default=False,
        help_text=_("The level whose goals the annual report's headline counts."),
    )

    history = History(m2m_fields=["parents"])

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("goal level")
        verbose_name_plural = _("goal levels")
        constraints = [
            models.UniqueConstraint(
                fields=["is_headline"], condition=models.Q(is_headline=True), name="one_headline_level"
            )
        ]

    def __str__(self):
        return self.name


class GoalQuerySet(TreeQuerySet, InForceQuerySet):
    def in_tree_order(self):
        return self.order_by("tree_id", "lft")

    def of_level(self, level):
        return self.filter(level_kind=level)


# Kept by name: the tree service writes one history row for a goal and its categories together.
GOAL_HISTORY = History(excluded_fields=MPTT_FIELDS, m2m_fields=["categories"])


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
    level_kind = models.ForeignKey(
        GoalLevel,
        verbose_name=_("level"),
        to_field="key",
        db_column="level_kind",
        on_delete=models.PROTECT,
        related_name="goals",
    )
    title = models.CharField(_("title"), max_length=500, validators=[refuse_control_characters])
    key = models.SlugField(
        _("key"),
        max_length=KEY_MAX,
        unique=True,
        null=True,
        blank=True,
        help_text=_("A fixed name that files and revisions match it by; made from its number when empty."),
    )
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
    valid_from = validity_year(_("valid from (year)"))
    valid_to = validity_year(_("valid to (year)"))
    # A goal for god ekonomisk hushållning (KL 11 kap.): the annual report shows it in that section, beside
    # the verksamhetsmål, instead of among the goals the overview counts. Only on a level the council decides.
    is_financial = models.BooleanField(
        _("financial goal"),
        default=False,
        help_text=_(
            "A financial goal for god ekonomisk hushållning, e.g. the result as a share of tax revenue. "
            "Reported in its own section, not counted among the headline goals."
        ),
    )
    categories = models.ManyToManyField(
        Category, verbose_name=_("categories"), blank=True, related_name="goals", through=GoalCategory
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

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if not self.key:
            keys.give_key(self)

    def get_absolute_url(self):
        return reverse("goals:detail", args=[self.pk])

    @property
    def level_name(self):
        """The level's name in the municipality's own words (from the styrmodell, without a query)."""
        from .chain import styrmodell

        return styrmodell().name(self.level_kind_id)

    def clean(self):
        from .chain import chain_errors, financial_error

        errors = chain_errors(self.level_kind_id, self.parent, self.owner if self.owner_id else None)
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("The last valid year comes before the first.")
        if self.is_financial and (message := financial_error(self.level_kind_id)):
            errors["is_financial"] = message
        if errors:
            raise ValidationError(errors)


class EnteredByQuerySet(models.QuerySet):
    """Indicators, activities and assignments: their own owner enters their values or statuses, not their
    goal's owner
    (a board's indicator on a council goal is the board's to enter). The one place of that rule: `FIELD`
    names the organisation that enters, for lookups and counts across relations."""

    FIELD = "owner"

    def entered_by(self, organisation):
        """The rows whose values (an indicator) or statuses (an activity, an assignment) `organisation`
        enters."""
        return self.filter(**{self.FIELD: organisation})


class IndicatorQuerySet(EnteredByQuerySet, InForceQuerySet):
    pass


class Indicator(models.Model):
    """A measure that shows how a goal is going, decided (and its values entered) by its owner, who may be
    another organisation than the goal's owner."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("name"), max_length=300, validators=[refuse_control_characters])
    key = models.SlugField(
        _("key"),
        max_length=KEY_MAX,
        unique=True,
        null=True,
        blank=True,
        help_text=_("A fixed name that files and revisions match it by; made from its number when empty."),
    )
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

    class KoladaArea(models.TextChoices):
        MUNICIPALITIES = "K", _("Municipalities")
        REGIONS = "L", _("Regions")
        BOTH = "A", _("Municipalities and regions")

    # Kolada's "municipality_type" of the KPI: whom Kolada measures with it (from the KPI catalogue).
    kolada_municipality_type = models.CharField(
        _("Kolada measures"), max_length=1, blank=True, choices=KoladaArea.choices
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
    valid_from = validity_year(_("valid from (year)"))
    valid_to = validity_year(_("valid to (year)"))
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
    categories = models.ManyToManyField(
        Category,
        verbose_name=_("categories"),
        blank=True,
        related_name="indicators",
        through=IndicatorCategory,
    )
    position = models.PositiveIntegerField(_("order"), default=0)

    history = History()
    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["goal", "position", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if not self.key:
            keys.give_key(self)

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
    # A decided target changes only with a reason and the decision that changed it (goals.targets); the
    # history keeps every earlier version with its own.
    change_reason = models.TextField(
        _("reason for the change"),
        blank=True,
        max_length=COMMENT_MAX,
        validators=text_validators(COMMENT_MAX),
    )
    change_decision = models.CharField(
        _("decision on the change"),
        max_length=200,
        blank=True,
        help_text=_('The decision reference, e.g. "KS § 112 2026-05-12".'),
        validators=[refuse_control_characters],
    )
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True, editable=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
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
    """Something an organisation (its owner, whose status it is to report) does to reach a goal."""

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
    objects = IndicatorQuerySet.as_manager()

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


class Assignment(models.Model):
    """An assignment (uppdrag) the council gives an organisation, which reports its status every period.

    It may hang on a goal or stand on its own: the council gives assignments that belong to no goal. When
    its goal is deleted the assignment stays, without a goal (the council's decision still stands).
    Written through `goals.assignments`.
    """

    goal = models.ForeignKey(
        Goal,
        verbose_name=_("goal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignments",
        help_text=_("Empty: an assignment that belongs to no goal."),
    )
    title = models.CharField(_("title"), max_length=300, validators=[refuse_control_characters])
    description = markdown_description()
    decision = models.CharField(
        _("decision"),
        max_length=200,
        blank=True,
        help_text=_('The council\'s decision reference, e.g. "KF § 12 2025-02-17".'),
        validators=[refuse_control_characters],
    )
    owner = models.ForeignKey(
        Organisation, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="assignments"
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)

    history = History()
    objects = EnteredByQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("goals:assignments") + f"#assignment-{self.pk}"
