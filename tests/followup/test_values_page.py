"""The value sheet: what it shows, one-transaction saves, bad input, conflicts between two people, closing."""

import re
from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse

from followup import services
from followup.models import IndicatorValue, ReportingPeriod
from followup.services import ValueEntry
from tests import factories
from tests.followup.pages import form_fields, text

NBSP = "\xa0"


def url(world, organisation=None, period=None):
    return reverse("followup:values", args=[(period or world.period).pk, (organisation or world.bn).pk])


def stored(indicator, period):
    return (
        IndicatorValue.objects.filter(indicator=indicator, period=period)
        .values_list("total", "women", "men", "comment", "version")
        .first()
    )


def field(indicator, name):
    return f"r{indicator.pk}-{name}"


@pytest.fixture
def earlier_years(world):
    """Annual values of 2023–2025 for the BN indicator (2025's exists in the world's closed period)."""
    for year, total in ((2023, "81.5"), (2024, "1234.5")):
        period = ReportingPeriod.objects.create(year=year, kind=ReportingPeriod.Kind.ANNUAL, state="closed")
        IndicatorValue.objects.create(indicator=world.bn_indicator, period=period, total=D(total))


def test_sheet_lists_the_boards_indicators_by_goal_with_earlier_values_and_target(
    client, world, as_persona, earlier_years
):
    second = factories.IndicatorFactory(goal=world.bn_goal_submitted, name="Elever som känner sig trygga")
    as_persona("editor_bn")
    response = client.get(url(world))
    assert response.status_code == 200
    page = text(response)
    assert page.index("Ökad måluppfyllelse i skolan") < page.index("Behöriga till gymnasiet")
    assert page.index("Trygg skolmiljö") < page.index("Elever som känner sig trygga")
    assert "Nya bostäder" not in page  # KS's indicator is not on BN's sheet
    # 2023, 2024 and 2025 beside the input, in Swedish format, and this year's target with its tolerance.
    assert "2023 81,5" in page and f"2024 1{NBSP}234,5" in page and "2025 86,5" in page
    assert "90,0 ± 5,0" in page
    fields, inputs = form_fields(response)
    bn = world.bn_indicator
    assert fields[field(bn, "total")] == "88,0"
    assert {field(bn, "women"), field(bn, "men"), field(bn, "comment")} <= set(fields)
    assert fields[field(bn, "version")] == "1"
    assert (
        fields[field(second, "total")] == "" and field(second, "women") not in fields
    )  # not split by gender
    assert fields[field(second, "version")] == "0"


def test_one_save_stores_every_changed_value(client, world, as_persona):
    second = factories.IndicatorFactory(goal=world.bn_goal, name="Meritvärde", unit="poäng", decimals=1)
    as_persona("editor_bn")
    fields, _ = form_fields(client.get(url(world)))
    fields.update(
        {
            field(world.bn_indicator, "total"): "91,5",
            field(world.bn_indicator, "women"): "93,2",
            field(world.bn_indicator, "men"): "89.8",
            field(world.bn_indicator, "comment"): "Höjning efter sommarskola.",
            field(second, "total"): "1 234,5",
        }
    )
    response = client.post(url(world), fields)
    assert response.status_code == 302
    editor = world.users["editor_bn"]
    assert stored(world.bn_indicator, world.period) == (
        D("91.5"),
        D("93.2"),
        D("89.8"),
        "Höjning efter sommarskola.",
        2,
    )
    assert stored(second, world.period) == (D("1234.5"), None, None, "", 1)
    assert set(IndicatorValue.objects.filter(period=world.period).values_list("updated_by", flat=True)) == {
        editor.pk
    }
    fields, _ = form_fields(client.get(url(world)))
    assert fields[field(second, "total")] == "1234,5"  # an input shows its number ungrouped, to be typed over


