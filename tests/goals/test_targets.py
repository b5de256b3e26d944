"""Targets as municipalities write them: their text, their spans (never overlapping) and the goal file."""

import copy
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import translation

from goals import goalfile
from goals.goalfile import GoalFileError
from goals.models import Indicator, Target
from goals.targets import target_text
from tests.goals.test_editing import indicator_data
from tests.goals.test_goalfile import BOARD_GOAL, empty_database, small_doc

pytestmark = pytest.mark.django_db
C = Target.Comparison
NBSP = "\xa0"


def made(
    comparison, value=None, high=None, *, exclusive=False, years=(2026, 2026), tolerance=0, unit="absolute"
):
    return Target(
        from_year=years[0], to_year=years[1], comparison=comparison, value=value, high=high,
        exclusive=exclusive, tolerance=D(tolerance), tolerance_unit=unit,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("target", "decimals", "options", "text"),
    [
        (made(C.AT_LEAST, D("30")), 0, {}, "≥ 30"),
        (made(C.AT_LEAST, D("30"), exclusive=True), 0, {}, "> 30"),
        (made(C.AT_MOST, D("10")), 0, {}, "≤ 10"),
        (made(C.AT_MOST, D("10"), exclusive=True), 0, {}, "< 10"),
        (made(C.EXACTLY, D("100")), 1, {}, "100,0"),
        (made(C.WITHIN, D("80"), D("90")), 0, {}, "80–90"),
        (made(C.WITHIN, D("80"), D("90"), exclusive=True), 0, {}, "över 80 och under 90"),
        (made(C.HIGHER_THAN_LAST_YEAR), 0, {}, "ska öka"),
        (made(C.LOWER_THAN_LAST_YEAR), 0, {}, "ska minska"),
        (made(C.AT_LEAST, D("90"), years=(2024, 2027)), 0, {"years": True}, "2024–2027: ≥ 90"),
        (made(C.AT_LEAST, D("90")), 0, {"years": True}, "2026: ≥ 90"),
        # At the indicator's decimals, in Swedish format; a typed target is never rounded away.
        (made(C.AT_LEAST, D("13000")), 0, {}, f"≥ 13{NBSP}000"),
        (made(C.AT_LEAST, D("92.5")), 0, {}, "≥ 92,5"),
        (made(C.AT_MOST, D("-2.5")), 1, {}, "≤ -2,5"),
        (made(C.AT_LEAST, D("90"), tolerance=5), 1, {"tolerance": True}, "≥ 90,0 ± 5,0"),
        (made(C.AT_LEAST, D("90"), tolerance=5, unit="percent"), 0, {"tolerance": True}, "≥ 90 ± 5 %"),
        (None, 0, {}, ""),
    ],
)
def test_target_text(target, decimals, options, text):
    assert target_text(target, decimals, **options) == text


def rows(*targets):
    base = {"comparison": "at_least", "tolerance_unit": "absolute", "tolerance": "0"}
    data = {"targets-TOTAL_FORMS": len(targets), "targets-INITIAL_FORMS": 0}
    for i, target in enumerate(targets):
        data |= {f"targets-{i}-{key}": value for key, value in (base | target).items()}
    return data


def post(login, world, *targets):
    data = indicator_data(world.bn) | rows(*targets)
    return login("editor_bn").post(reverse("goals:indicator_create", args=[world.bn_goal.pk]), data)


