"""The public indicator page: what the public and logged-in readers see, the SVG chart and its table."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from followup.charts import nice_step, trend_chart, value_range
from followup.models import IndicatorValue, ReportingPeriod
from tests import factories
from tests.followup.pages import text

NBSP = "\xa0"


def url(indicator):
    return reverse("followup:indicator", args=[indicator.pk])


def test_the_public_sees_closed_periods_and_kolada_values_but_not_open_ones(client, world):
    kolada = ReportingPeriod.objects.create(year=2026, kind=ReportingPeriod.Kind.ANNUAL)
    IndicatorValue.objects.create(
        indicator=world.bn_indicator, period=kolada, total=D("87.3"), source=IndicatorValue.Source.KOLADA
    )
    response = client.get(url(world.bn_indicator))
    assert response.status_code == 200
    page = text(response)
    assert "86,5" in page  # the closed annual period 2025
    assert "87,3" in page  # Kolada's published figure, although its period is open
    assert "88,0" not in page  # the open interim period's entered value


def test_a_logged_in_reader_also_sees_values_of_open_periods(client, world, as_persona):
    as_persona("reader")
    assert "88,0" in text(client.get(url(world.bn_indicator)))


def test_chart_has_title_description_target_line_and_the_same_numbers_as_the_table(client, world):
    for year, total in ((2023, "80"), (2024, "1234.5")):
        period = ReportingPeriod.objects.create(year=year, kind="annual", state="closed")
        IndicatorValue.objects.create(indicator=world.ks_indicator, period=period, total=D(total))
    factories.TargetFactory(indicator=world.ks_indicator, year=2024, value=D("1000"), tolerance=0)
    body = client.get(url(world.ks_indicator)).content.decode()
    svg = body[body.index("<svg") : body.index("</svg>")]
    assert 'role="img"' in svg and 'aria-labelledby="trend-title trend-desc"' in svg
    assert '<title id="trend-title">' in svg and "Nya bostäder" in svg
    desc = svg[svg.index("<desc") : svg.index("</desc>")]
    # A value is shown at the indicator's decimals (none here): the stored 1234,5 shows as 1 235.
    assert "2023: 80" in desc and f"2024: 1{NBSP}235" in desc and f"2024: 1{NBSP}000" in desc
    assert 'class="trend-chart__target"' in svg  # the target line
    assert svg.count('class="trend-chart__point"') == 2
    assert "style=" not in body.split("<main", 1)[1]  # no inline styles (CSP)
    table = text(client.get(url(world.ks_indicator)))
    assert "80" in table and f"1{NBSP}235" in table and f"1{NBSP}234,5" not in table


def test_interim_value_stands_in_for_a_year_without_an_annual_value(client, world, as_persona):
    as_persona("reader")
    body = client.get(url(world.bn_indicator)).content.decode()
    assert "trend-chart__point trend-chart__point--interim" in body  # 2026 so far, drawn hollow


def test_indicator_without_values_says_so(client, world):
    response = client.get(url(world.ks_indicator))
    assert "<svg" not in response.content.decode()


def test_unknown_indicator_is_404(client, world):
    assert client.get(reverse("followup:indicator", args=[999999])).status_code == 404


@pytest.mark.parametrize(("span", "step"), [(100, 20), (7, 2), (0.3, 0.1), (13000, 5000), (0, 1)])
def test_nice_step(span, step):
    assert nice_step(span) == pytest.approx(step)


def test_value_range_starts_at_zero_unless_that_squashes_the_line():
    assert value_range([40, 95])[0] == 0
    low, high, _ = value_range([10500, 10700])
    assert 10000 <= low <= 10500 and 10700 <= high <= 11000


def test_chart_geometry_puts_higher_values_higher():
    chart = trend_chart([(2024, D("10"), False), (2025, D("20"), False)], [(2025, D("15"))], 0)
    low, high = chart.value_points
    assert low["x"] < high["x"] and low["y"] > high["y"]
    assert chart.value_line == f"{low['x']},{low['y']} {high['x']},{high['y']}"


def test_the_line_joins_annual_values_and_leaves_an_interim_value_beside_it():
    chart = trend_chart(
        [(2024, D("10"), False), (2025, D("20"), False), (2026, D("12"), True)], [(2026, D("15"))], 0
    )
    first, second, interim = chart.value_points
    assert chart.value_line == f"{first['x']},{first['y']} {second['x']},{second['y']}"
    assert interim["interim"] and f"{interim['x']},{interim['y']}" not in chart.value_line


@pytest.mark.parametrize("periods", [3, 30])
def test_indicator_page_reads_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries, periods
):
    for n in range(periods):
        period = ReportingPeriod.objects.create(year=1990 + n, kind="annual", state="closed")
        IndicatorValue.objects.create(indicator=world.ks_indicator, period=period, total=n)
        factories.TargetFactory(indicator=world.ks_indicator, year=1990 + n, value=n)
    # Indicator, visible values, count of all values, targets (anonymous: no session or user).
    with django_assert_max_num_queries(4):
        response = client.get(url(world.ks_indicator))
    assert response.content.decode().count('class="trend-chart__point"') == periods
