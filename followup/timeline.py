"""An indicator's values over time as the viewer may see them: the table's rows and the chart's points."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from goals.models import Target
from goals.numbers import format_number
from goals.targets import in_force, target_text

from .charts import trend_chart
from .models import KIND_ORDER, IndicatorValue, ReportingPeriod
from .rollup import Signal, indicator_signal

# Targets drawn on the chart: those with one bound to draw (a range or "ska öka" has none).
DRAWN = {Target.Comparison.AT_LEAST, Target.Comparison.AT_MOST, Target.Comparison.EXACTLY}


@dataclass
class TimelineRow:
    period: object
    total: str
    women: str
    men: str
    target: str
    signal: Signal
    source: str
    comment: str
    note: str = ""  # a late figure's or a revision's account ("hämtad från Kolada …, efter bokslutet")


@dataclass
class Timeline:
    rows: list
    chart: object
    hidden_open: bool  # values of open periods exist but are not shown to this viewer
    title: str = ""
    description: str = ""

    @property
    def years(self):
        return sorted({r.period.year for r in self.rows})


def timeline(indicator, *, show_open):
    """Every visible value of `indicator` in time order, with the year's target and signal; three queries."""
    values = IndicatorValue.objects.filter(indicator=indicator).select_related("period")
    visible = list(values if show_open else values.public())
    hidden_open = not show_open and len(visible) < values.count()
    targets = list(Target.objects.filter(indicator=indicator))
    decimals = indicator.decimals
    visible.sort(key=lambda v: v.period.sort_key)
    # "ska öka" compares with the year before's annual value.
    annual = {v.period.year: v.total for v in visible if v.period.kind == ReportingPeriod.Kind.ANNUAL}
    earlier = _before_revision(visible)
    rows = []
    for value in visible:
        target = in_force(targets, value.period.year)
        rows.append(
            TimelineRow(
                period=value.period,
                total=format_number(value.total, decimals),
                women=format_number(value.women, decimals),
                men=format_number(value.men, decimals),
                target=target_text(target, decimals),
                signal=indicator_signal(
                    value.total, target, year=value.period.year, previous=annual.get(value.period.year - 1)
                ),
                source=value.get_source_display(),
                comment=value.comment,
                note=_note(value, earlier.get(value.pk), decimals),
            )
        )
    chart = _chart(visible, targets, decimals)
    title = _("%(name)s over the years (%(unit)s)") % {"name": indicator.name, "unit": indicator.unit}
    return Timeline(rows, chart, hidden_open, title, _describe(chart))


def _before_revision(values):
    """{value id: its figures before Kolada revised them} from the value history; a query only if needed."""
    revised = {v.pk: v.version - 1 for v in values if v.revised_at is not None}
    if not revised:
        return {}
    rows = IndicatorValue.history.filter(id__in=revised).order_by("history_date")
    return {row.id: row for row in rows if row.version == revised[row.id]}


def _note(value, earlier, decimals):
    """What the table says beside a late or revised Kolada figure (empty for others)."""
    before = earlier.total if earlier is not None else None
    return value_note(
        value.source, value.late_at, value.revised_at, before, decimals, known=earlier is not None
    )


def value_note(source, late_at, revised_at, before, decimals, *, known=True):
    """The account of a Kolada figure added after closing or revised (the page's and the reports')."""
    if source != IndicatorValue.Source.KOLADA:
        return ""
    if late_at is not None:
        return _("fetched from Kolada %(date)s, after the books were closed") % {
            "date": f"{timezone.localdate(late_at):%Y-%m-%d}"
        }
    if revised_at is not None:
        note = _("revised by Kolada %(date)s") % {"date": f"{timezone.localdate(revised_at):%Y-%m-%d}"}
        if known:
            note += "; " + _("previously %(value)s") % {"value": format_number(before, decimals)}
        return note
    return ""