def test_overlapping_spans_are_refused_naming_the_years_and_the_typing_is_kept(login, world):
    response = post(
        login, world,
        {"from_year": 2024, "to_year": 2027, "value": "90"},
        {"from_year": 2026, "value": "95"},
        {"from_year": 2028, "to_year": 2030, "value": "96"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["targets"].non_form_errors() == [
        "Målvärdena för 2024–2027 och 2026 överlappar: ett år kan bara ha ett målvärde."
    ]
    assert 'value="95"' in response.content.decode()
    assert not Indicator.objects.filter(name="Läsförståelse").exists()


def test_every_kind_of_target_is_saved_from_the_form(login, world):
    response = post(
        login, world,
        {"from_year": 2024, "to_year": 2027, "value": "90", "tolerance": "5", "tolerance_unit": "percent"},
        {"from_year": 2028, "comparison": "at_most", "value": "–2,5", "exclusive": "on"},
        {"from_year": 2029, "comparison": "within", "value": "80", "high": "90"},
        {"from_year": 2030, "comparison": "higher_than_last_year"},
    )  # fmt: skip
    assert response.status_code == 302
    indicator = Indicator.objects.get(name="Läsförståelse")
    assert [target_text(t, 1, years=True, tolerance=True) for t in indicator.targets.all()] == [
        "2024–2027: ≥ 90,0 ± 5,0 %", "2028: < -2,5", "2029: 80,0–90,0", "2030: ska öka",
    ]  # fmt: skip


def test_all_of_a_rows_mistakes_are_shown_at_once(login, world):
    response = post(
        login, world, {"from_year": 2027, "to_year": 2025, "comparison": "within", "exclusive": ""}
    )
    assert response.status_code == 200
    errors = response.context["targets"].errors[0]
    assert set(errors) == {"to_year", "value", "high"}


# --- The goal file, version 1 ---------------------------------------------------------------------


def test_a_version_1_target_reads_with_the_comparison_of_its_indicators_direction():
    doc = small_doc()
    indicator = doc["council_goals"][0]["board_goals"][0]["indicators"][0]
    indicator["direction"] = "lower"
    goalfile.import_document(doc)
    target = Target.objects.get(indicator__name="Trygga elever")
    assert (target.from_year, target.to_year, target.comparison, target.value, target.tolerance) == (
        2026, 2026, C.AT_MOST, 90, 5
    )  # fmt: skip


def test_targets_beyond_version_1s_shape_keep_their_meaning_through_export_and_import():
    doc = small_doc()
    indicator = doc["council_goals"][0]["board_goals"][0]["indicators"][0]
    indicator["targets"] = [
        {"year": 2024, "to": 2025, "value": 90, "tolerance": 5, "tolerance_unit": "percent"},
        {"year": 2026, "comparison": "within", "value": 80, "high": 90, "exclusive": True, "tolerance": 0},
        {"year": 2027, "comparison": "higher_than_last_year", "tolerance": 1},
    ]
    goalfile.import_document(doc)
    first = goalfile.dumps(goalfile.export_document())
    empty_database()
    goalfile.import_plan(goalfile.read(first))
    assert goalfile.dumps(goalfile.export_document()) == first
    stored = Target.objects.filter(indicator__name="Trygga elever")
    texts = [target_text(t, 0, years=True, tolerance=True) for t in stored]
    assert texts == ["2024–2025: ≥ 90 ± 5 %", "2026: över 80 och under 90", "2027: ska öka ± 1"]


@pytest.mark.parametrize(
    ("targets", "place", "message"),
    [
        (
            [{"year": 2024, "to": 2027, "value": 90}, {"year": 2026, "value": 95}],
            "targets[1].year",
            "this indicator has a target for 2026 already",
        ),
        (
            [{"year": 2026, "comparison": "within", "value": 80}],
            "targets[0].high",
            "A range needs its upper end.",
        ),
        ([{"year": 2027, "to": 2026, "value": 80}], "targets[0].to", "The last year comes before the first."),
    ],
)
def test_a_bad_target_in_the_goal_file_is_named_by_its_place(targets, place, message):
    doc = copy.deepcopy(small_doc())
    doc["council_goals"][0]["board_goals"][0]["indicators"][0]["targets"] = targets
    with translation.override("en"), pytest.raises(GoalFileError) as error:
        goalfile.read(goalfile.dumps(doc))
    assert (error.value.path, error.value.message) == (f"{BOARD_GOAL}.indicators[0].{place}", message)


def test_an_indicators_own_limits_and_description_keep_through_export_and_import():
    doc = small_doc()
    indicator = doc["council_goals"][0]["board_goals"][0]["indicators"][0]
    indicator |= {
        "description": "**Mätmetod:** elevenkät, årskurs 5 och 8.", "allow_negative": True,
        "allow_above_100": True, "valid_from": 2024, "valid_to": 2027, "kolada_kpi": "N15428",
        "kolada_scale": 0.01,
    }  # fmt: skip
    goalfile.import_document(doc)
    stored = Indicator.objects.get(name="Trygga elever")
    assert (stored.allow_negative, stored.allow_above_100, stored.valid_from, stored.valid_to) == (
        True, True, 2024, 2027
    )  # fmt: skip
    assert stored.kolada_scale == D("0.01") and stored.description.startswith("**Mätmetod:**")
    first = goalfile.dumps(goalfile.export_document())
    assert '"kolada_scale": 0.01' in first
    empty_database()
    goalfile.import_plan(goalfile.read(first))
    assert goalfile.dumps(goalfile.export_document()) == first
