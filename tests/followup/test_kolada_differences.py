"""Where Kolada's values land: differences from typed values, late figures after closing, revisions."""

import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Membership
from followup import differences, kolada, kolada_api
from followup.imports import SkipReason
from followup.models import IndicatorValue, KoladaDifference, ReportingPeriod
from followup.services import ValueEntry, add_late_figures, save_values
from tests import factories
from tests.followup.test_kolada import login

OURS = "1884"


def kolada_doc(year, **genders):
    """A Kolada answer with one record of N15428 for us: kolada_doc(2019, T=70, K=72)."""
    values = [{"gender": gender, "value": value} for gender, value in genders.items()]
    return json.dumps({"values": [{"kpi": "N15428", "municipality": OURS, "period": year, "values": values}]})


def annual(year, state=ReportingPeriod.State.OPEN):
    return ReportingPeriod.objects.create(year=year, kind=ReportingPeriod.Kind.ANNUAL, state=state)


@pytest.fixture
def ours(settings):
    settings.MUNICIPALITY_ID = OURS


@pytest.fixture
def controller(db, council):
    user = get_user_model().objects.create_user("controller")
    Membership.objects.create(user=user, organisation=council, role=Membership.Role.CONTROLLER)
    return user


@pytest.fixture
def typed(n15428):
    """An open annual period 2020 with BN's typed value: 50 in all, women 52, men not given."""
    period = annual(2020)
    save_values(period, [ValueEntry(n15428.pk, total=Decimal("50"), women=Decimal("52"))])
    return IndicatorValue.objects.get(indicator=n15428, period=period)


def value_of(indicator, period):
    return IndicatorValue.objects.get(indicator=indicator, period=period)


# Differences from typed values -------------------------------------------------------------------------


def test_a_differing_figure_is_recorded_and_the_typed_value_stays(ours, typed, n15428):
    kolada.import_file(kolada_doc(2020, T=61.25, K=52, M=70))

    value = value_of(n15428, typed.period)
    assert (value.total, value.women, value.men) == (Decimal("50"), Decimal("52"), None)
    assert (value.source, value.version) == (IndicatorValue.Source.MANUAL, 1)
    found = {(d.gender, d.typed_value, d.kolada_value, d.state) for d in KoladaDifference.objects.all()}
    # Women agree; the men's place is empty in a typed row: Kolada's figure waits there too.
    assert found == {
        ("total", Decimal("50"), Decimal("61.25"), "open"),
        ("men", None, Decimal("70"), "open"),
    }
    assert all(d.fetched_at is not None for d in KoladaDifference.objects.all())


def test_the_same_figure_fetched_again_records_no_second_difference(ours, typed, n15428):
    kolada.import_file(kolada_doc(2020, T=61.25))
    kolada.import_file(kolada_doc(2020, T=61.25))
    assert KoladaDifference.objects.count() == 1


def test_a_figure_once_kept_is_not_asked_about_again_but_a_new_one_is(ours, typed, n15428, controller):
    kolada.import_file(kolada_doc(2020, T=61.25))
    differences.keep_ours(KoladaDifference.objects.get().pk, by=controller)
    kolada.import_file(kolada_doc(2020, T=61.25))
    assert not KoladaDifference.objects.open().exists()

    kolada.import_file(kolada_doc(2020, T=62))  # Kolada revised its figure
    [new] = KoladaDifference.objects.open()
    assert (new.typed_value, new.kolada_value) == (Decimal("50"), Decimal("62"))


def test_a_revised_figure_replaces_the_open_differences_figure(ours, typed, n15428):
    kolada.import_file(kolada_doc(2020, T=61.25))
    kolada.import_file(kolada_doc(2020, T=62))
    [difference] = KoladaDifference.objects.all()
    assert difference.kolada_value == Decimal("62")


