"""The follow-up cycle: the reporting calendar, periods, indicator values, activity status and assessments."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from goals.models import Activity, Assignment, Goal, History, Indicator, Organisation
from goals.textinput import ANALYSIS_MAX, COMMENT_MAX, refuse_control_characters, text_validators

from .permissions import can_approve, can_comment, can_see_open_values, can_write_follow_up


class PeriodQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(state=ReportingPeriod.State.CLOSED)

    def closed(self):
        return self.filter(state=ReportingPeriod.State.CLOSED)

    def annual(self):
        return self.filter(kind=ReportingPeriod.Kind.ANNUAL)


# The order of a year's periods in time (the kind's code sorts "annual" first).
KIND_ORDER = {"interim_april": 0, "interim_august": 1, "annual": 2}


class ReportingPeriod(models.Model):
    """A delår or årsbokslut of one year. Nothing in a closed period can change."""

    class Kind(models.TextChoices):
        INTERIM_APRIL = "interim_april", _("Interim report per 30 April")
        INTERIM_AUGUST = "interim_august", _("Interim report per 31 August")
        ANNUAL = "annual", _("Annual report")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The day the report is made per (delår per 31 augusti), from the calendar when the period was created.
    cutoff = models.DateField(_("cut-off date"), null=True, blank=True)
    deadline = models.DateField(_("reporting deadline"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    reopen_reason = models.TextField(
        _("reason for reopening"), blank=True, max_length=COMMENT_MAX, validators=text_validators(COMMENT_MAX)
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "kind"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [models.UniqueConstraint(fields=["year", "kind"], name="one_period_per_year_and_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year}"

    def get_absolute_url(self):
        return reverse("followup:period", args=[self.pk])

    @property
    def is_open(self):
        return self.state != self.State.CLOSED

    @property
    def is_reopened(self):
        return self.state == self.State.REOPENED

    @property
    def is_interim(self):
        return self.kind != self.Kind.ANNUAL

    @property
    def sort_key(self):
        """Orders periods in time: a year's interim reports before its annual report."""
        return (self.year, KIND_ORDER.get(self.kind, 9))


def organisation_kinds_errors(kinds):
    """Messages for a list of organisation kinds that holds anything but `Organisation.Kind` values."""
    if not isinstance(kinds, list) or any(k not in Organisation.Kind.values for k in kinds):
        return [
            _("Choose among the organisation kinds: %(kinds)s.")
            % {"kinds": ", ".join(Organisation.Kind.values)}
        ]
    return []


class SchemePeriod(models.Model):
    """One period of the installation's reporting calendar: its kind, its cut-off day in the year, whether the
    installation reports it. `followup.calendar` makes a year's periods from these rows."""

    kind = models.CharField(_("kind"), max_length=20, choices=ReportingPeriod.Kind.choices, unique=True)
    cutoff_month = models.PositiveSmallIntegerField(
        _("cut-off month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    cutoff_day = models.PositiveSmallIntegerField(
        _("cut-off day"), validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    in_use = models.BooleanField(_("in use"), default=True, help_text=_("Create this period every year."))

    history = History()

    class Meta:
        verbose_name = _("period in the reporting calendar")
        verbose_name_plural = _("periods in the reporting calendar")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.cutoff_day}/{self.cutoff_month})"

    @property
    def sort_key(self):
        return KIND_ORDER.get(self.kind, 9)

    def cutoff(self, year):
        """The cut-off date in `year`; 29 February falls back to the 28th in other years."""
        day = self.cutoff_day
        if self.cutoff_month == 2 and day == 29 and not _is_leap(year):
            day = 28
        return datetime.date(year, self.cutoff_month, day)

    def clean(self):
        if self.cutoff_month and self.cutoff_day:
            try:
                datetime.date(2024, self.cutoff_month, self.cutoff_day)  # a leap year: 29 February exists
            except ValueError:
                raise ValidationError({"cutoff_day": _("That day does not exist in that month.")}) from None


