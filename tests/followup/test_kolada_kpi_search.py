"""Adding an indicator from Kolada: the KPI search against a Kolada v3 stand-in on 127.0.0.1."""

import re
import socket
from html import unescape

import pytest
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import resolve_url
from django.urls import reverse

from followup import kolada_api
from goals.models import Indicator
from tests.goals.test_editing import targets_data

EIGHT_AND_NINE = ["N15428", "N15419", "N15436", "N15505"]  # "Elever i år 9" in the recorded catalogue


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def catalogue(standin):
    standin.page_size = 3  # the recorded catalogue's twelve KPIs on four pages
    return standin


def search(client, world, q, **extra):
    return client.get(reverse("followup:kolada_kpi_search", args=[world.bn_goal.pk]), {"q": q, **extra})


def shown_kpis(response):
    return re.findall(r'<tr data-kpi="([^"]+)"', response.content.decode())


def use_url(response, kpi):
    html = response.content.decode()
    row = re.search(rf'<tr data-kpi="{kpi}">.*?</tr>', html, re.S).group(0)
    return unescape(re.search(r'href="([^"]+)"', row).group(1))


def kpi_requests(standin):
    return [a for a in standin.arrivals if a.path == "/v3/kpi"]


def test_search_finds_kpis_by_a_part_of_the_title_on_every_page(catalogue, world, as_persona):
    response = search(as_persona("editor_bn"), world, "elever i år 9")
    assert response.status_code == 200
    assert shown_kpis(response) == EIGHT_AND_NINE
    html = response.content.decode()
    assert "4 nyckeltal hittade" in html and "Källa: Kolada" in html
    # The N15428 row: its unit read from the title, its gender split, whom Kolada measures.
    row = re.search(r'<tr data-kpi="N15428">.*?</tr>', html, re.S).group(0)
    assert "<td>%</td>" in row and "<td>Ja</td>" in row and "<td>kommuner</td>" in row
    # Kolada was asked by title and its pages followed: four KPIs, three a page.
    searched = kpi_requests(catalogue)
    assert len(searched) == 2 and len(catalogue.arrivals) == 2


def test_a_search_holds_for_a_day_and_the_second_asks_kolada_nothing(catalogue, world, as_persona):
    client = as_persona("editor_bn")
    first = search(client, world, "Elever i år 9")
    asked = len(catalogue.arrivals)
    second = search(client, world, "  elever  i år 9 ")  # the same title, spaced and cased otherwise
    assert shown_kpis(second) == shown_kpis(first) == EIGHT_AND_NINE
    assert len(catalogue.arrivals) == asked
    search(client, world, "invånare")
    assert len(catalogue.arrivals) == asked + 1


def test_results_stop_at_fifty_and_say_so(catalogue, world, as_persona):
    many = [dict(catalogue.kpis[0], id=f"N{20000 + i}", title=f"Nyckeltal {i}, antal") for i in range(130)]
    catalogue.kpis, catalogue.page_size = many, 20
    response = search(as_persona("controller"), world, "nyckeltal")
    assert len(shown_kpis(response)) == kolada_api.KPI_LIMIT == 50
    assert "Kolada hittade 130 nyckeltal; de första 50 visas." in response.content.decode()
    assert len(catalogue.arrivals) == 3  # 60 read, not all 130


def test_empty_and_too_long_searches_are_refused_in_swedish(catalogue, world, as_persona):
    client = as_persona("editor_bn")
    empty = search(client, world, "   ").content.decode()
    assert "Skriv ett ord ur nyckeltalets namn att söka efter." in empty
    too_long = search(client, world, "x" * 101).content.decode()
    assert "Sök med högst 100 tecken" in too_long
    assert catalogue.arrivals == []


def test_kolada_unreachable_gives_a_swedish_message_not_an_error(world, as_persona, settings):
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        settings.KOLADA_URL = f"http://127.0.0.1:{closed.getsockname()[1]}/v3"
    response = search(as_persona("editor_bn"), world, "elever")
    assert response.status_code == 503
    html = response.content.decode()
    assert "Koladas katalog över nyckeltal gick inte att söka i just nu" in html
    assert "Kolada svarade inte (ConnectError) efter 2 försök." in html


def test_a_search_kolada_refuses_gives_a_swedish_message(catalogue, world, as_persona):
    catalogue.failures = [422]
    response = search(as_persona("editor_bn"), world, "elever")
    assert response.status_code == 503
    assert "Kolada avvisade sökningen." in response.content.decode()


def test_kolada_too_slow_gives_a_swedish_message(catalogue, world, as_persona, monkeypatch):
    monkeypatch.setattr(kolada_api, "KPI_TIMEOUT", 0.2)
    catalogue.failures, catalogue.slow_seconds = ["slow", "slow"], 0.5
    response = search(as_persona("editor_bn"), world, "elever")
    assert response.status_code == 503
    assert "Kolada svarade inte (ReadTimeout) efter 2 försök." in response.content.decode()
    # Nothing was kept: the next search asks again.
    assert shown_kpis(search(as_persona("editor_bn"), world, "elever"))


