"""Shapes of data the follow-up meets less often: split ownership, targets of other years, exact hits,
closed periods with only a judgement or a status, and reopened periods on public pages."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from followup import services, spreadsheet
from followup.models import ActivityStatus, Assessment, IndicatorValue, ReportingPeriod
from followup.permissions import can_write_follow_up
from followup.rollup import Signal, suggestions_for
from followup.services import ValueEntry
from followup.sheets import IndicatorSheet
from goals import deletion, tree
from goals import services as goal_services
from goals.models import Goal, Indicator
from tests import factories
from tests.followup.pages import text
from tests.matrix import PERSONAS, YEAR

WRITERS = [p for p in PERSONAS if p != "anonymous"]


@pytest.fixture
def borrowed(world):
    """An indicator on BN's goal that KS owns (measures): KS's sheet has it, KS enters its values."""
    return factories.IndicatorFactory(
        goal=world.bn_goal, owner=world.ks, name="Bostäder nära skolan", unit="antal"
    )


def may_save(world, persona, indicator):
    try:
        services.save_values(world.period, [ValueEntry(indicator.pk, total=D("7"))], by=world.users[persona])
    except PermissionDenied:
        return False
    return True


def may_upload(world, persona, indicator):
    rows = [(2, [str(indicator.pk), "7"])]
    try:
        spreadsheet.import_table(
            ["Indicator id", "Total"], rows, world.ks, world.period, user=world.users[persona]
        )
    except PermissionDenied:
        return False
    return True


def test_an_indicator_owned_by_another_board_is_on_its_owners_sheet(world, borrowed):
    bn_sheet = IndicatorSheet(world.bn, world.period)
    ks_sheet = IndicatorSheet(world.ks, world.period)
    assert borrowed in ks_sheet.indicators and borrowed not in bn_sheet.indicators
    assert borrowed in spreadsheet.board_indicators(world.ks)
    assert borrowed not in spreadsheet.board_indicators(world.bn)


@pytest.mark.parametrize("persona", WRITERS)
def test_who_writes_a_borrowed_indicators_value_is_the_same_on_the_sheet_and_in_an_upload(
    world, borrowed, persona
):
    expected = can_write_follow_up(world.users[persona], world.ks)  # the indicator's owner, not the goal's
    with_sheet = may_save(world, persona, borrowed)
    IndicatorValue.objects.filter(indicator=borrowed).delete()
    assert with_sheet == may_upload(world, persona, borrowed) == expected
    assert expected == (persona in {"editor_ks", "controller", "admin"})


def test_the_goal_owners_page_does_not_have_it_and_it_is_not_theirs_to_enter(client, world, borrowed):
    client.force_login(world.users["editor_bn"])
    response = client.get(reverse("followup:values", args=[world.period.pk, world.bn.pk]))
    assert response.status_code == 200
    page = text(response)
    assert "Bostäder nära skolan" not in page
    with pytest.raises(ValidationError):
        services.save_values(
            world.period,
            [ValueEntry(borrowed.pk, total=D("7"))],
            by=world.users["editor_bn"],
            organisation=world.bn,
        )


def bn_basis(period, world):
    [basis] = [b for b in suggestions_for(period)[world.bn_goal.pk].basis if b.pk == world.bn_indicator.pk]
    return basis


def test_a_target_only_for_another_year_gives_no_signal(world):
    # The world's target is for YEAR only; this period is a year later, with a value far above it.
    later = ReportingPeriod.objects.create(year=YEAR + 1, kind=ReportingPeriod.Kind.ANNUAL)
    services.save_values(later, [ValueEntry(world.bn_indicator.pk, total=D("99"))])
    basis = bn_basis(later, world)
    assert (basis.signal, basis.detail["target"]) == (Signal.NONE, None)
    assert suggestions_for(later)[world.bn_goal.pk].signal == Signal.NONE
    # The closed period of the year before has a value too, and no target of its own either.
    assert bn_basis(world.closed_period, world).signal == Signal.NONE


@pytest.mark.parametrize("direction", [Indicator.Direction.HIGHER, Indicator.Direction.LOWER])
def test_a_value_exactly_at_the_target_is_green(world, direction):
    Indicator.objects.filter(pk=world.bn_indicator.pk).update(direction=direction)
    services.save_values(world.period, [ValueEntry(world.bn_indicator.pk, total=D("90"))])  # the target
    assert bn_basis(world.period, world).signal == Signal.GREEN
    assert suggestions_for(world.period)[world.bn_goal.pk].signal == Signal.GREEN


def test_a_share_of_exactly_100_percent_is_a_value(world):
    [value] = services.save_values(world.period, [ValueEntry(world.bn_indicator.pk, total=D("100"))]).written
    assert value.total == D("100")
    with pytest.raises(ValidationError):
        services.save_values(world.period, [ValueEntry(world.bn_indicator.pk, total=D("100.1"))])


@pytest.fixture
def only_a_judgement(world):
    """A closed period whose only follow-up of a fresh BN goal is its approved judgement."""
    goal = factories.goal(world.kf_goal, "Fler läsande barn", owner=world.bn)
    period = ReportingPeriod.objects.create(
        year=YEAR - 3, kind=ReportingPeriod.Kind.ANNUAL, state=ReportingPeriod.State.CLOSED
    )
    Assessment.objects.create(
        goal=goal, period=period, judgement=Assessment.Judgement.MET, state=Assessment.State.APPROVED
    )
    return goal, period


def test_a_goal_whose_closed_period_holds_only_a_judgement_cannot_be_deleted(world, only_a_judgement):
    goal, period = only_a_judgement
    with pytest.raises(deletion.DeletionRefused) as refused:
        tree.delete_goal(goal)
    assert str(period) in str(refused.value.args[0])
    assert Goal.objects.filter(pk=goal.pk).exists()


def test_a_judgement_in_a_closed_period_cannot_change(world, only_a_judgement):
    goal, period = only_a_judgement
    assessment = Assessment.objects.get(goal=goal)
    assert not assessment.can_edit(world.users["admin"]) and not assessment.can_return(world.users["admin"])
    with pytest.raises(services.PeriodClosedError):
        services.return_assessment(period, goal, comment="Fel", by=world.users["admin"])


def test_an_activity_whose_closed_period_holds_only_its_status_cannot_be_deleted(world):
    activity = factories.ActivityFactory(goal=world.bn_goal, title="Sommarskola")
    ActivityStatus.objects.create(
        activity=activity, period=world.closed_period, status=ActivityStatus.Status.DONE
    )
    with pytest.raises(deletion.DeletionRefused):
        goal_services.delete_activity(activity)
    assert ActivityStatus.objects.filter(activity=activity).count() == 1


def test_an_indicator_page_of_a_closed_period_with_only_a_judgement_shows_no_values(
    client, world, only_a_judgement
):
    goal, _period = only_a_judgement
    indicator = factories.IndicatorFactory(goal=goal, name="Läsande barn")
    response = client.get(reverse("followup:indicator", args=[indicator.pk]))
    assert response.status_code == 200
    assert "Inga utfall har publicerats för indikatorn ännu." in text(response)


def test_a_reopened_periods_typed_values_leave_the_public_pages_until_it_closes_again(
    client, world, as_persona
):
    url = reverse("followup:indicator", args=[world.bn_indicator.pk])
    assert "86,5" in text(client.get(url))  # published while the period was closed
    services.reopen_period(world.closed_period, reason="Fel i underlaget", by=world.users["controller"])

    assert "86,5" not in text(client.get(url))
    assert not IndicatorValue.objects.public().filter(period=world.closed_period).exists()
    as_persona("reader")
    assert "86,5" in text(client.get(url))

    services.close_period(world.closed_period, by=world.users["controller"])
    client.logout()
    assert "86,5" in text(client.get(url))


def test_a_reopened_periods_kolada_value_stays_public(client, world):
    services.reopen_period(world.closed_period, reason="Kolada har rättat", by=world.users["controller"])
    IndicatorValue.objects.filter(period=world.closed_period).update(source=IndicatorValue.Source.KOLADA)
    assert "86,5" in text(client.get(reverse("followup:indicator", args=[world.bn_indicator.pk])))
