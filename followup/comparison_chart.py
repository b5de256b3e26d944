"""An indicator beside its comparisons (followup.kolada_comparison): the table's rows and a line chart.

The chart reuses the trend chart's size and axis (`charts.value_range`): one line per series, ours solid
and the comparisons dashed in their own colours, each year labelled below. The template
`followup/includes/comparison.html` draws it and shows the same numbers as a table, with each series' credit.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from goals.numbers import format_number

from .charts import BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH, value_range
from .kolada_comparison import series_for

STYLES = (  # (colour, dash) for the comparisons in turn; ours is drawn solid in the app's blue
    ("#b45309", "6 4"),
    ("#2f855a", "2 3"),
    ("#6b21a8", "8 3 2 3"),
    ("#4a5568", "1 3"),
)
OURS = ("#0b3d5c", "")


@dataclass
class Line:
    label: str
    credit: str
    colour: str
    dash: str
    points: list = field(default_factory=list)  # dicts: x, y, year, label
    ours: bool = False

    @property
    def polyline(self):
        return " ".join(f"{p['x']},{p['y']}" for p in self.points)


@dataclass
class Comparison:
    years: list
    rows: list  # (year, [text per line])
    lines: list
    gridlines: list
    year_labels: list
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    label_x: int = LEFT - 8
    year_y: int = HEIGHT - 14
    title: str = ""
    description: str = ""

    @property
    def credits(self):
        return list(dict.fromkeys(line.credit for line in self.lines if line.credit))


def comparison(indicator, ours, municipality):
    """`indicator`'s annual values `ours` {year: Decimal} beside its comparisons; None without any.

    The comparisons are shown for the years we show (all their years when we show none)."""
    found = series_for([indicator]).get(indicator.pk, [])
    if not found:
        return None
    years = sorted(ours) or sorted({year for series in found for year in series.points})
    found = [s for s in found if any(year in s.points for year in years)]
    if not found:
        return None
    decimals = indicator.decimals
    lines = [Line(municipality, "", *OURS, ours=True)]
    values = [dict(ours)]
    for index, series in enumerate(found):
        lines.append(Line(series.label, series.credit, *STYLES[index % len(STYLES)]))
        values.append(series.points)
    numbers = [float(v) for by_year in values for y, v in by_year.items() if y in years]
    low, high, step = value_range(numbers)
    first, last = years[0], years[-1]
    span, bottom = WIDTH - LEFT - RIGHT, HEIGHT - BOTTOM

    def x(year):
        return round(LEFT + (span / 2 if first == last else span * (year - first) / (last - first)), 1)

    def y(value):
        return round(TOP + (bottom - TOP) * (high - float(value)) / (high - low), 1)

    for line, by_year in zip(lines, values, strict=True):
        line.points = [
            {
                "year": year,
                "x": x(year),
                "y": y(by_year[year]),
                "mark_x": round(x(year) - 4, 1),  # a comparison's square mark: its top left corner
                "mark_y": round(y(by_year[year]) - 4, 1),
                "label": format_number(by_year[year], decimals),
            }
            for year in years
            if by_year.get(year) is not None
        ]
    gridlines, tick = [], low
    while tick <= high + step / 1000:
        label = format_number(Decimal(str(round(tick, 6))).normalize(), 0, exact=True)
        gridlines.append((y(tick), label))
        tick += step
    rows = [
        (
            year,
            [
                format_number(by_year[year], decimals) if by_year.get(year) is not None else ""
                for by_year in values
            ],
        )
        for year in years
    ]
    described = "; ".join(
        f"{line.label}: " + ", ".join(f"{p['year']} {p['label']}" for p in line.points) for line in lines
    )
    return Comparison(
        years=years,
        rows=rows,
        lines=lines,
        gridlines=gridlines,
        year_labels=[(x(year), str(year)) for year in years],
        title=_("%(name)s compared (%(unit)s)") % {"name": indicator.name, "unit": indicator.unit},
        description=described + ".",
    )
