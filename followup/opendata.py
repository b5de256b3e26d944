"""Open data: the goal tree with its published values (those of closed periods) as JSON and CSV.

Keys and column names are stable English identifiers, not translated labels, so that programs reading
the files keep working whatever the interface language. Numbers use a decimal point, except in the CSV
for Swedish Excel (`published_csv(excel=True)`): semicolons between cells and a decimal comma, which is
what Excel set to Swedish reads as columns and numbers (served as UTF-8 with a byte order mark). That file
is for people, so its column names and its codes (level, direction, period, source) are Swedish words.
"""

import csv
import io
from collections import defaultdict

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy

from goals.categories import PERSPECTIVE_SET
from goals.celltext import csv_cell_text
from goals.chain import styrmodell
from goals.goalfile import json_number
from goals.models import Goal, GoalCategory, Indicator, Target
from goals.targets import target_text

from .models import IndicatorValue, ReportingPeriod

FORMAT = "noramal-opendata"
VERSION = 1
KOLADA_NOTE = 'Values with source "kolada": Källa: Kolada'
CSV_COLUMNS = (
    "goal_id", "parent_id", "level", "goal", "owner_code", "owner", "perspectives", "decision",
    "indicator_id", "indicator", "unit", "direction", "kolada_kpi", "year", "period", "total", "women",
    "men", "target", "source",
)  # fmt: skip
# The Swedish Excel file's column names, in CSV_COLUMNS' order.
EXCEL_COLUMNS = (
    gettext_lazy("Goal id"), gettext_lazy("Parent goal id"), gettext_lazy("Level"), gettext_lazy("Goal"),
    gettext_lazy("Owner code"), gettext_lazy("Owner"), gettext_lazy("Perspectives"), gettext_lazy("Decision"),
    gettext_lazy("Indicator id"), gettext_lazy("Indicator"), gettext_lazy("Unit of measure"),
    gettext_lazy("Direction"),
    gettext_lazy("Kolada KPI"), gettext_lazy("Year"), gettext_lazy("Period"), gettext_lazy("Total"),
    gettext_lazy("Women"), gettext_lazy("Men"), gettext_lazy("Target"), gettext_lazy("Source"),
)  # fmt: skip


def _number(value):
    return json_number(value) if value is not None else None


def _read():
    """Everything the files show, in six queries: goals, categories, indicators, targets, values."""
    goals = list(
        Goal.objects.in_tree_order().values(
            "pk",
            "parent_id",
            "level_kind",
            "title",
            "description",
            "owner__code",
            "owner__name",
            "decision",
            "valid_from",
            "valid_to",
        )  # fmt: skip
    )
    # Every category a goal carries, in its own order: {set key: [names]}; "perspectives" are the set
    # that goal files of version 1 call so (the format's first version had only those).
    categories = defaultdict(dict)
    links = GoalCategory.objects.order_by("goal_id", "position", "pk")
    for goal_id, key, name in links.values_list("goal_id", "category__set__key", "category__name"):
        categories[goal_id].setdefault(key, []).append(name)
    indicators = defaultdict(list)
    for row in Indicator.objects.order_by("goal_id", "position", "pk").values(
        "pk", "goal_id", "name", "unit", "direction", "decimals", "gender_split", "kolada_kpi"
    ):
        indicators[row["goal_id"]].append(row)
    targets = defaultdict(list)
    for target in Target.objects.order_by("indicator_id", "from_year"):
        targets[target.indicator_id].append(target)
    values = defaultdict(list)
    published = IndicatorValue.objects.filter(period__state=ReportingPeriod.State.CLOSED).order_by(
        "indicator_id", "period__year", "period__kind"
    )
    for row in published.values(
        "indicator_id", "period__year", "period__kind", "total", "women", "men", "source"
    ):
        values[row["indicator_id"]].append(row)
    return goals, categories, indicators, targets, values


def published_tree():
    """The goal tree with indicators, targets and the values of closed periods, as a JSON-ready dict."""
    goals, categories, indicators, targets, values = _read()
    nodes, roots = {}, []
    for goal in goals:
        node = {
            "id": goal["pk"],
            "level": goal["level_kind"],
            "title": goal["title"],
            "description": goal["description"],
            "owner": {"code": goal["owner__code"], "name": goal["owner__name"]},
            "decision": goal["decision"],
            "valid_from": goal["valid_from"],
            "valid_to": goal["valid_to"],
            "perspectives": categories[goal["pk"]].get(PERSPECTIVE_SET, []),
            "categories": categories[goal["pk"]],
            "indicators": [_indicator(i, targets, values) for i in indicators[goal["pk"]]],
            "children": [],
        }
        nodes[goal["pk"]] = node
        parent = nodes.get(goal["parent_id"])
        (parent["children"] if parent else roots).append(node)
    return {
        "format": FORMAT,
        "version": VERSION,
        "municipality": settings.MUNICIPALITY_NAME,
        "municipality_id": settings.MUNICIPALITY_ID,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "published_values": "values of closed reporting periods",
        "precision": "values at full precision; pages and reports round them to the indicator's decimals",
        "sources": [KOLADA_NOTE],
        "goals": roots,
    }


