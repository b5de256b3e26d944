"""The issue's "done when", on the demo: fetch_kolada against a v3 stand-in fills every Kolada-linked
indicator for its years, shows them at the indicator's decimals beside the comparison group, never
overwrites a typed value, and a second run changes nothing."""

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from followup.kolada_models import KoladaComparison, KoladaComparisonValue
from followup.models import IndicatorValue, KoladaDifference, ReportingPeriod
from followup.services import ValueEntry, save_values
from goals.goalfile import import_document
from goals.models import Indicator
from goals.numbers import format_number

NORA = Path(__file__).resolve().parents[2] / "fixtures" / "nora.json"
OURS = "1884"
MEMBERS = ["1881", "1882", "1883", "1885"]
YEARS = range(2020, 2027)  # two years before the demo's periods, its closed ones and its open 2026


@pytest.fixture
def demo(db, standin, settings):
    import_document(json.loads(NORA.read_text(encoding="utf-8")))
    call_command("seed_demo", year=2026, no_report=True)
    settings.MUNICIPALITY_ID = OURS
    settings.MUNICIPALITY_NAME = "Nora kommun"
    KoladaComparison.objects.create(
        kind="group", kolada_id="G124018", title="Liknande kommuner", members=MEMBERS
    )
    return list(Indicator.objects.exclude(kolada_kpi="").order_by("pk"))


def figure(kpi, area, year):
    """A figure with more decimals than any indicator shows, different for each KPI, area and year."""
    base = Decimal(10450) if kpi == "N01951" else Decimal(80)
    return base + Decimal(int(area) % 97) / 7 + Decimal(year - 2020) * Decimal("0.731")


def recorded(indicators):
    """Kolada's answers: ours (equal to a typed value for the odd years, differing for the even ones), the
    group's municipalities' and the country's."""
    typed = {
        (v.indicator.kolada_kpi, v.period.year): v.total
        for v in IndicatorValue.objects.filter(
            indicator__in=indicators, period__kind="annual"
        ).select_related("indicator", "period")
    }
    records = []
    for kpi in sorted({i.kolada_kpi for i in indicators}):
        for year in YEARS:
            for area in (OURS, *MEMBERS, "0000"):
                value = figure(kpi, area, year)
                if area == OURS and (kpi, year) in typed and year % 2:
                    value = typed[kpi, year]
                records.append(
                    {"kpi": kpi, "municipality": area, "period": year,
                     "values": [{"gender": "T", "value": float(value)}]}
                )  # fmt: skip
    return records


def state():
    return (
        list(IndicatorValue.objects.order_by("pk").values()),
        list(KoladaComparisonValue.objects.order_by("pk").values()),
        list(KoladaDifference.objects.order_by("pk").values()),
        list(ReportingPeriod.objects.order_by("pk").values()),
    )


def test_fetch_kolada_fills_the_demo_beside_the_group_keeps_typed_values_and_repeats_nothing(demo, standin):
    # Someone has typed this year's value of one indicator in the open annual period.
    this_year = ReportingPeriod.objects.annual().get(year=2026)
    assert this_year.is_open
    save_values(this_year, [ValueEntry(demo[0].pk, total=Decimal(12), fields=("total",))])
    standin.records = recorded(demo)
    typed = {
        v.pk: (v.total, v.women, v.men, v.source, v.version)
        for v in IndicatorValue.objects.filter(indicator__in=demo)
    }
    assert typed and demo
    call_command("fetch_kolada", "--years", f"{YEARS[0]}-{YEARS[-1]}")
    after = IndicatorValue.objects.filter(indicator__in=demo).select_related("period")
    # Every Kolada-linked indicator has a value for every year Kolada gave.
    for indicator in demo:
        years = {v.period.year for v in after if v.indicator_id == indicator.pk and v.period.kind == "annual"}
        assert set(YEARS) <= years, indicator
    # No typed value was written over; Kolada's differing figures wait as differences.
    for value in after:
        if value.pk in typed:
            assert (value.total, value.women, value.men, value.source, value.version) == typed[value.pk]
    # A closed year keeps its typed value (the report lists Kolada's as skipped); in the open year,
    # Kolada's differing figure waits as a difference for a controller.
    differing = {
        (d.indicator_id, d.period.year) for d in KoladaDifference.objects.open().select_related("period")
    }
    expected = {(demo[0].pk, 2026)}
    assert differing == expected
    assert all(v.period.state == "open" for v in after if v.period.year == 2026 and v.period.kind == "annual")
    # The indicator page: ours beside the group's average, at the indicator's decimals.
    client = Client()
    for indicator in demo:
        page = client.get(reverse("followup:indicator", args=[indicator.pk])).content.decode()
        section = page.split('id="comparison-heading"')[1]
        assert "Medelvärde, Liknande kommuner" in section and "Riket" in section
        ours = {
            v.period.year: v.total
            for v in after
            if v.indicator_id == indicator.pk and v.period.kind == "annual"
        }
        step = Decimal(1).scaleb(-indicator.decimals)
        for year in YEARS:
            if (indicator.pk, year) in expected:
                continue  # a typed value of an open period: not public, so not on the public page
            row = next(r for r in section.split("<tr>") if r.startswith(f'<th scope="row">{year}<'))
            group = sum(figure(indicator.kolada_kpi, m, year) for m in MEMBERS) / len(MEMBERS)
            for number in (ours[year], group, figure(indicator.kolada_kpi, "0000", year)):
                text = format_number(number.quantize(step, ROUND_HALF_UP), indicator.decimals)
                assert f">{text}<" in row, (indicator, year, text)
        assert "Egen bearbetning av data från Kolada" in section and "Källa: Kolada, hämtad" in section
    # A second run changes nothing.
    before = state()
    call_command("fetch_kolada", "--years", f"{YEARS[0]}-{YEARS[-1]}")
    assert state() == before
