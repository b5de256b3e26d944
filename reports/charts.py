"""Small line charts for the indicator tables, as inline SVG strings.

Each chart is at most four paths (the target line, the line, the earlier years' dots, the report period's
dot) and two labels (the first and the latest value) whatever the number of values: WeasyPrint's cost
per SVG grows with its number of elements, and a large report has a thousand charts.
A stacked bar (`stacked_bar`) shows the overview's goals by judgement, each part with its number.
The chart's <title> carries the same numbers as the table beside it, so that the tagged PDF's figure has
alternative text.
"""

from decimal import Decimal

from django.utils.html import escape

from goals.numbers import format_number

WIDTH, HEIGHT = 72, 24
LABELS = 8  # the row under the plot that carries the first and the last value in words
LABEL_COLOUR = "#3d4a55"
PAD = 3  # room around the plot so that dots at the edges are whole
DOT = 2  # half a dot's side
TARGET_COLOUR = "#a3340f"
LINE_COLOUR = "#5f7f99"
CURRENT_COLOUR = "#0b3d5c"


def indicator_chart(labels, values, target=None, *, decimals=0, target_label=""):
    """A line through the values (None leaves a gap), a dot per value with the last one darker, and a
    dashed line at `target`; the vertical scale spans the values and the target. Returns "" without values.
    """
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    if not points:
        return ""
    x, y = scale(values, target)
    line, dots, current = [], [], ""
    previous = None
    for index, value in points:
        command = "L" if previous is not None and previous == index - 1 else "M"
        line.append(f"{command}{_n(x(index))} {_n(y(value))}")
        previous = index
        dot = f"M{_n(x(index) - DOT)} {_n(y(value) - DOT)}h{2 * DOT}v{2 * DOT}h-{2 * DOT}z"
        if index == len(values) - 1:
            current = dot
        else:
            dots.append(dot)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{WIDTH}" height="{HEIGHT + LABELS}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT + LABELS}" role="img">',
        f"<title>{escape(describe(labels, values, target, decimals, target_label))}</title>",
    ]
    if target is not None:
        level = _n(y(target))
        parts.append(
            f'<path d="M0 {level}H{WIDTH}" stroke="{TARGET_COLOUR}" stroke-width="1" stroke-dasharray="3 2"/>'
        )
    if any(segment.startswith("L") for segment in line):
        parts.append(f'<path d="{"".join(line)}" fill="none" stroke="{LINE_COLOUR}" stroke-width="1.2"/>')
    if dots:
        parts.append(f'<path d="{"".join(dots)}" fill="{LINE_COLOUR}"/>')
    if current:
        parts.append(f'<path d="{current}" fill="{CURRENT_COLOUR}"/>')
    # The values labelled: the first year's at the left, the latest at the right.
    (first_index, first), (last_index, last) = points[0], points[-1]
    label = f'<text y="{HEIGHT + LABELS - 1}" font-size="7" font-family="DejaVu Sans" fill="{LABEL_COLOUR}"'
    if first_index != last_index:
        parts.append(f'{label} x="0">{_label(first, decimals)}</text>')
    parts.append(f'{label} x="{WIDTH}" text-anchor="end">{_label(last, decimals)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def scale(values, target=None):
    """The chart's two axes as functions: x(index) and y(value) in the chart's units (WIDTH × HEIGHT), the
    vertical scale spanning the values and the target; the Word report draws its picture with the same."""
    numbers = [v for v in values if v is not None] + ([target] if target is not None else [])
    low, high = min(numbers), max(numbers)
    span = (high - low) or abs(high) or Decimal(1)
    step = Decimal(WIDTH - 2 * PAD) / max(len(values) - 1, 1)

    def x(index):
        return PAD + index * step if len(values) > 1 else Decimal(WIDTH) / 2

    def y(value):
        # Higher values are higher up; a flat series sits in the middle.
        if high == low:
            return Decimal(HEIGHT) / 2
        return PAD + (high - value) * (HEIGHT - 2 * PAD) / span

    return x, y


def indicator_series(indicator, columns):
    """An indicator row's chart as arguments of `indicator_chart` and `describe`: the columns' labels, the
    totals, the target and how it is named ("Mål 2026")."""
    return {
        "labels": [column.label for column in columns],
        "values": [value.total if value is not None else None for value in indicator.values],
        "target": indicator.target,
        "decimals": indicator.decimals,
        "target_label": f"Mål {indicator.target_year}" if indicator.target_year else "Mål",
    }


def bar_description(parts):
    """The stacked bar in words: "Diagram. Uppfyllt: 5; Delvis uppfyllt: 3; …"."""
    return "Diagram. " + "; ".join(f"{part[1]}: {part[2]}" for part in parts) + "."


def _label(value, decimals):
    # SVG text drops a no-break space: the thousands are grouped by a plain space, which does not wrap there.
    return escape(format_number(value, decimals).replace("\xa0", " "))


def describe(labels, values, target=None, decimals=0, target_label=""):
    """The chart in words, its alternative text: "Diagram. Utfall 2024: 81,0; 2025: 83,5. Mål 2026: 85"."""
    shown = [
        f"{label}: {format_number(value, decimals)}"
        for label, value in zip(labels, values, strict=True)
        if value is not None
    ]
    text = "Diagram. Utfall " + "; ".join(shown) + "."
    if target is not None:
        text += f" {target_label or 'Mål'}: {format_number(target, decimals, exact=True)}."
    return text


def _n(number):
    """A coordinate with at most one decimal, without a trailing ".0"."""
    text = f"{float(number):.1f}"
    return text[:-2] if text.endswith(".0") else text


# The judgements' colours, as on the web pages' symbols (static/css/noramal.css): 3:1 against white.
JUDGEMENT_COLOURS = {
    "met": "#1e6b2f",
    "partly_met": "#8a5a00",
    "not_met": "#a3261e",
    "not_assessed": "#8f989f",
}
BAR_WIDTH, BAR_HEIGHT = 500, 18


def stacked_bar(parts):
    """One bar split by judgement: `parts` [(code, label, number, …)]; each part wide enough carries its
    number. Returns "" when nothing is counted."""
    total = sum(part[2] for part in parts)
    if not total:
        return ""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" '
        f'viewBox="0 0 {BAR_WIDTH} {BAR_HEIGHT}" role="img">',
        f"<title>{escape(bar_description(parts))}</title>",
    ]
    x = Decimal(0)
    for code, _label, number, *_rest in parts:
        if not number:
            continue
        width = Decimal(BAR_WIDTH) * number / total
        out.append(
            f'<rect x="{_n(x)}" y="0" width="{_n(width)}" height="{BAR_HEIGHT}" '
            f'fill="{JUDGEMENT_COLOURS.get(code, "#8f989f")}"/>'
        )
        if width >= 14:
            out.append(
                f'<text x="{_n(x + width / 2)}" y="13" text-anchor="middle" font-size="11" '
                f'font-family="DejaVu Sans" fill="#ffffff">{number}</text>'
            )
        x += width
    out.append("</svg>")
    return "".join(out)
