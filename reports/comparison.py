"""The Kolada part of a report's indicator tables: the comparison with similar municipalities and the
country, and the footnotes of figures Kolada published after the books were closed or revised since.

`reports.data` calls `earlier_figures` while it reads the values, `read` once for the report's Kolada-linked
indicators, and `rows_for`/`notes_for` for each indicator; `reports/includes/kolada_comparison.html`
shows them under the goal's indicator table.
"""

from dataclasses import dataclass

from followup.kolada_comparison import series_for
from followup.models import IndicatorValue, ReportingPeriod
from followup.timeline import value_note
from goals.numbers import format_number


@dataclass(frozen=True)
class ComparisonRow:
    """One comparison's figures under the report's columns, with its credit."""

    label: str
    texts: list  # a figure as text (or "") per column
    credit: str


def earlier_figures(versions):
    """{value id: its total before Kolada's last revision} for `versions` {revised value id: its version},
    from the value history; no query without any."""
    if not versions:
        return {}
    rows = IndicatorValue.history.filter(id__in=list(versions)).values_list("id", "version", "total")
    return {pk: total for pk, version, total in rows if version == versions[pk] - 1}


def read(period, columns, indicator_rows):
    """{indicator id: [Series]} for an annual report's Kolada-linked indicators (Kolada's figures are
    yearly outcomes: an interim report shows none); two queries, none without a linked indicator."""
    if period.kind != ReportingPeriod.Kind.ANNUAL:
        return {}
    return series_for([r for r in indicator_rows if r["kolada_kpi"]], years={c.year for c in columns})


def rows_for(series, columns, decimals):
    return [
        ComparisonRow(
            s.label,
            [format_number(s.points[c.year], decimals) if c.year in s.points else "" for c in columns],
            s.credit,
        )
        for s in series
    ]


def notes_for(columns, values, decimals):
    """The footnotes of the row's late and revised Kolada figures: "2026: hämtad från Kolada …"."""
    notes = []
    for column, value in zip(columns, values, strict=True):
        if value is not None and value.marked:
            note = value_note(
                value.source, value.late_at, value.revised_at, value.before, decimals,
                known=value.before is not None,
            )  # fmt: skip
            notes.append(f"{column.label}: {note}")
    return notes


def tables(goal, report):
    """(header, rows) of each comparison under `goal`'s indicator table, for the Word report."""
    found = []
    for indicator in goal.indicators:
        if not indicator.comparison:
            continue
        header = [f"{indicator.name} ({indicator.unit}) i jämförelse", *(str(c.year) for c in report.columns)]
        ours = [format_number(v.total, indicator.decimals) if v else "" for v in indicator.values]
        rows = [[report.municipality, *(text or "–" for text in ours)]]
        rows += [
            [f"{row.label} ({row.credit})", *(text or "–" for text in row.texts)]
            for row in indicator.comparison
        ]
        found.append((header, rows))
    return found


def footnotes(goal):
    """The footnotes of `goal`'s late and revised Kolada figures, as the HTML report writes them."""
    return [f"{indicator.name}, {note}." for indicator in goal.indicators for note in indicator.value_notes]
