"""The annual report's Kolada part: the comparison with similar municipalities and the country, and the
footnotes of Kolada figures added after the books were closed or revised since."""

from datetime import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from docx import Document

from followup import kolada
from followup.kolada_models import KoladaComparison, KoladaComparisonValue
from followup.models import IndicatorValue
from followup.services import ValueEntry, add_late_figures
from goals.models import Indicator
from goals.numbers import format_number
from reports.data import Spec, build_report
from reports.docx import report_docx
from reports.models import Kind
from reports.output import report_html

FETCHED = timezone.make_aware(datetime(2027, 4, 2, 9, 30))


@pytest.fixture
def compared(nora_world):
    KoladaComparison.objects.create(
        kind="group", kolada_id="G124018", title="Liknande kommuner", members=["1881", "1882"]
    )
    for year, (one, two, country) in {2025: (80, 84, "83.25"), 2026: (81, 86, "84.5")}.items():
        for area, total in (("1881", one), ("1882", two), ("0000", Decimal(country))):
            KoladaComparisonValue.objects.create(
                kpi="N15428", area=area, year=year, total=total, fetched_at=FETCHED
            )
    return nora_world


def html(period):
    return report_html(build_report(Spec(Kind.ANNUAL, period)))


def comparison_table(page):
    return page.split('class="indicators indicators--comparison')[1].split("</table>")[0]


def test_the_annual_report_shows_the_indicator_beside_the_group_and_the_country(compared):
    eligible = Indicator.objects.get(kolada_kpi="N15428")
    report = build_report(Spec(Kind.ANNUAL, compared["annual"]))
    [row] = [i for goal in report.all_goals() for i in goal.indicators if i.pk == eligible.pk]
    assert [(c.label, c.credit) for c in row.comparison] == [
        ("Medelvärde, Liknande kommuner", "Egen bearbetning av data från Kolada"),
        ("Riket", "Källa: Kolada, hämtad 2027-04-02"),
    ]
    table = comparison_table(report_html(report))
    # Columns 2023–2026; the group is the plain average of its two municipalities, at one decimal.
    decimals = eligible.decimals
    group = table.split("Medelvärde, Liknande kommuner")[1].split("</tr>")[0]
    expected = ["–", "–", f"{Decimal(82):.{decimals}f}", f"{Decimal('83.5'):.{decimals}f}"]
    assert [cell.split(">")[1].split("<")[0] for cell in group.split("<td")[1:]] == [
        e.replace(".", ",") for e in expected
    ]
    assert "Egen bearbetning av data från Kolada" in table and "Källa: Kolada, hämtad 2027-04-02" in table
    assert "Riket" in table and report.municipality in table


def test_an_interim_report_shows_no_yearly_comparison(compared):
    report = build_report(Spec(Kind.INTERIM, compared["interim"]))
    assert all(not i.comparison for goal in report.all_goals() for i in goal.indicators)
    assert "indicators--comparison" not in report_html(report)


def test_a_figure_added_after_closing_is_footnoted_in_reports_made_afterwards(nora_world):
    eligible = Indicator.objects.get(kolada_kpi="N15428")
    closed = nora_world["periods"][2025]
    before = html(nora_world["annual"])
    assert "value-note" not in before and "<sup>*</sup>" not in before
    IndicatorValue.objects.filter(indicator=eligible, period=closed).delete()
    [late] = add_late_figures(closed, [ValueEntry(eligible.pk, total=Decimal("88.4"), fields=("total",))])
    page = html(nora_world["annual"])
    today = f"{timezone.localdate(late.late_at):%Y-%m-%d}"
    assert f"{eligible.name}, 2025: hämtad från Kolada {today}, efter bokslutet." in page
    assert "<sup>*</sup>" in page


def test_a_revised_kolada_figure_shows_as_revised_with_both_figures(nora_world, settings):
    settings.MUNICIPALITY_ID = "1884"
    eligible = Indicator.objects.get(kolada_kpi="N15428")
    record = kolada.Record("N15428", "1884", 2026, (("T", Decimal("91.75")),))
    kolada.import_records([record])
    value = IndicatorValue.objects.get(indicator=eligible, period=nora_world["annual"])
    assert value.revised_at is not None and value.total == Decimal("91.75")
    page = html(nora_world["annual"])
    today = f"{timezone.localdate(value.revised_at):%Y-%m-%d}"
    shown = format_number(value.total, eligible.decimals)
    earlier = format_number(Decimal("90.25"), eligible.decimals)  # the figure before Kolada's revision
    assert f"{shown}<sup>*</sup>" in page
    assert f"{eligible.name}, 2026: reviderad av Kolada {today}; tidigare {earlier}." in page


def test_the_word_report_has_the_same_comparison_and_footnotes(compared):
    eligible = Indicator.objects.get(kolada_kpi="N15428")
    closed = compared["periods"][2025]
    IndicatorValue.objects.filter(indicator=eligible, period=closed).delete()
    [late] = add_late_figures(closed, [ValueEntry(eligible.pk, total=Decimal("88.4"), fields=("total",))])
    document = Document(BytesIO(report_docx(build_report(Spec(Kind.ANNUAL, compared["annual"])))))
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    group = next(r for r in rows if r[0].startswith("Medelvärde, Liknande kommuner"))
    assert group[0] == "Medelvärde, Liknande kommuner (Egen bearbetning av data från Kolada)"
    assert group[1:] == [
        "–",
        "–",
        format_number(Decimal(82), eligible.decimals),
        format_number(Decimal("83.5"), 1),
    ]
    assert any(r[0] == "Riket (Källa: Kolada, hämtad 2027-04-02)" for r in rows)
    assert any(format_number(Decimal("88.4"), eligible.decimals) + "*" in r for r in rows)
    today = f"{timezone.localdate(late.late_at):%Y-%m-%d}"
    texts = [p.text for p in document.paragraphs]
    assert f"{eligible.name}, 2025: hämtad från Kolada {today}, efter bokslutet." in texts
