"""A small server-rendered SVG trend chart: one point per year and the target line. Geometry only; the
template `followup/includes/trend_chart.html` draws it, and the page shows the same numbers as a table."""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from goals.numbers import format_number

# A narrow drawing: on a 390 px phone it is drawn about 360 px wide, so its 14-unit labels are 12.6 px as
# seen; on a wide screen the figure stops at 30rem (480 px), labels 17 px.
WIDTH, HEIGHT = 400, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 14, 16, 40
TICKS = 5


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    gridlines: list = field(default_factory=list)  # (y, label)
    year_labels: list = field(default_factory=list)  # (x, label)
    value_line: str = ""
    value_points: list = field(default_factory=list)  # dicts: x, y, label, interim
    target_line: str = ""
    target_points: list = field(default_factory=list)
    baseline: float = 0.0
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    label_x: int = LEFT - 8  # where the y axis' labels end
    year_y: int = HEIGHT - 14  # the baseline of the year labels

    @property
    def has_interim(self):
        return any(p["interim"] for p in self.value_points)


def nice_step(span, ticks=TICKS):
    """A round step (1, 2, 2.5 or 5 times a power of ten) that cuts `span` into about `ticks` parts."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def value_range(numbers):
    """The y axis from a round number below the values (zero unless they sit far above it) to one above."""
    low, high = min(numbers), max(numbers)
    # Start at zero unless that squashes the line into a sliver at the top (a population of 10 500–10 700).
    if low >= 0 and (high == 0 or low < high * 0.5):
        low = 0.0
    if high == low:
        high = low + (abs(low) or 1)
    step = nice_step(high - low)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def trend_chart(points, targets, decimals=0):
    """Geometry for `points` [(year, value, interim)] and `targets` [(year, value)]; None without points."""
    if not points:
        return None
    numbers = [float(v) for _, v, _ in points] + [float(t) for _, t in targets]
    low, high, step = value_range(numbers)
    years = sorted({y for y, _, _ in points} | {y for y, _ in targets})
    first, last = years[0], years[-1]
    width = WIDTH - LEFT - RIGHT
    bottom = HEIGHT - BOTTOM

    def x(year):
        return LEFT + (width / 2 if first == last else width * (year - first) / (last - first))

    def y(value):
        return TOP + (bottom - TOP) * (high - float(value)) / (high - low)

    chart = Chart(baseline=round(y(low), 1))
    tick = low
    while tick <= high + step / 1000:
        chart.gridlines.append(
            (round(y(tick), 1), format_number(Decimal(str(round(tick, 6))).normalize(), 0, exact=True))
        )
        tick += step
    chart.year_labels = [(round(x(year), 1), str(year)) for year in years]
    for year, value, interim in sorted(points, key=lambda p: p[0]):
        label = format_number(value, decimals)
        chart.value_points.append(
            {
                "year": year,
                "x": round(x(year), 1),
                "y": round(y(value), 1),
                "label": label,
                "interim": interim,
            }
        )
    # The line joins annual values only: a year's interim value stands beside it as a hollow point, never
    # joined to a year's outcome.
    chart.value_line = " ".join(f"{p['x']},{p['y']}" for p in chart.value_points if not p["interim"])
    for year, value in sorted(targets):
        px, py = round(x(year), 1), round(y(value), 1)
        # A short bar marks each year's target on the line (mark_x/mark_y: its top left corner).
        label = format_number(value, decimals, exact=True)
        chart.target_points.append(
            {"year": year, "x": px, "y": py, "mark_x": px - 5, "mark_y": py - 1.5, "label": label}
        )
    chart.target_line = " ".join(f"{p['x']},{p['y']}" for p in chart.target_points)
    return chart