def _describe(chart):
    """The chart in words, for its <desc>: every point and every target."""
    if chart is None:
        return ""
    points = "; ".join(
        f"{p['year']}: {p['label']}" + (" " + _("(interim value)") if p["interim"] else "")
        for p in chart.value_points
    )
    text = _("Values by year: %(points)s.") % {"points": points}
    if chart.target_points:
        targets = "; ".join(f"{t['year']}: {t['label']}" for t in chart.target_points)
        text += " " + _("Targets: %(targets)s.") % {"targets": targets}
    return text


def _chart(values, targets, decimals):
    """One point a year: the annual value, or else the year's latest interim value (drawn hollow)."""
    by_year = {}
    for value in values:  # in time order, so the annual value (last in its year) wins
        if value.total is not None:
            by_year[value.period.year] = (value.period.year, value.total, value.period.is_interim)
    points = list(by_year.values())
    if not points:
        return None
    # Targets from the first value on, later years included: the line shows where the indicator is heading.
    shown_targets = [
        (year, t.value)
        for t in targets
        if t.comparison in DRAWN
        for year in range(max(t.from_year, min(by_year)), t.to_year + 1)
    ]
    return trend_chart(points, shown_targets, decimals)


# Trends on a goal's page ---------------------------------------------------------------------------------
# An interim value is compared only with the same interim period of earlier years (August with August),
# never with an annual value: a value eight months into the year is not a year's outcome.


def same_kind_before(period, years):
    """The periods of `period`'s kind in the `years` years before it, oldest first: what its values are
    compared with (an August interim with earlier Augusts, an annual period with earlier years)."""
    return ReportingPeriod.objects.filter(
        kind=period.kind, year__gte=period.year - years, year__lt=period.year
    ).order_by("year")


@dataclass
class Change:
    """How the latest value of a series compares with the one before it of the same kind of period."""

    earlier_year: int
    direction: str  # "up", "down" or "same"
    better: bool | None  # None when unchanged

    @property
    def text(self):
        values = {"year": self.earlier_year}
        if self.direction == "same":
            return _("The same as in %(year)s") % values
        if self.direction == "up":
            words = _("Higher than in %(year)s") % values
        else:
            words = _("Lower than in %(year)s") % values
        return f"{words} ({_('better') if self.better else _('worse')})"


@dataclass
class Series:
    """One kind of period's values of an indicator, year by year."""

    kind: str
    label: str
    points: list  # (year, value as text)
    change: Change | None


@dataclass
class IndicatorTrend:
    indicator: object
    series: list


def compare_same_kind(totals, higher_is_better):
    """`totals` [(year, total)] of one kind of period, in year order: the last against the one before."""
    known = [(year, total) for year, total in totals if total is not None]
    if len(known) < 2:
        return None
    (earlier_year, earlier), (_year, latest) = known[-2], known[-1]
    if latest == earlier:
        return Change(earlier_year, "same", None)
    up = latest > earlier
    return Change(earlier_year, "up" if up else "down", up == higher_is_better)


def trends_for(indicators, *, show_open, up_to=None):
    """Each indicator's values as one series per kind of period (annual first), up to the year `up_to` when
    given; one query for them all."""
    indicators = list(indicators)
    if not indicators:
        return []
    values = IndicatorValue.objects.filter(indicator__in=[i.pk for i in indicators]).select_related("period")
    if not show_open:
        values = values.public()
    if up_to is not None:
        values = values.filter(period__year__lte=up_to)
    by_indicator = {}
    for value in values.order_by():
        by_indicator.setdefault(value.indicator_id, []).append(value)
    kinds = sorted(ReportingPeriod.Kind, key=lambda k: (k != ReportingPeriod.Kind.ANNUAL, KIND_ORDER[k]))
    trends = []
    for indicator in indicators:
        found = sorted(by_indicator.get(indicator.pk, ()), key=lambda v: v.period.sort_key)
        series = []
        for kind in kinds:
            of_kind = [(v.period.year, v.total) for v in found if v.period.kind == kind]
            if not of_kind:
                continue
            higher = indicator.direction == indicator.Direction.HIGHER
            points = [(year, format_number(total, indicator.decimals)) for year, total in of_kind]
            series.append(Series(kind, kind.label, points, compare_same_kind(of_kind, higher)))
        if series:
            trends.append(IndicatorTrend(indicator, series))
    return trends
