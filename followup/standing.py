"""The goal pages' view of the follow-up (registered in `goals.standing.READERS`): each goal's latest stated
judgement and each of its indicators' latest value, target and signal, as the viewer may see them.

Everyone sees closed periods and Kolada values; logged-in readers see open periods too
(`permissions.can_see_open_values`). Read in two queries for any number of goals (and one more per distinct
year whose "ska öka" targets need last year's value).
"""

from django.utils.translation import gettext as _

from goals.models import Target
from goals.numbers import format_number
from goals.standing import GoalStanding, IndicatorStanding
from goals.targets import in_force, target_text

from .models import IndicatorValue
from .permissions import can_see_open_values
from .rollup import indicator_signal, previous_totals
from .status import judgements_for

LAST_YEAR = {Target.Comparison.HIGHER_THAN_LAST_YEAR, Target.Comparison.LOWER_THAN_LAST_YEAR}


def latest_standing(goals, indicators, user):
    """{goal id: GoalStanding} for `goals`; `indicators` are theirs, with their targets prefetched."""
    show_open = can_see_open_values(user)
    goal_ids = [g.pk for g in goals]
    standing = {pk: GoalStanding() for pk in goal_ids}
    _judgements(standing, goal_ids, user)
    _indicators(standing, indicators, show_open)
    return standing


def _judgements(standing, goal_ids, user):
    """Each goal's latest judgement as `user` may see it: the one rule of `status.judgements_for`."""
    for goal_id, status in judgements_for(user, goal_ids).items():
        goal = standing[goal_id]
        goal.period = str(status.period)
        goal.judgement = str(status.label)
        goal.judgement_code, goal.analysis = status.judgement, status.analysis


def _indicators(standing, indicators, show_open):
    ids = [i.pk for i in indicators]
    values = IndicatorValue.objects.filter(indicator_id__in=ids, total__isnull=False).select_related("period")
    if not show_open:
        values = values.public()
    latest = {}
    for value in values.order_by():
        known = latest.get(value.indicator_id)
        if known is None or value.period.sort_key > known.period.sort_key:
            latest[value.indicator_id] = value
    targets = {i.pk: sorted(i.targets.all(), key=lambda t: t.from_year) for i in indicators}
    previous = _previous(latest, targets)
    for indicator in indicators:
        value = latest.get(indicator.pk)
        own = targets.get(indicator.pk, [])
        year = value.period.year if value else None
        target = in_force(own, year) if year else None
        shown = target or next((t for t in own if year is None or t.from_year > year), None)
        text = target_text(shown, indicator.decimals)
        if shown is not None and shown is not target:
            text = f"{text} ({shown.years_text})"
        signal = (
            indicator_signal(value.total, target, year=year, previous=previous.get((year, indicator.pk)))
            if value
            else None
        )
        standing[indicator.goal_id].indicators[indicator.pk] = IndicatorStanding(
            period=str(value.period) if value else "",
            value=format_number(value.total, indicator.decimals) if value else "",
            target=text,
            signal=signal.value if signal else "none",
            signal_label=str(signal.label) if signal else _("No value yet"),
        )


def _previous(latest, targets):
    """{(year, indicator id): last year's annual total} for the values judged against "ska öka"."""
    years = {}
    for indicator_id, value in latest.items():
        target = in_force(targets.get(indicator_id, []), value.period.year)
        if target is not None and target.comparison in LAST_YEAR:
            years.setdefault(value.period.year, []).append(indicator_id)
    found = {}
    for year, indicator_ids in years.items():
        for indicator_id, total in previous_totals(year, indicator_ids).items():
            found[(year, indicator_id)] = total
    return found