def test_a_dry_run_records_no_difference(ours, typed, n15428):
    kolada.import_file(kolada_doc(2020, T=61.25), dry_run=True)
    assert not KoladaDifference.objects.exists()


def test_keeping_ours_changes_no_value_and_is_logged(ours, typed, n15428, controller):
    kolada.import_file(kolada_doc(2020, T=61.25))
    difference = differences.keep_ours(KoladaDifference.objects.get().pk, by=controller)

    assert (difference.state, difference.resolved_by) == (KoladaDifference.State.KEPT, controller)
    assert difference.resolved_at is not None
    value = value_of(n15428, typed.period)
    assert (value.total, value.version, value.source) == (Decimal("50"), 1, IndicatorValue.Source.MANUAL)
    event = AuditEvent.objects.get(action="kolada.difference")
    assert event.user == controller
    assert event.summary == (
        "Behöriga till yrkesprogram, Årsredovisning 2020, totalt: behöll vårt 50,0, inte Koladas 61,25."
    )


def test_taking_koladas_writes_it_through_the_value_path_and_keeps_ours_in_the_history(
    ours, typed, n15428, controller
):
    kolada.import_file(kolada_doc(2020, T=61.25))
    difference = differences.take_kolada(KoladaDifference.objects.get().pk, by=controller)

    assert difference.state == KoladaDifference.State.TAKEN
    value = value_of(n15428, typed.period)
    assert (value.total, value.women) == (Decimal("61.25"), Decimal("52"))  # only the differing figure
    assert (value.source, value.version, value.updated_by) == (IndicatorValue.Source.KOLADA, 2, controller)
    assert [h.total for h in value.history.order_by("history_date")] == [Decimal("50"), Decimal("61.25")]
    assert AuditEvent.objects.filter(action="kolada.difference", user=controller).count() == 1
    kolada.import_file(kolada_doc(2020, T=61.25))  # the next fetch agrees: nothing new
    assert KoladaDifference.objects.count() == 1
    assert value_of(n15428, typed.period).version == 2


def test_taking_is_refused_when_our_value_changed_since_the_fetch(ours, typed, n15428, controller):
    kolada.import_file(kolada_doc(2020, T=61.25))
    save_values(typed.period, [ValueEntry(n15428.pk, total=Decimal("55"), fields=("total",))])
    pk = KoladaDifference.objects.get().pk
    with pytest.raises(ValidationError, match="ändrats"):
        differences.take_kolada(pk, by=controller)
    assert value_of(n15428, typed.period).total == Decimal("55")
    assert KoladaDifference.objects.get().is_open


def test_taking_a_figure_someone_has_typed_since_only_closes_the_difference(ours, typed, n15428, controller):
    kolada.import_file(kolada_doc(2020, T=61.2))
    save_values(typed.period, [ValueEntry(n15428.pk, total=Decimal("61.2"), fields=("total",))])
    differences.take_kolada(KoladaDifference.objects.get().pk, by=controller)
    value = value_of(n15428, typed.period)
    assert (value.total, value.version, value.source) == (Decimal("61.2"), 2, IndicatorValue.Source.MANUAL)
    assert KoladaDifference.objects.get().state == KoladaDifference.State.TAKEN


def test_a_resolved_difference_cannot_be_resolved_again(ours, typed, n15428, controller):
    kolada.import_file(kolada_doc(2020, T=61.25))
    pk = KoladaDifference.objects.get().pk
    differences.keep_ours(pk, by=controller)
    with pytest.raises(ValidationError, match="redan avgjord"):
        differences.take_kolada(pk, by=controller)
    assert value_of(n15428, typed.period).total == Decimal("50")


def test_a_second_fetch_from_the_standin_records_one_difference(standin, n15428):
    period = annual(2018)
    save_values(period, [ValueEntry(n15428.pk, total=Decimal("50"), fields=("total",))])
    kolada_api.fetch()
    kolada_api.fetch()
    [difference] = KoladaDifference.objects.filter(gender="total")
    assert difference.typed_value == Decimal("50")
    assert difference.kolada_value == Decimal("80.7292")  # Örebro's 2018 total in the sample
    assert value_of(n15428, period).total == Decimal("50")


