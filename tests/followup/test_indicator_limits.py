"""An indicator's own allowed values through the sheet and an upload; its decimals on pages; Kolada scale."""

import json
from decimal import Decimal as D

import pytest
from django.urls import reverse

from followup import kolada, spreadsheet
from followup.models import IndicatorValue, ReportingPeriod
from goals.models import Goal, Indicator
from tests import factories
from tests.followup.pages import form_fields, text
from tests.levels import Level

NBSP = "\xa0"


def sheet_url(world, organisation=None):
    return reverse("followup:values", args=[world.period.pk, (organisation or world.bn).pk])


def post_total(client, world, indicator, typed):
    fields, _ = form_fields(client.get(sheet_url(world)))
    fields[f"r{indicator.pk}-total"] = typed
    return client.post(sheet_url(world), fields)


def stored_total(indicator, period):
    return (
        IndicatorValue.objects.filter(indicator=indicator, period=period)
        .values_list("total", flat=True)
        .first()
    )


@pytest.fixture
def result(world):
    """A budget result in million kronor (it can be negative) on BN's goal."""
    return factories.IndicatorFactory(goal=world.bn_goal, name="Resultat", unit="mnkr", decimals=1)


def test_the_sheet_refuses_a_negative_value_naming_the_indicator_unless_it_allows_them(
    client, world, as_persona, result
):
    as_persona("editor_bn")
    response = post_total(client, world, result, "–2,5")  # an en dash, as a word processor writes minus
    assert response.status_code == 200 and stored_total(result, world.period) is None
    assert "Resultat: värdet kan inte vara negativt" in text(response)
    Indicator.objects.filter(pk=result.pk).update(allow_negative=True)
    assert post_total(client, world, result, "–2,5").status_code == 302
    assert stored_total(result, world.period) == D("-2.5")


def test_the_sheet_refuses_a_share_above_100_unless_the_indicator_allows_it(client, world, as_persona):
    share = world.bn_indicator  # a share in %, one decimal
    as_persona("editor_bn")
    response = post_total(client, world, share, "104,5")
    assert response.status_code == 200
    assert f"{share.name}: en andel kan inte vara mer än 100 %" in text(response)
    Indicator.objects.filter(pk=share.pk).update(allow_above_100=True)
    assert post_total(client, world, share, "104,5").status_code == 302
    assert stored_total(share, world.period) == D("104.5")
    assert post_total(client, world, share, "100").status_code == 302  # exactly 100 % always was a value


@pytest.fixture
def upload_indicators(small_chain, bn):
    goal = Goal.objects.filter(level_kind=Level.BOARD, owner=bn).first()
    used = factories.IndicatorFactory(goal=goal, name="Budget använd", unit="%", decimals=1)
    change = factories.IndicatorFactory(goal=goal, name="Befolkningsförändring", unit="antal")
    return used, change


def upload(bn, period, rows):
    header = [str(c.label) for c in spreadsheet._columns(False)]
    table = [
        (n, [indicator.pk, "", "", "", "", "", None, None, total, None, None, None, None])
        for n, (indicator, total) in enumerate(rows, start=2)
    ]
    return spreadsheet.import_table(header, table, bn, period)


def test_an_upload_refuses_negative_and_above_100_where_not_allowed_and_takes_them_where_allowed(
    bn, upload_indicators
):
    used, change = upload_indicators
    period = ReportingPeriod.objects.create(year=2026, kind=ReportingPeriod.Kind.ANNUAL)
    with pytest.raises(spreadsheet.UploadError) as error:
        upload(bn, period, [(used, "103,2"), (change, "-41")])
    assert error.value.cells == [(2, "total"), (3, "total")]  # both at once
    messages = " ".join(error.value.messages)
    assert "Budget använd: en andel kan inte" in messages
    assert "Befolkningsförändring: värdet kan inte vara negativt" in messages
    assert not IndicatorValue.objects.filter(period=period).exists()
    Indicator.objects.filter(pk=used.pk).update(allow_above_100=True)
    Indicator.objects.filter(pk=change.pk).update(allow_negative=True)
    upload(bn, period, [(used, "103,2"), (change, "-41")])
    assert (stored_total(used, period), stored_total(change, period)) == (D("103.2"), D("-41"))


def kolada_value(world, value):
    """A Kolada import of 87.878787 for the BN indicator (one decimal) in a closed year before the world's."""
    Indicator.objects.filter(pk=world.bn_indicator.pk).update(kolada_kpi="N15428")
    document = {
        "values": [
            {
                "kpi": "N15428",
                "municipality": "1884",
                "period": 2024,
                "values": [{"gender": "T", "value": value, "count": 1, "status": ""}],
            }
        ]
    }
    return kolada.import_file(json.dumps(document))


def test_a_kolada_value_is_stored_in_full_and_shown_at_the_indicators_decimals(
    client, world, as_persona, settings
):
    settings.MUNICIPALITY_ID = "1884"
    kolada_value(world, 87.878787)
    [value] = IndicatorValue.objects.filter(indicator=world.bn_indicator, period__year=2024)
    assert value.total == D("87.8788")  # as the database keeps it: four decimals
    as_persona("editor_bn")
    sheet = text(client.get(sheet_url(world)))  # the earlier years beside the input
    assert "2024 87,9" in sheet and "87,8788" not in sheet
    page = text(client.get(reverse("followup:indicator", args=[world.bn_indicator.pk])))
    assert "87,9" in page and "87,8788" not in page
    goal_page = text(client.get(world.bn_goal.get_absolute_url()))
    assert "≥ 90,0" in goal_page  # the target at the indicator's decimals, as written


def test_kolada_values_are_scaled_by_the_indicators_factor(world, settings):
    settings.MUNICIPALITY_ID = "1884"
    # Kolada counts per 100 000 inhabitants; the indicator per 1 000.
    Indicator.objects.filter(pk=world.bn_indicator.pk).update(kolada_scale=D("0.01"), unit="per 1 000")
    kolada_value(world, 4321.5)
    assert IndicatorValue.objects.get(indicator=world.bn_indicator, period__year=2024).total == D("43.215")