def _is_leap(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


class DeadlineStep(models.Model):
    """One step of a calendar period's staggered deadlines: which organisations report by it, counted in
    working days after the cut-off. Organisations match by kind, or by code where a step names them (a step
    for the municipal executive board, which is a board by kind)."""

    scheme_period = models.ForeignKey(
        SchemePeriod, verbose_name=_("calendar period"), on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=100, validators=[refuse_control_characters])
    organisation_kinds = models.JSONField(
        _("organisation kinds"),
        default=list,
        blank=True,
        help_text=_("Which kinds of organisation report by it."),
    )
    organisation_codes = models.JSONField(
        _("organisations"),
        default=list,
        blank=True,
        help_text=_("Codes of organisations that report by this step whatever their kind."),
    )
    working_days = models.PositiveSmallIntegerField(
        _("working days after the cut-off"), validators=[MaxValueValidator(250)]
    )

    history = History()

    class Meta:
        ordering = ["scheme_period", "position", "pk"]
        verbose_name = _("deadline step")
        verbose_name_plural = _("deadline steps")

    def __str__(self):
        return f"{self.name}: {self.working_days}"

    def clean(self):
        errors = organisation_kinds_errors(self.organisation_kinds)
        if errors:
            raise ValidationError({"organisation_kinds": errors})
        if not isinstance(self.organisation_codes, list) or not all(
            isinstance(c, str) for c in self.organisation_codes
        ):
            raise ValidationError({"organisation_codes": _("A list of organisation codes.")})


class PeriodDeadline(models.Model):
    """A period's deadline for one step, as the calendar made it when the period was created (a later change
    of the calendar leaves created periods as they are)."""

    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="deadlines"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=100)
    organisation_kinds = models.JSONField(_("organisation kinds"), default=list, blank=True)
    organisation_codes = models.JSONField(_("organisations"), default=list, blank=True)
    deadline = models.DateField(_("deadline"))

    class Meta:
        ordering = ["period", "position", "pk"]
        verbose_name = _("period deadline")
        verbose_name_plural = _("period deadlines")

    def __str__(self):
        return f"{self.period} {self.name}: {self.deadline:%Y-%m-%d}"

    def applies_to(self, organisation):
        return organisation.code in self.organisation_codes or organisation.kind in self.organisation_kinds


class ValueQuerySet(models.QuerySet):
    def public(self):
        """Values anyone may see: those of closed periods, and those imported from Kolada (already public)."""
        return self.filter(
            models.Q(period__state=ReportingPeriod.State.CLOSED)
            | models.Q(source=IndicatorValue.Source.KOLADA)
        )


class VersionedRecord(models.Model):
    """Who saved a follow-up row last, when, and its version for conflict detection."""

    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Raised by one on every save; a save that names an older version is a conflict.
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True


class ImportedRecord(models.Model):
    """Where a follow-up row brought in from a file came from: the file, its SHA-256, who and when."""

    import_file = models.CharField(_("imported from file"), max_length=255, blank=True)
    import_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def was_imported(self):
        return bool(self.import_sha256)


class IndicatorValue(ImportedRecord, VersionedRecord):
    """An indicator's actual value (utfall) in one period: total, or total/women/men where split; the file
    it was last imported from, if any (`ImportedRecord`, cleared when it is written another way)."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered")
        KOLADA = "kolada", _("Kolada")
        FILE = "file", _("Uploaded file")

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="values"
    )
    total = models.DecimalField(_("total"), max_digits=16, decimal_places=4, null=True, blank=True)
    women = models.DecimalField(_("women"), max_digits=16, decimal_places=4, null=True, blank=True)
    men = models.DecimalField(_("men"), max_digits=16, decimal_places=4, null=True, blank=True)
    comment = models.TextField(
        _("comment"), blank=True, max_length=COMMENT_MAX, validators=text_validators(COMMENT_MAX)
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    # A Kolada figure added to an annual period after it was closed (`services.add_late_figures`): when.
    late_at = models.DateTimeField(_("added after closing"), null=True, blank=True)
    # When Kolada's figure replaced an earlier Kolada figure; the earlier one is the history row before.
    revised_at = models.DateTimeField(_("revised by Kolada"), null=True, blank=True)

    objects = ValueQuerySet.as_manager()
    history = History()

    class Meta:
        ordering = ["indicator", "period"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="one_value_per_indicator_and_period")
        ]

    def __str__(self):
        return f"{self.indicator}: {self.total} ({self.period})"


class KoladaDifferenceQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=KoladaDifference.State.OPEN)


class KoladaDifference(models.Model):
    """Kolada's figure for a place where someone typed another one: kept for a controller to resolve.

    The typed value is never overwritten by a fetch; a controller keeps ours or takes Kolada's
    (`followup.differences`). One row per indicator, period, gender and pair of figures.
    """

    class Gender(models.TextChoices):
        TOTAL = "total", _("total")
        WOMEN = "women", _("women")
        MEN = "men", _("men")

    class State(models.TextChoices):
        OPEN = "open", _("To resolve")
        KEPT = "kept", _("Ours kept")
        TAKEN = "taken", _("Kolada's taken")

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="kolada_differences"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="kolada_differences"
    )
    gender = models.CharField(_("gender"), max_length=5, choices=Gender.choices)
    typed_value = models.DecimalField(_("our value"), max_digits=16, decimal_places=4, null=True, blank=True)
    kolada_value = models.DecimalField(_("Kolada's value"), max_digits=16, decimal_places=4)
    fetched_at = models.DateTimeField(_("fetched at"))
    state = models.CharField(_("state"), max_length=5, choices=State.choices, default=State.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    objects = KoladaDifferenceQuerySet.as_manager()

    class Meta:
        ordering = ["fetched_at", "pk"]
        verbose_name = _("difference from Kolada")
        verbose_name_plural = _("differences from Kolada")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "gender"],
                condition=models.Q(state="open"),
                name="one_open_kolada_difference_per_place",
            )
        ]

    def __str__(self):
        return f"{self.indicator} {self.period} {self.gender}: {self.typed_value} / {self.kolada_value}"

    @property
    def is_open(self):
        return self.state == self.State.OPEN


class WorkStatus(models.TextChoices):
    """How an activity or an assignment stands."""

    NOT_STARTED = "not_started", _("Not started")
    ONGOING = "ongoing", _("Ongoing")
    DONE = "done", _("Done")
    DELAYED = "delayed", _("Delayed")
    CANCELLED = "cancelled", _("Cancelled")


class StatusRecord(VersionedRecord):
    """A status and a comment in one period, reported by the item's owner (an activity, an assignment)."""

    Status = WorkStatus

    status = models.CharField(
        _("status"), max_length=20, choices=WorkStatus.choices, default=WorkStatus.NOT_STARTED
    )
    comment = models.TextField(
        _("comment"), blank=True, max_length=COMMENT_MAX, validators=text_validators(COMMENT_MAX)
    )

    class Meta:
        abstract = True


