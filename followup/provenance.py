"""Where a figure of a report comes from: a value, a judgement or a target, with who, when, from which
source or file, against which decided target, who approved it, and its history.

Who may read it is who may read the object itself:
- a value: anyone when it is public (`IndicatorValue.objects.public`: a closed period, or Kolada's), else
  those who read open periods (`can_see_open_values`);
- a judgement: `Assessment.objects.visible_to` (approved in a closed period for anyone; stated ones for those
  with a role; a draft for no one here, since no report states it);
- a target: anyone, like the goal chain it belongs to.

Personal data: people are named only to signed-in users with a role (`can_read`); the public sees the
organisation that answers for the figure and the role that acted ("a controller"), the dates, the source,
the file's name and its SHA-256 (which the public judgement page already shows). `refusal` says what a
visitor who may not read the object gets.
"""

from dataclasses import dataclass, field

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from goals.models import Target
from goals.numbers import format_number
from goals.targets import in_force, span_text, target_text

from .models import Assessment, IndicatorValue, KoladaFetch
from .permissions import can_read, can_see_open_values


@dataclass
class Step:
    """One row of an object's history: when, by whom (as this reader may see it), what it said then."""

    when: object
    who: str
    what: str


@dataclass
class Fact:
    """One line of a provenance page: a label and its text, with a link where there is one."""

    label: str
    text: str
    url: str = ""


@dataclass
class Provenance:
    """What a provenance page shows."""

    kind: str  # "value", "judgement" or "target"
    title: str
    facts: list
    history: list = field(default_factory=list)
    target: object = None  # the Target a value or judgement is set against, when there is one
    names_shown: bool = False


class Refused(Exception):  # noqa: N818 - it names the situation
    """The reader may not read the object."""