def test_use_opens_the_form_filled_in_and_saving_creates_the_indicator(catalogue, world, as_persona):
    client = as_persona("editor_bn")
    url = use_url(search(client, world, "behöriga till yrkesprogram, hemkommun"), "N15428")
    assert url.startswith(reverse("goals:indicator_create", args=[world.bn_goal.pk]) + "?")
    form = client.get(url)
    html = form.content.decode()
    assert "Ifyllt från Koladas nyckeltal N15428" in html
    initial = form.context["form"].initial
    assert initial["kolada_kpi"] == "N15428" and initial["unit"] == "%" and initial["gender_split"] is True
    assert initial["name"] == "Elever i år 9 som är behöriga till yrkesprogram, hemkommun, andel (%)"
    assert 'value="Elever i år 9 som är behöriga till yrkesprogram, hemkommun, andel (%)"' in html
    assert "Källa: Kolada, nyckeltal N15428, för kommuner." in initial["description"]
    assert initial["kolada_municipality_type"] == "K"  # whom Kolada measures, shown in the form
    assert '<option value="K" selected>Kommuner</option>' in html
    # Saving is an ordinary POST of the form with the values it showed.
    data = {**initial, "gender_split": "on", "direction": "higher", "decimals": 1, "owner": world.bn.pk}
    response = client.post(reverse("goals:indicator_create", args=[world.bn_goal.pk]), data | targets_data())
    indicator = Indicator.objects.get(kolada_kpi="N15428", goal=world.bn_goal)
    assert response.status_code == 302 and response.url == indicator.get_absolute_url()
    assert (indicator.name, indicator.unit, indicator.gender_split) == (initial["name"], "%", True)
    assert indicator.kolada_municipality_type == Indicator.KoladaArea.MUNICIPALITIES
    assert indicator.description.startswith("Antal elever folkbokförda i kommunen")


def test_use_on_an_existing_indicator_fills_its_form_but_saves_nothing(catalogue, world, as_persona):
    client = as_persona("editor_bn")
    indicator = world.bn_indicator
    before = Indicator.objects.filter(pk=indicator.pk).values().get()
    search_url = reverse("followup:kolada_kpi_search_indicator", args=[indicator.pk])
    response = client.get(search_url, {"q": "invånare"})
    assert shown_kpis(response) == ["N01951", "N70404"]
    url = use_url(response, "N01951")
    assert url.startswith(reverse("goals:indicator_edit", args=[indicator.pk]) + "?")
    initial = client.get(url).context["form"].initial
    assert (initial["kolada_kpi"], initial["unit"]) == ("N01951", "antal")
    assert initial["name"] == "Invånare totalt, antal"
    assert "för kommuner och regioner" in initial["description"]
    assert Indicator.objects.filter(pk=indicator.pk).values().get() == before


def test_the_forms_prefill_is_checked_like_typed_input(world, as_persona):
    client = as_persona("editor_bn")
    url = reverse("goals:indicator_create", args=[world.bn_goal.pk])
    response = client.get(url, {"kolada_kpi": "X99", "name": "Bra\x00namn", "unit": "antal", "owner": "1"})
    initial = response.context["form"].initial
    assert "kolada_kpi" not in initial and "name" not in initial and initial["unit"] == "antal"
    html = response.content.decode()
    assert "Dessa värden från länken gick inte att använda" in html and "Kolada-nyckeltal, Namn" in html
    assert "Ifyllt från Koladas" not in html
    assert not Indicator.objects.filter(goal=world.bn_goal, unit="antal", name__startswith="Bra").exists()


def test_the_indicator_form_links_to_the_search(world, as_persona):
    client = as_persona("editor_bn")
    new = client.get(reverse("goals:indicator_create", args=[world.bn_goal.pk])).content.decode()
    assert reverse("followup:kolada_kpi_search", args=[world.bn_goal.pk]) in new
    edit = client.get(reverse("goals:indicator_edit", args=[world.bn_indicator.pk])).content.decode()
    assert reverse("followup:kolada_kpi_search_indicator", args=[world.bn_indicator.pk]) in edit


@pytest.mark.parametrize(("persona", "status"), [("reader", 403), ("editor_ks", 404)])
def test_only_those_who_may_edit_the_goal_search(catalogue, world, as_persona, persona, status):
    assert search(as_persona(persona), world, "elever").status_code == status
    assert catalogue.arrivals == []


def test_an_anonymous_visitor_is_sent_to_sign_in(catalogue, world, client):
    response = search(client, world, "elever")
    assert response.status_code == 302 and response.url.startswith(resolve_url(settings.LOGIN_URL))
    assert catalogue.arrivals == []


def test_the_result_list_costs_six_queries_for_fifty_kpis(
    catalogue, world, as_persona, django_assert_max_num_queries
):
    client = as_persona("editor_bn")
    catalogue.kpis = [dict(catalogue.kpis[0], id=f"N{20000 + i}", title=f"Nyckeltal {i}") for i in range(50)]
    catalogue.page_size = 25
    with django_assert_max_num_queries(6):
        response = search(client, world, "nyckeltal")
    assert len(shown_kpis(response)) == 50