@pytest.mark.parametrize(
    ("name", "typed"),
    [
        ("total", "nittio"),  # text in a number field
        ("total", "100,1"),  # a share above 100 %
        ("men", "-3"),  # a negative value
        ("women", "91,25"),  # more decimals than the indicator's one
        ("total", "1,234.5"),  # an ambiguous number is not guessed at
    ],
)
def test_bad_input_is_marked_at_the_field_nothing_is_saved_and_typing_is_kept(
    client, world, as_persona, name, typed
):
    second = factories.IndicatorFactory(goal=world.bn_goal, name="Meritvärde", unit="poäng", decimals=1)
    as_persona("editor_bn")
    fields, _ = form_fields(client.get(url(world)))
    fields[field(second, "total")] = "230,5"  # a good value on the same page is not saved either
    fields[field(world.bn_indicator, name)] = typed
    fields[field(world.bn_indicator, "comment")] = "Min kommentar"
    before = sorted(IndicatorValue.objects.values_list("pk", "total", "women", "men", "version"))
    response = client.post(url(world), fields)
    assert response.status_code == 200
    assert sorted(IndicatorValue.objects.values_list("pk", "total", "women", "men", "version")) == before
    again, inputs = form_fields(response)
    bad = field(world.bn_indicator, name)
    assert again[bad] == typed and again[field(second, "total")] == "230,5"
    assert again[field(world.bn_indicator, "comment")] == "Min kommentar"
    assert inputs[bad]["aria-invalid"] == "true"
    assert f'id="id_{bad}_error"' in response.content.decode()  # the message sits at the field …
    assert f'href="#id_{bad}"' in response.content.decode()  # … and the summary at the top links to it


def test_counts_with_decimals_and_over_100_percent_are_judged_by_the_indicator(client, world, as_persona):
    as_persona("editor_ks")
    fields, _ = form_fields(client.get(url(world, world.ks)))
    fields[field(world.ks_indicator, "total")] = "120,5"
    response = client.post(url(world, world.ks), fields)
    assert response.status_code == 200 and stored(world.ks_indicator, world.period) is None
    fields[field(world.ks_indicator, "total")] = "120"
    assert client.post(url(world, world.ks), fields).status_code == 302
    assert stored(world.ks_indicator, world.period)[0] == D("120")


def test_stale_value_is_refused_the_other_value_and_name_are_shown_and_nothing_is_lost(world, as_persona):
    anna, bo = as_persona("editor_bn", Client()), as_persona("controller", Client())
    anna_fields, _ = form_fields(anna.get(url(world)))
    bo_fields, _ = form_fields(bo.get(url(world)))
    bo_fields[field(world.bn_indicator, "total")] = "89,0"
    assert bo.post(url(world), bo_fields).status_code == 302

    anna_fields[field(world.bn_indicator, "total")] = "92,0"
    anna_fields[field(world.bn_indicator, "comment")] = "Annas kommentar"
    response = anna.post(url(world), anna_fields)
    assert response.status_code == 409
    assert stored(world.bn_indicator, world.period)[0::4] == (D("89"), 2)  # Bo's value stands
    page = text(response)
    assert "Controller" in page and "89,0" in page  # who saved, and what
    again, _ = form_fields(response)
    assert again[field(world.bn_indicator, "total")] == "92,0"  # Anna's typing is kept
    assert again[field(world.bn_indicator, "comment")] == "Annas kommentar"
    assert again[field(world.bn_indicator, "version")] == "2"

    # Having seen Bo's value, Anna saves again on purpose: now hers replaces it.
    assert anna.post(url(world), again).status_code == 302
    assert stored(world.bn_indicator, world.period)[0::3] == (D("92"), "Annas kommentar")


def test_a_conflict_refuses_the_whole_save(world, as_persona):
    second = factories.IndicatorFactory(goal=world.bn_goal, name="Meritvärde", unit="poäng", decimals=1)
    anna = as_persona("editor_bn", Client())
    fields, _ = form_fields(anna.get(url(world)))
    services.save_values(world.period, [ValueEntry(world.bn_indicator.pk, total=D("70"), version=1)])
    fields[field(world.bn_indicator, "total")] = "92,0"
    fields[field(second, "total")] = "210,0"
    assert anna.post(url(world), fields).status_code == 409
    assert stored(second, world.period) is None