class ActivityStatus(ImportedRecord, StatusRecord):
    """How an activity stands in one period."""

    ITEM = "activity"  # the field naming what the status is of (services.status_kinds)

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="statuses"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="activity_statuses"
    )

    history = History()

    class Meta:
        ordering = ["activity", "period"]
        verbose_name = _("activity status")
        verbose_name_plural = _("activity statuses")
        constraints = [
            models.UniqueConstraint(fields=["activity", "period"], name="one_status_per_activity_and_period")
        ]

    def __str__(self):
        return f"{self.activity}: {self.get_status_display()} ({self.period})"


class AssignmentStatus(StatusRecord):
    """How a council assignment stands in one period, as its owner reports it."""

    ITEM = "assignment"

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="statuses"
    )
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("period"),
        on_delete=models.PROTECT,
        related_name="assignment_statuses",
    )

    history = History()

    class Meta:
        ordering = ["assignment", "period"]
        verbose_name = _("assignment status")
        verbose_name_plural = _("assignment statuses")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "period"], name="one_status_per_assignment_and_period"
            )
        ]

    def __str__(self):
        return f"{self.assignment}: {self.get_status_display()} ({self.period})"


class AssessmentQuerySet(models.QuerySet):
    def stated(self):
        """Judgements their body has stated (submitted or approved); a draft may still change."""
        return self.filter(state__in=Assessment.STATED)

    def public(self):
        """Judgements anyone may read: approved, in a closed period."""
        return self.filter(state=Assessment.State.APPROVED, period__state=ReportingPeriod.State.CLOSED)

    def visible_to(self, user):
        """The judgements `user` reads: stated ones with a role (`can_see_open_values`), else the public."""
        return self.stated() if can_see_open_values(user) else self.public()


