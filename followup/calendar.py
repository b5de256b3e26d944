"""The reporting calendar: working days, the installation's period scheme, and a year's periods made from it.

The scheme is data (`SchemePeriod` with its `DeadlineStep`s), edited by controllers on the calendar page and
by admins in the admin. An installation starts with Nora's scheme (the data migration writes
`DEFAULT_SCHEME`): delår per 31 augusti and the annual report, each with deadlines staggered from the units
up to the council.
Deadlines are counted in working days after the cut-off: Monday to Friday, not a Swedish public holiday nor
one of the days that are free in practice (midsommarafton, julafton, nyårsafton), as the `holidays` package
knows them.
"""

import datetime
from dataclasses import dataclass, field
from functools import lru_cache

import holidays
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import record_event
from goals.models import Organisation

from . import services
from .models import PeriodDeadline, ReportingPeriod, SchemePeriod
from .permissions import can_manage_periods

# Nora's calendar: kind, cut-off (month, day), in use, steps (name, organisation kinds, organisation codes,
# working days after the cut-off). KS is a board by kind, so its step names it by code.
DEFAULT_SCHEME = (
    (
        "interim_april",
        (4, 30),
        False,
        (
            ("Enheter och förvaltningar", ["unit", "administration"], [], 8),
            ("Nämnder, utskott och bolag", ["board", "committee", "company"], [], 14),
            ("Kommunstyrelsen", [], ["KS"], 20),
            ("Kommunfullmäktige", ["council"], [], 30),
        ),
    ),
    (
        "interim_august",
        (8, 31),
        True,
        (
            ("Enheter och förvaltningar", ["unit", "administration"], [], 8),
            ("Nämnder, utskott och bolag", ["board", "committee", "company"], [], 14),
            ("Kommunstyrelsen", [], ["KS"], 20),
            ("Kommunfullmäktige", ["council"], [], 30),
        ),
    ),
    (
        "annual",
        (12, 31),
        True,
        (
            ("Enheter och förvaltningar", ["unit", "administration"], [], 20),
            ("Nämnder, utskott och bolag", ["board", "committee", "company"], [], 30),
            ("Kommunstyrelsen", [], ["KS"], 45),
            ("Kommunfullmäktige", ["council"], [], 70),
        ),
    ),
)
# Swedish days off as the holidays package files them: public holidays and the de facto free eves.
HOLIDAY_CATEGORIES = ("public", "de_facto")


def install_default_scheme(scheme_model, step_model):
    """Write `DEFAULT_SCHEME` into an empty calendar (the models may be a migration's)."""
    if scheme_model.objects.exists():
        return
    for kind, (month, day), in_use, steps in DEFAULT_SCHEME:
        period = scheme_model.objects.create(kind=kind, cutoff_month=month, cutoff_day=day, in_use=in_use)
        for position, (name, kinds, codes, days) in enumerate(steps):
            step_model.objects.create(
                scheme_period=period,
                position=position,
                name=name,
                organisation_kinds=kinds,
                organisation_codes=codes,
                working_days=days,
            )


# Working days ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def days_off(year):
    """{date: name} of the Swedish public holidays and free eves of `year` (weekends not included)."""
    return dict(holidays.Sweden(years=year, include_sundays=False, categories=HOLIDAY_CATEGORIES))


def is_working_day(day):
    return day.weekday() < 5 and day not in days_off(day.year)


def add_working_days(start, count):
    """The `count`th working day after `start` (`start` itself when count is 0, even on a day off); before
    it when `count` is negative."""
    day = start
    remaining = abs(count)
    step = datetime.timedelta(days=1 if count >= 0 else -1)
    while remaining > 0:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_until(today, day):
    """Working days from `today` to `day`: n when `day` is `add_working_days(today, n)`, negative when `day`
    is past (-1: the working day after it is today), 0 on the day."""
    step = 1 if day >= today else -1
    lower, upper = (today, day) if step == 1 else (day, today)
    count, current = 0, lower
    while current < upper:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            count += 1
    return step * count


def who_text(kinds, codes):
    """A step's organisations in words: its kinds' names, then the codes it names."""
    names = [str(Organisation.Kind(k).label).lower() for k in kinds if k in Organisation.Kind.values]
    return ", ".join([*names, *codes])


def step_rows(scheme, year):
    """(step, who in words, its deadline in `year`) of a calendar period, in order."""
    cutoff = scheme.cutoff(year)
    steps = sorted(scheme.steps.all(), key=lambda s: (s.position, s.pk))
    return [
        (
            step,
            who_text(step.organisation_kinds, step.organisation_codes),
            add_working_days(cutoff, step.working_days),
        )
        for step in steps
    ]


# A year's periods -----------------------------------------------------------------------------------------


