"""Comparing with similar municipalities: picking Kolada's groups, fetching their figures, showing them."""

import json
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from followup.kolada_models import KoladaComparison, KoladaComparisonValue
from followup.models import IndicatorValue
from goals.numbers import format_number
from tests.followup.conftest import OREBRO
from tests.kolada_standin import SAMPLE, recorded_country

GROUP = "G124018"  # Liknande kommuner, grundskola: Kumla, Askersund, Karlskoga, Lindesberg (recorded)
MEMBERS = ["1881", "1882", "1883", "1885"]


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def controller(db, council):
    user = get_user_model().objects.create_user("controller")
    Membership.objects.create(user=user, organisation=council, role=Membership.Role.CONTROLLER)
    return user


@pytest.fixture
def chosen(standin, n15428):
    KoladaComparison.objects.create(kind="group", kolada_id=GROUP, title="Liknande kommuner", members=MEMBERS)
    KoladaComparison.objects.create(kind="municipality", kolada_id="0180", title="Stockholm", position=1)


def totals(municipality):
    doc = json.loads(SAMPLE.read_text(), parse_float=Decimal)
    return {r["period"]: next(v["value"] for v in r["values"] if v["gender"] == "T") for r in doc["values"]
            if r["municipality"] == municipality}  # fmt: skip


def snapshot():
    comparison = list(KoladaComparisonValue.objects.order_by("pk").values())
    own = list(IndicatorValue.objects.order_by("pk").values())
    return comparison, own


# Picking ---------------------------------------------------------------------------------------------------


def test_a_controller_finds_kolada_s_group_and_adds_it_with_its_members(standin, controller, client):
    client.force_login(controller)
    url = reverse("followup:kolada_comparisons")
    page = client.get(url, {"kind": "group", "q": "liknande"}).content.decode()
    assert "Liknande kommuner, grundskola, Nora, 2026" in page and "Storstäder" not in page
    asked = len(standin.arrivals)
    response = client.post(url, {"kind": "group", "q": "liknande", "id": GROUP}, follow=True)
    comparison = KoladaComparison.objects.get()
    assert (comparison.kind, comparison.kolada_id, comparison.members) == ("group", GROUP, MEMBERS)
    assert len(standin.arrivals) == asked  # the search is kept a day: adding asked Kolada nothing
    assert "Liknande kommuner, grundskola, Nora, 2026 har lagts till" in response.content.decode()
    client.post(url, {"kind": "group", "q": "liknande", "id": GROUP})
    assert KoladaComparison.objects.count() == 1  # once only


def test_a_single_municipality_is_found_among_municipalities_but_not_a_region(standin, controller, client):
    client.force_login(controller)
    url = reverse("followup:kolada_comparisons")
    page = client.get(url, {"kind": "municipality", "q": "örebro"}).content.decode()
    assert "Örebro" in page and "Region Örebro län" not in page
    client.post(url, {"kind": "municipality", "q": "örebro", "id": "1880"})
    client.post(url, {"kind": "municipality", "q": "örebro", "id": "0018"})  # not in the answer: refused
    assert list(KoladaComparison.objects.values_list("kind", "kolada_id")) == [("municipality", "1880")]
    remove = reverse("followup:kolada_comparison_remove", args=[KoladaComparison.objects.get().pk])
    client.post(remove)
    assert not KoladaComparison.objects.exists()


def test_only_controllers_choose_comparisons(standin, world, as_persona):
    client = as_persona("editor_bn")
    assert client.get(reverse("followup:kolada_comparisons")).status_code == 403
    client.post(reverse("followup:kolada_comparisons"), {"kind": "group", "q": "liknande", "id": GROUP})
    assert not KoladaComparison.objects.exists()


# Fetching ------------------------------------------------------------------------------------------------


def test_the_fetch_keeps_the_comparison_figures_apart_and_a_second_changes_nothing(chosen, standin, n15428):
    call_command("fetch_kolada")
    areas = set(KoladaComparisonValue.objects.values_list("area", flat=True))
    assert areas == {*MEMBERS, "0180", "0000"}
    country = KoladaComparisonValue.objects.get(area="0000", year=2016)
    recorded = next(r for r in recorded_country() if r["period"] == 2016)["values"]
    assert country.total == Decimal(str(next(v["value"] for v in recorded if v["gender"] == "T")))
    assert set(IndicatorValue.objects.values_list("indicator_id", flat=True)) == {n15428.pk}
    assert IndicatorValue.objects.count() == 5  # Örebro's five years, nobody else's
    asked = {tuple(a.path.split("/")[6].split(",")) for a in standin.arrivals}
    assert asked == {("0000", "0180", OREBRO, *MEMBERS)}  # one batch (≤ 25 ids)
    before = snapshot()
    call_command("fetch_kolada")
    assert snapshot() == before


def test_a_revised_comparison_figure_replaces_the_old_with_its_fetch_date(chosen, standin, n15428):
    call_command("fetch_kolada")
    for record in standin.records:
        if record["municipality"] == "0000" and record["period"] == 2018:
            record["values"] = [{"gender": "T", "value": 90.5}]
    call_command("fetch_kolada")
    row = KoladaComparisonValue.objects.get(area="0000", year=2018)
    assert row.total == Decimal("90.5") and row.women is None
    assert KoladaComparisonValue.objects.filter(fetched_at__gt=row.fetched_at).count() == 0


# Showing -------------------------------------------------------------------------------------------------


def test_the_indicator_page_shows_us_beside_the_group_and_the_country_with_their_credits(
    chosen, standin, n15428, client, settings
):
    settings.MUNICIPALITY_NAME = "Örebro kommun"
    call_command("fetch_kolada")
    page = client.get(reverse("followup:indicator", args=[n15428.pk])).content.decode()
    section = page.split('id="comparison-heading"')[1]
    members = [totals(m) for m in MEMBERS]
    average = sum(Decimal(str(m[2016])) for m in members) / len(members)
    ours = Decimal(str(totals(OREBRO)[2016]))
    country = Decimal("83.1")  # recorded
    row = next(line for line in section.split("<tr>") if line.startswith('<th scope="row">2016'))
    shown = [format_number(v.quantize(Decimal("0.1"), ROUND_HALF_UP), 1) for v in (ours, average)]
    stockholm = format_number(Decimal(str(totals("0180")[2016])), 1)
    assert row.count('class="num"') == 4
    for text in (*shown, stockholm, format_number(country, 1)):
        assert f">{text}<" in row
    assert "Medelvärde, Liknande kommuner" in section and "Riket" in section and "Örebro kommun" in section
    today = f"{timezone.localdate():%Y-%m-%d}"
    assert "Medelvärde, Liknande kommuner: Egen bearbetning av data från Kolada" in section
    assert f"Riket: Källa: Kolada, hämtad {today}" in section
    assert f"Stockholm: Källa: Kolada, hämtad {today}" in section
    assert "<polyline" in section and section.count("comparison-key") == 4


def test_an_indicator_without_a_kolada_id_shows_no_comparison(chosen, standin, n15428, client):
    n15428.kolada_kpi = ""
    n15428.save()
    page = client.get(reverse("followup:indicator", args=[n15428.pk])).content.decode()
    assert "comparison-heading" not in page