def _indicator(row, targets, values):
    return {
        "id": row["pk"],
        "name": row["name"],
        "unit": row["unit"],
        "direction": row["direction"],
        "decimals": row["decimals"],
        "gender_split": row["gender_split"],
        "kolada_kpi": row["kolada_kpi"] or None,
        "targets": [_target(t, row["decimals"]) for t in targets[row["pk"]]],
        "values": [
            {
                "year": v["period__year"],
                "period": v["period__kind"],
                "total": _number(v["total"]),
                "women": _number(v["women"]),
                "men": _number(v["men"]),
                "source": v["source"],
            }
            for v in values[row["pk"]]
        ],
    }


def _target(target, decimals):
    """A target with its span, its comparison and its band, and as written ("2024–2027: ≥ 90")."""
    return {
        "year": target.from_year,
        "to_year": target.to_year,
        "comparison": target.comparison,
        "value": _number(target.value),
        "high": _number(target.high),
        "exclusive": target.exclusive,
        "tolerance": _number(target.tolerance),
        "tolerance_unit": target.tolerance_unit,
        "text": target_text(target, decimals, years=True, tolerance=True),
    }


def published_csv(*, excel=False):
    """The same as CSV: a row per published value; goals and indicators without one get a row of their own.
    With `excel`, for Swedish Excel: ";" between cells and a decimal comma."""
    goals, categories, indicators, targets, values = _read()
    as_text = _excel_text if excel else _text
    target_of = {
        (t.indicator_id, year): t.value
        for rows in targets.values()
        for t in rows
        for year in range(t.from_year, t.to_year + 1)
    }
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow([str(name) for name in EXCEL_COLUMNS] if excel else CSV_COLUMNS)
    word = _swedish_words() if excel else _codes
    for goal in goals:
        base = _safe([
            goal["pk"], goal["parent_id"], word("level", goal["level_kind"]), goal["title"],
            goal["owner__code"],
            goal["owner__name"], "|".join(categories[goal["pk"]].get(PERSPECTIVE_SET, [])), goal["decision"],
        ])  # fmt: skip
        if not indicators[goal["pk"]]:
            writer.writerow(base + [""] * (len(CSV_COLUMNS) - len(base)))
        for indicator in indicators[goal["pk"]]:
            about = _safe([
                indicator["pk"], indicator["name"], indicator["unit"],
                word("direction", indicator["direction"]), indicator["kolada_kpi"],
            ])  # fmt: skip
            for value in values[indicator["pk"]] or [None]:
                if value is None:
                    writer.writerow(base + about + [""] * 7)
                    continue
                year = value["period__year"]
                numbers = [
                    value["total"],
                    value["women"],
                    value["men"],
                    target_of.get((indicator["pk"], year)),
                ]
                writer.writerow(
                    [
                        *base,
                        *about,
                        year,
                        word("period", value["period__kind"]),
                        *map(as_text, numbers),
                        word("source", value["source"]),
                    ]
                )
    return out.getvalue()


def _codes(_what, code):
    """The standard CSV keeps the stable codes ("council", "higher", "annual", "kolada")."""
    return code


def _swedish_words():
    """code -> the word the interface uses for it: the styrmodell's level names and the choices' labels."""
    model = styrmodell()
    labels = {
        "direction": dict(Indicator.Direction.choices),
        "period": dict(ReportingPeriod.Kind.choices),
        "source": dict(IndicatorValue.Source.choices),
    }

    def word(what, code):
        if not code:
            return code
        if what == "level":
            return model.name(code)
        return str(labels[what].get(code, code))

    return word


def _text(number):
    """A number with a decimal point and no trailing zeros: 13000, 84.4428."""
    return "" if number is None else format(number.normalize(), "f")


def _excel_text(number):
    """The same with a decimal comma: 84,4428."""
    return _text(number).replace(".", ",")


def _safe(cells):
    """Text cells as `csv_cell_text` makes them (no control characters, no formulas); None becomes empty."""
    return ["" if cell is None else csv_cell_text(cell) for cell in cells]