def test_a_value_the_user_did_not_touch_is_not_written_back_over_a_newer_one(world, as_persona):
    second = factories.IndicatorFactory(goal=world.bn_goal, name="Meritvärde", unit="poäng", decimals=1)
    anna = as_persona("editor_bn", Client())
    fields, _ = form_fields(anna.get(url(world)))
    services.save_values(world.period, [ValueEntry(world.bn_indicator.pk, total=D("70"), version=1)])
    fields[field(second, "total")] = "210,0"  # Anna changes only the other indicator
    assert anna.post(url(world), fields).status_code == 302
    assert stored(world.bn_indicator, world.period)[0] == D("70")
    assert stored(second, world.period)[0] == D("210")


def test_closed_period_shows_values_read_only_and_refuses_a_post(client, world, as_persona):
    as_persona("controller")
    fields, _ = form_fields(client.get(url(world)))
    services.close_period(world.period)
    response = client.get(url(world))
    assert form_fields(response)[0] == {}  # no form at all
    assert "88,0" in text(response)
    fields[field(world.bn_indicator, "total")] = "99,0"
    assert client.post(url(world), fields).status_code == 409
    assert stored(world.bn_indicator, world.period)[0::4] == (D("88"), 1)


def test_a_close_between_opening_and_saving_refuses_the_save(client, world, as_persona, monkeypatch):
    as_persona("editor_bn")
    fields, _ = form_fields(client.get(url(world)))
    fields[field(world.bn_indicator, "total")] = "99,0"
    real = services.save_values

    def close_first(period, *args, **kwargs):
        services.close_period(period)
        return real(period, *args, **kwargs)

    monkeypatch.setattr(services, "save_values", close_first)
    assert client.post(url(world), fields).status_code == 409
    assert stored(world.bn_indicator, world.period)[0] == D("88")


def many_indicators(world, count):
    goals = [world.bn_goal] + [
        factories.goal(world.kf_goal, f"BN-mål {n}", owner=world.bn) for n in range(count // 5)
    ]
    earlier = ReportingPeriod.objects.create(year=2024, kind=ReportingPeriod.Kind.ANNUAL, state="closed")
    for n in range(count):
        indicator = factories.IndicatorFactory(
            goal=goals[n % len(goals)], decimals=1, gender_split=n % 2 == 0
        )
        factories.TargetFactory(indicator=indicator, year=2026)
        IndicatorValue.objects.create(indicator=indicator, period=earlier, total=D("50"))
        IndicatorValue.objects.create(
            indicator=indicator, period=world.period, total=D("60"), updated_by=world.users["admin"]
        )


@pytest.mark.parametrize("count", [5, 100])
def test_the_sheet_reads_a_fixed_number_of_queries(
    client, world, as_persona, django_assert_max_num_queries, count
):
    many_indicators(world, count)
    as_persona("editor_bn")
    # Session, user, roles, org tree, organisation, period; goals, indicators, values, targets, past.
    with django_assert_max_num_queries(11):
        response = client.get(url(world))
    assert response.status_code == 200
    assert len([n for n in form_fields(response)[0] if n.endswith("-version")]) == count + 1


def test_a_long_sheet_lists_its_goals_first_with_links_to_each(client, world, as_persona):
    many_indicators(world, 20)
    as_persona("editor_bn")
    response = client.get(url(world))
    html = response.content.decode()
    start = html.index('<nav class="sheet-contents"')
    contents = html[start : html.index("</nav>", start)]
    assert 'aria-label="Mål på sidan"' in contents
    goals = re.findall(r'<h2 id="(goal-\d+)">', html)
    assert len(goals) == 5 and re.findall(r'href="#(goal-\d+)"', contents) == goals