# The controllers' page ----------------------------------------------------------------------------------


def test_controller_sees_the_open_differences_and_takes_one(client, ours, typed, n15428, council):
    kolada.import_file(kolada_doc(2020, T=61.25, M=70))
    user = login(client, Membership.Role.CONTROLLER, council)
    url = reverse("followup:kolada_differences")
    page = client.get(url).content.decode()
    assert "Skillnader mot Kolada" in page
    assert "Behöriga till yrkesprogram" in page
    assert "50,0" in page and "61,25" in page and "70,0" in page
    assert "Behåll vårt" in page and "Ta Koladas" in page

    total = KoladaDifference.objects.get(gender="total")
    response = client.post(reverse("followup:kolada_difference_take", args=[total.pk]), follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "Koladas värde taget" in response.content.decode()
    assert value_of(n15428, typed.period).total == Decimal("61.25")
    men = KoladaDifference.objects.get(gender="men")
    client.post(reverse("followup:kolada_difference_keep", args=[men.pk]))
    assert KoladaDifference.objects.get(pk=men.pk).resolved_by == user
    assert "Ingen skillnad mot Kolada väntar" in client.get(url).content.decode()


def test_resolving_twice_on_the_page_says_so(client, ours, typed, n15428, council):
    kolada.import_file(kolada_doc(2020, T=61.25))
    login(client, Membership.Role.CONTROLLER, council)
    pk = KoladaDifference.objects.get().pk
    client.post(reverse("followup:kolada_difference_keep", args=[pk]))
    response = client.post(reverse("followup:kolada_difference_take", args=[pk]), follow=True)
    assert "Skillnaden är redan avgjord." in response.content.decode()
    assert value_of(n15428, typed.period).total == Decimal("50")


@pytest.mark.parametrize("role", [Membership.Role.READER, Membership.Role.EDITOR])
def test_only_controllers_resolve_differences(client, ours, typed, n15428, bn, role):
    kolada.import_file(kolada_doc(2020, T=61.25))
    login(client, role, bn)
    pk = KoladaDifference.objects.get().pk
    assert client.get(reverse("followup:kolada_differences")).status_code == 403
    assert client.post(reverse("followup:kolada_difference_take", args=[pk])).status_code == 403
    assert client.post(reverse("followup:kolada_difference_keep", args=[pk])).status_code == 403
    assert KoladaDifference.objects.get().is_open
    assert value_of(n15428, typed.period).total == Decimal("50")


def test_the_page_reads_a_fixed_number_of_queries(
    client, ours, n15428, board_goal, council, django_assert_max_num_queries
):
    login(client, Membership.Role.CONTROLLER, council)
    now = timezone.now()
    for year in range(2010, 2016):
        period = annual(year)
        indicator = factories.IndicatorFactory(goal=board_goal, unit="antal", decimals=year % 3)
        KoladaDifference.objects.create(
            indicator=indicator, period=period, gender="total", typed_value=1, kolada_value=2, fetched_at=now
        )
    with django_assert_max_num_queries(6):  # session, user, memberships, the differences
        response = client.get(reverse("followup:kolada_differences"))
    assert len(response.context["rows"]) == 6


# Late figures after closing -----------------------------------------------------------------------------


def test_a_figure_for_an_empty_place_in_a_closed_year_is_added_as_a_late_figure(
    ours, client, n15428, board_goal
):
    other = factories.IndicatorFactory(goal=board_goal, unit="%", decimals=1, kolada_kpi="N15428")
    closed = annual(2019)
    save_values(closed, [ValueEntry(other.pk, total=Decimal("75"), fields=("total",))])
    closed.state = ReportingPeriod.State.CLOSED
    closed.save()
    before = list(IndicatorValue.objects.filter(period=closed).values())

    report = kolada.import_file(kolada_doc(2019, T=70, K=71.5))

    late = value_of(n15428, closed)
    assert (late.total, late.women, late.source) == (Decimal("70"), Decimal("71.5"), "kolada")
    assert late.late_at is not None
    # The typed value of the closed period is not touched, and no difference is asked about.
    assert list(IndicatorValue.objects.filter(period=closed).exclude(pk=late.pk).values()) == before
    assert not KoladaDifference.objects.exists()
    assert ReportingPeriod.objects.get(pk=closed.pk).state == ReportingPeriod.State.CLOSED
    assert report.imported == 1
    assert any("sena siffror" in note for note in report.notes)
    assert AuditEvent.objects.filter(action="kolada.late").count() == 1

    page = client.get(reverse("followup:indicator", args=[n15428.pk])).content.decode()
    day = timezone.localdate(late.late_at)
    assert f"hämtad från Kolada {day:%Y-%m-%d}, efter bokslutet" in page

    again = kolada.import_file(kolada_doc(2019, T=70, K=71.5))
    assert (again.imported, again.unchanged) == (0, 1)
    assert again.counts_by_reason()[SkipReason.PERIOD_CLOSED] == 1  # the typed 75 against Kolada's 70
    assert IndicatorValue.objects.filter(period=closed).count() == 2


def test_late_figures_go_only_to_a_closed_annual_period(n15428):
    period = annual(2019)
    with pytest.raises(ValidationError):
        add_late_figures(period, [ValueEntry(n15428.pk, total=Decimal("1"), fields=("total",))])
    assert not IndicatorValue.objects.exists()


def test_a_late_figure_never_replaces_a_value_of_the_closed_period(n15428):
    closed = annual(2019)
    save_values(closed, [ValueEntry(n15428.pk, total=Decimal("75"), fields=("total",))])
    closed.state = ReportingPeriod.State.CLOSED
    closed.save()
    added = add_late_figures(closed, [ValueEntry(n15428.pk, total=Decimal("1"), fields=("total",))])
    assert added == []
    assert value_of(n15428, closed).total == Decimal("75")


# Revisions ----------------------------------------------------------------------------------------------


def test_a_revised_kolada_figure_is_updated_shown_as_revised_and_keeps_the_earlier_one(ours, client, n15428):
    period = annual(2020)
    kolada.import_file(kolada_doc(2020, T=80.25))
    kolada.import_file(kolada_doc(2020, T=81.5))

    value = value_of(n15428, period)
    assert (value.total, value.version, value.source) == (Decimal("81.5"), 2, "kolada")
    assert value.revised_at is not None
    assert [h.total for h in value.history.order_by("history_date")] == [Decimal("80.25"), Decimal("81.5")]
    assert not KoladaDifference.objects.exists()
    page = client.get(reverse("followup:indicator", args=[n15428.pk])).content.decode()
    day = timezone.localdate(value.revised_at)
    assert f"reviderad av Kolada {day:%Y-%m-%d}; tidigare 80,3" in page  # at the indicator's one decimal


def test_a_first_figure_and_an_unchanged_one_are_not_revisions(ours, n15428):
    period = annual(2020)
    kolada.import_file(kolada_doc(2020, T=80.25))
    kolada.import_file(kolada_doc(2020, T=80.25))
    assert value_of(n15428, period).revised_at is None


def test_typing_over_a_revised_figure_ends_the_revision_mark(ours, n15428):
    period = annual(2020)
    kolada.import_file(kolada_doc(2020, T=80.25))
    kolada.import_file(kolada_doc(2020, T=81.5))
    save_values(period, [ValueEntry(n15428.pk, total=Decimal("82"), fields=("total",))])
    value = value_of(n15428, period)
    assert (value.source, value.revised_at) == (IndicatorValue.Source.MANUAL, None)