def refusal(request):
    """The answer to a visitor who may not read the object: sign in, or 403 for a signed-in user."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _person(user, names_shown, fallback):
    if user is None:
        return fallback
    if not names_shown:
        return fallback
    return user.get_full_name() or user.get_username()


def _number(value, decimals):
    return format_number(value, decimals) if value is not None else "–"


def _figures(row, indicator):
    text = _number(row.total, indicator.decimals)
    if indicator.gender_split and (row.women is not None or row.men is not None):
        text += (
            " ("
            + _("women %(women)s, men %(men)s")
            % {
                "women": _number(row.women, indicator.decimals),
                "men": _number(row.men, indicator.decimals),
            }
            + ")"
        )
    return text


def _organisation(organisation):
    return f"{organisation.name} ({organisation.code})"


def _indicator_facts(indicator):
    """The indicator, with a link to its page, and its goal: the first facts of a value or a target."""
    return [
        Fact(
            _("Indicator"),
            f"{indicator.name} ({indicator.unit})",
            reverse("followup:indicator", args=[indicator.pk]),
        ),
        Fact(_("Goal"), indicator.goal.title, indicator.goal.get_absolute_url()),
    ]


def _import_fact(record, names, owner):
    """The file an imported row came from: its name, when, by whom and its SHA-256."""
    text = _("%(file)s, %(when)s by %(who)s (SHA-256 %(sha)s)") % {
        "file": record.import_file,
        "when": _when(record.imported_at),
        "who": _person(record.imported_by, names, owner),
        "sha": record.import_sha256,
    }
    return Fact(_("Imported from the file"), text)


# --- A value -----------------------------------------------------------------------------------------------


def value_provenance(pk, user):
    """The provenance of the indicator value `pk` for `user`; raises DoesNotExist, or Refused."""
    value = IndicatorValue.objects.select_related(
        "indicator__goal", "indicator__owner", "period", "updated_by", "imported_by"
    ).get(pk=pk)
    public = IndicatorValue.objects.public().filter(pk=pk).exists()
    if not public and not can_see_open_values(user):
        raise Refused
    names = can_read(user)
    indicator, period = value.indicator, value.period
    owner = _organisation(indicator.owner)
    facts = [
        *_indicator_facts(indicator),
        Fact(_("Period"), str(period)),
        Fact(_("Value"), _figures(value, indicator)),
        Fact(_("Source"), _source_text(value)),
        Fact(_("Responsible for the value"), owner),
    ]
    if value.source == IndicatorValue.Source.KOLADA:
        facts.append(Fact(_("Fetched from Kolada"), _when(value.late_at or value.updated_at)))
        fetch = _fetch_of(value)
        if fetch is not None:
            facts.append(Fact(_("Kolada fetch"), _("started %(start)s, finished %(end)s") % {
                "start": _when(fetch.started_at), "end": _when(fetch.finished_at)}))  # fmt: skip
        if value.revised_at:
            facts.append(Fact(_("Revised by Kolada"), _when(value.revised_at)))
    else:
        who = _person(value.updated_by, names, owner)
        facts.append(
            Fact(_("Entered by"), _("%(who)s, %(when)s") % {"who": who, "when": _when(value.updated_at)})
        )
    if value.was_imported:
        facts.append(_import_fact(value, names, owner))
    target = in_force(list(Target.objects.filter(indicator=indicator).order_by("from_year")), period.year)
    facts += _target_facts(target, indicator)
    history = [
        Step(row.history_date, _person(row.history_user, names, owner), _value_step(row, indicator))
        for row in IndicatorValue.history.filter(id=pk)
        .select_related("history_user")
        .order_by("history_date")
    ]
    title = _("Value of %(indicator)s, %(period)s") % {"indicator": indicator.name, "period": period}
    return Provenance("value", title, facts, history, target, names)


def _source_text(value):
    if value.source == IndicatorValue.Source.KOLADA:
        kpi = value.indicator.kolada_kpi
        return _("Kolada (%(kpi)s)") % {"kpi": kpi} if kpi else _("Kolada")
    return str(value.get_source_display())


def _fetch_of(value):
    """The fetch from Kolada that was running when the value was written, if it came from one."""
    written = value.late_at or value.updated_at
    return (
        KoladaFetch.objects.filter(started_at__lte=written, finished_at__gte=written, dry_run=False)
        .order_by("-started_at")
        .first()
    )


def _value_step(row, indicator):
    kind = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}[row.history_type]
    text = f"{kind}: {_figures(row, indicator)} · {IndicatorValue.Source(row.source).label}"
    if row.import_file:
        text += f" · {row.import_file}"
    return text


def _target_facts(target, indicator):
    if target is None:
        return [Fact(_("Target"), _("No target in force for the period."))]
    facts = [
        Fact(
            _("Target"),
            f"{span_text(target.from_year, target.to_year)}: {target_text(target, indicator.decimals)}",
            reverse("followup:provenance_target", args=[target.pk]),
        ),
        Fact(_("Decision"), indicator.goal.decision or _("No decision recorded on the goal.")),
    ]
    if target.changed_at:
        facts.append(Fact(_("Target changed"), f"{target.change_decision}: {target.change_reason}"))
    return facts


# --- A judgement -------------------------------------------------------------------------------------------


def judgement_provenance(pk, user):
    """The provenance of the judgement (Assessment) `pk`; raises Assessment.DoesNotExist or Refused."""
    assessment = Assessment.objects.select_related(
        "goal__owner", "period", "submitted_by", "approved_by", "imported_by", "updated_by"
    ).get(pk=pk)
    if not Assessment.objects.visible_to(user).filter(pk=pk).exists():
        raise Refused
    names = can_read(user)
    goal, period = assessment.goal, assessment.period
    owner = _organisation(goal.owner)
    facts = [
        Fact(_("Goal"), goal.title, goal.get_absolute_url()),
        Fact(_("Period"), str(period)),
        Fact(_("Judgement"), str(assessment.get_judgement_display())),
        Fact(_("State"), str(assessment.get_state_display())),
        Fact(_("Responsible for the judgement"), owner),
        Fact(_("Decision"), goal.decision or _("No decision recorded on the goal.")),
    ]
    if assessment.submitted_at:
        who = _person(assessment.submitted_by, names, owner)
        facts.append(Fact(_("Submitted by"), f"{who}, {_when(assessment.submitted_at)}"))
    if assessment.approved_at:
        who = _person(assessment.approved_by, names, _("a controller"))
        facts.append(Fact(_("Approved by"), f"{who}, {_when(assessment.approved_at)}"))
        facts.append(
            Fact(_("Four eyes"), _("Approved by another person than those who wrote or submitted it."))
        )
    if assessment.was_imported:
        facts.append(_import_fact(assessment, names, owner))
    rows = Assessment.history.filter(id=pk).select_related("history_user").order_by("history_date")
    history = [
        Step(row.history_date, _person(row.history_user, names, owner), _judgement_step(row)) for row in rows
    ]
    title = _("Judgement of %(goal)s, %(period)s") % {"goal": goal.title, "period": period}
    return Provenance("judgement", title, facts, history, None, names)


def _judgement_step(row):
    kind = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}[row.history_type]
    return f"{kind}: {Assessment.Judgement(row.judgement).label} · {Assessment.State(row.state).label}"


# --- A target ----------------------------------------------------------------------------------------------


def target_provenance(pk, user):
    """The provenance of the target `pk`: readable by anyone, like the goal chain."""
    target = Target.objects.select_related("indicator__goal", "indicator__owner", "changed_by").get(pk=pk)
    names = can_read(user)
    indicator = target.indicator
    owner = _organisation(indicator.owner)
    facts = [
        *_indicator_facts(indicator),
        Fact(_("Years"), span_text(target.from_year, target.to_year)),
        Fact(_("Target"), target_text(target, indicator.decimals, tolerance=True)),
        Fact(_("Decision"), indicator.goal.decision or _("No decision recorded on the goal.")),
    ]
    if target.changed_at:
        who = _person(target.changed_by, names, owner)
        facts += [
            Fact(_("Changed by"), f"{who}, {_when(target.changed_at)}"),
            Fact(_("Decision on the change"), target.change_decision),
            Fact(_("Reason for the change"), target.change_reason),
        ]
    rows = Target.history.filter(id=pk).select_related("history_user").order_by("history_date")
    history = [Step(row.history_date, _person(row.history_user, names, owner), _target_step(row, indicator))
               for row in rows]  # fmt: skip
    title = _("Target of %(indicator)s, %(years)s") % {
        "indicator": indicator.name,
        "years": span_text(target.from_year, target.to_year),
    }
    return Provenance("target", title, facts, history, target, names)


def _target_step(row, indicator):
    kind = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}[row.history_type]
    text = f"{kind}: {target_text(row, indicator.decimals, years=True)}"
    if row.change_decision or row.change_reason:
        text += f" · {row.change_decision}: {row.change_reason}"
    return text


def _when(moment):
    if moment is None:
        return "–"
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