@dataclass
class PlannedDeadline:
    position: int
    name: str
    organisation_kinds: list
    organisation_codes: list
    deadline: datetime.date


@dataclass
class PlannedPeriod:
    """A period the calendar makes for a year; `existing` is the stored one when it is there already."""

    year: int
    kind: str
    cutoff: datetime.date
    deadlines: list = field(default_factory=list)
    existing: ReportingPeriod | None = None

    @property
    def label(self):
        return f"{ReportingPeriod.Kind(self.kind).label} {self.year}"

    @property
    def deadline(self):
        """The period's own deadline: its last step's."""
        return max((d.deadline for d in self.deadlines), default=None)


def plan_periods(year):
    """The periods the calendar makes for `year`, in time order, each marked when it exists already."""
    schemes = sorted(
        SchemePeriod.objects.filter(in_use=True).prefetch_related("steps"), key=lambda s: s.sort_key
    )
    existing = {p.kind: p for p in ReportingPeriod.objects.filter(year=year)}
    planned = []
    for scheme in schemes:
        cutoff = scheme.cutoff(year)
        deadlines = [
            PlannedDeadline(
                position=position,
                name=step.name,
                organisation_kinds=list(step.organisation_kinds),
                organisation_codes=list(step.organisation_codes),
                deadline=add_working_days(cutoff, step.working_days),
            )
            for position, step in enumerate(sorted(scheme.steps.all(), key=lambda s: (s.position, s.pk)))
        ]
        planned.append(PlannedPeriod(year, scheme.kind, cutoff, deadlines, existing.get(scheme.kind)))
    return planned


@dataclass
class Created:
    """What `create_periods` did: the periods it created and those that were there already."""

    year: int
    created: list
    existing: list

    def lines(self):
        """The outcome as Swedish lines, for the command and the page's message."""
        lines = [
            _("Created %(period)s: cut-off %(cutoff)s, last deadline %(deadline)s.")
            % {
                "period": period,
                "cutoff": period.cutoff.isoformat(),
                "deadline": period.deadline.isoformat() if period.deadline else "–",
            }
            for period in self.created
        ]
        for period in self.existing:
            lines.append(_("%(period)s exists already; left as it is.") % {"period": period})
        if not self.created:
            lines.append(_("Nothing changed: the periods of %(year)d exist already.") % {"year": self.year})
        return lines


def create_periods(year, *, by=None):
    """Create `year`'s periods from the calendar with their staggered deadlines; those that exist stay as
    they are, so a second run changes nothing. All or nothing."""
    if not (by is None or can_manage_periods(by)):
        raise PermissionDenied
    if not 1900 <= year <= 2200:
        raise ValidationError(_("Enter a year between 1900 and 2200."))
    with transaction.atomic():
        plan = plan_periods(year)
        if not plan:
            raise ValidationError(_("The reporting calendar has no period in use."))
        created, existing = [], []
        for item in plan:
            if item.existing is not None:
                existing.append(item.existing)
                continue
            period = services.create_period(
                year=year, kind=item.kind, cutoff=item.cutoff, deadline=item.deadline, by=by
            )
            PeriodDeadline.objects.bulk_create(
                PeriodDeadline(
                    period=period,
                    position=d.position,
                    name=d.name,
                    organisation_kinds=d.organisation_kinds,
                    organisation_codes=d.organisation_codes,
                    deadline=d.deadline,
                )
                for d in item.deadlines
            )
            created.append(period)
        if created:
            record_event(
                "calendar.periods_created",
                _("Periods of %(year)d created from the reporting calendar: %(periods)s")
                % {"year": year, "periods": ", ".join(str(p) for p in created)},
                user=by,
            )
    return Created(year, created, existing)


# Whose deadline -------------------------------------------------------------------------------------------


def deadline_for(period, organisation, steps=None):
    """The day `organisation` reports `period` by: the step naming it by code, else the first step of its
    kind, else the period's own deadline. `steps`: the period's deadlines when read already."""
    steps = list(period.deadlines.all()) if steps is None else steps
    named = next((d for d in steps if organisation.code in d.organisation_codes), None)
    by_kind = next((d for d in steps if organisation.kind in d.organisation_kinds), None)
    chosen = named or by_kind
    return chosen.deadline if chosen else period.deadline


@transaction.atomic
def save_scheme_period(form, steps, *, by):
    """Save a calendar period's form and its steps' formset; an audit event says who changed the calendar."""
    if not can_manage_periods(by):
        raise PermissionDenied
    scheme = form.save()
    steps.instance = scheme
    steps.save()
    record_event(
        "calendar.changed",
        _("Reporting calendar changed: %(period)s") % {"period": scheme},
        user=by,
        obj=scheme,
    )
    return scheme