class Assessment(ImportedRecord, VersionedRecord):
    """The responsible body's judgement of a goal in one period: draft → submitted → approved."""

    class Judgement(models.TextChoices):
        MET = "met", _("Met")
        PARTLY_MET = "partly_met", _("Partly met")
        NOT_MET = "not_met", _("Not met")
        NOT_ASSESSED = "not_assessed", _("Not assessed")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")

    # A judgement its body has stated: it counts for a parent goal's suggestion and is shown to staff.
    STATED = (State.SUBMITTED, State.APPROVED)

    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="assessments"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="assessments"
    )
    judgement = models.CharField(
        _("judgement"), max_length=20, choices=Judgement.choices, default=Judgement.NOT_ASSESSED
    )
    analysis = models.TextField(
        _("analysis"), blank=True, max_length=ANALYSIS_MAX, validators=text_validators(ANALYSIS_MAX)
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    # A judgement brought from an earlier system that stated no analysis: kept as history, marked as such.
    analysis_missing = models.BooleanField(_("analysis missing in the source"), default=False)
    return_comment = models.TextField(
        _("comment when sent back"),
        blank=True,
        max_length=COMMENT_MAX,
        validators=text_validators(COMMENT_MAX),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = AssessmentQuerySet.as_manager()
    history = History()

    class Meta:
        ordering = ["period", "goal"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["goal", "period"], name="one_assessment_per_goal_and_period")
        ]

    def __str__(self):
        return f"{self.goal}: {self.get_judgement_display()} ({self.period})"

    # The judgement's way (docs/assessment-rule.md): draft → submitted → approved, and a controller sends a
    # submitted or approved judgement back to draft. These say what the state allows, the can_* who may.
    @property
    def is_draft(self):
        """Only a draft can be edited or submitted."""
        return self.state == self.State.DRAFT

    @property
    def is_submitted(self):
        """Only a submitted judgement can be approved."""
        return self.state == self.State.SUBMITTED

    @property
    def is_returnable(self):
        return self.state in {self.State.SUBMITTED, self.State.APPROVED}

    @property
    def was_sent_back(self):
        return self.is_draft and bool(self.return_comment)

    def _open_and(self, allowed):
        return self.period.is_open and allowed

    def can_edit(self, user):
        """May `user` change the judgement and analysis now? (An unsaved one is a draft too.)"""
        return self._open_and(self.is_draft and can_write_follow_up(user, self.goal.owner))

    def can_submit(self, user):
        """May `user` submit it for approval now? (The analysis rule is `services.analysis_required`.)"""
        return self.can_edit(user)

    def can_approve(self, user):
        return self._open_and(self.is_submitted and can_approve(user))

    def can_return(self, user):
        return self._open_and(self.is_returnable and can_approve(user))

    def can_comment(self, user):
        """May `user` write in the judgement's dialogue now? Nothing in a closed period changes."""
        return self.pk is not None and self._open_and(can_comment(user, self.goal.owner))


class AssessmentComment(models.Model):
    """A message in a judgement's dialogue between its board and the controllers; never changed afterwards."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("judgement"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    text = models.TextField(_("comment"), max_length=COMMENT_MAX, validators=text_validators(COMMENT_MAX))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment on a judgement")
        verbose_name_plural = _("comments on judgements")

    def __str__(self):
        return f"{self.assessment}: {self.author} {self.created_at:%Y-%m-%d %H:%M}"


class KoladaFetch(models.Model):
    """One fetch from Kolada's API, asked for on the Kolada page and run by the task worker."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Fetching")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    # Set on the weekly fetch the worker plans itself (NORAMAL_KOLADA_FETCH_DAYS): when it is due.
    scheduled_for = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    dry_run = models.BooleanField(_("check only"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # The import report as the page shows it (followup.imports.ImportReport.for_page).
    report = models.JSONField(_("report"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("fetch from Kolada")
        verbose_name_plural = _("fetches from Kolada")

    def __str__(self):
        return f"{self.requested_at:%Y-%m-%d %H:%M} {self.get_state_display()}"

    @property
    def is_unfinished(self):
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def is_planned(self):
        """A scheduled fetch that is not due yet."""
        return self.state == self.State.QUEUED and self.scheduled_for is not None and not self.is_due

    @property
    def is_due(self):
        from django.utils import timezone

        return self.scheduled_for is None or self.scheduled_for <= timezone.now()

    @property
    def is_done(self):
        return self.state == self.State.DONE

    @property
    def is_failed(self):
        return self.state == self.State.FAILED


class SentMail(models.Model):
    """One e-mail the app sent (a reminder digest or a notice): to whom, when, why. `key` says which
    reminder or notice it was, so that the same one is never sent twice."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        WEEKLY = "weekly", _("Weekly reminder")
        CLOSING = "closing", _("Period about to close")
        RETURNED = "returned", _("Judgement sent back")
        APPROVED = "approved", _("Judgement approved")
        COMMENT = "comment", _("New comment on a judgement")

    key = models.CharField(_("key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    reason = models.CharField(_("why"), max_length=300, blank=True)
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("period"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("sent e-mail")
        verbose_name_plural = _("sent e-mails")

    def __str__(self):
        return f"{self.sent_at:%Y-%m-%d %H:%M} {self.to}: {self.subject}"


class CalendarFeed(models.Model):
    """A user's secret address of their deadlines as an iCalendar feed; a new address replaces the old."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"{self.user}"

    def get_absolute_url(self):
        return reverse("followup:feed", args=[self.token])


from .kolada_models import KoladaComparison, KoladaComparisonValue  # noqa: E402, F401 - registered here
