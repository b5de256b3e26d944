"""Periods for controllers: create, close, reopen with a reason; the overview of every organisation."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from followup import services
from followup.models import ActivityStatus, Assessment, IndicatorValue, ReportingPeriod
from followup.overview import outstanding, overview
from tests import factories
from tests.followup.pages import form_fields, text


def test_index_lists_periods_newest_first_in_time_order(client, world, as_persona):
    ReportingPeriod.objects.create(year=2026, kind=ReportingPeriod.Kind.INTERIM_APRIL)
    ReportingPeriod.objects.create(year=2026, kind=ReportingPeriod.Kind.ANNUAL)
    as_persona("reader")
    page = text(client.get(reverse("followup:index")))
    order = [page.index(str(p)) for p in ReportingPeriod.objects.filter(year=2026)]
    annual, april, august = (str(p) for p in ReportingPeriod.objects.filter(year=2026).order_by("kind"))
    assert page.index(annual) < page.index(august) < page.index(april) < page.index(str(world.closed_period))
    assert len(order) == 3


def test_period_page_links_an_editor_to_their_own_organisations_only(client, world, as_persona):
    as_persona("editor_bn")
    body = client.get(reverse("followup:period", args=[world.period.pk])).content.decode()
    assert reverse("followup:values", args=[world.period.pk, world.bn.pk]) in body
    assert reverse("followup:values", args=[world.period.pk, world.ks.pk]) not in body
    assert reverse("followup:period_close", args=[world.period.pk]) not in body


def test_controller_creates_a_period(client, world, as_persona):
    as_persona("controller")
    data = {"year": "2027", "kind": ReportingPeriod.Kind.INTERIM_APRIL, "deadline": "2027-05-20"}
    response = client.post(reverse("followup:period_create"), data)
    period = ReportingPeriod.objects.get(year=2027)
    assert response.url == period.get_absolute_url()
    assert (period.kind, period.deadline, period.state) == (
        "interim_april",
        datetime.date(2027, 5, 20),
        "open",
    )
    response = client.post(reverse("followup:period_create"), data)
    assert response.status_code == 200 and ReportingPeriod.objects.filter(year=2027).count() == 1


def test_closing_shows_what_is_outstanding_and_needs_a_confirmation(client, world, as_persona):
    as_persona("controller")
    Assessment.objects.create(goal=world.ks_goal, period=world.period, judgement="met")  # a KS draft
    page = client.get(reverse("followup:period", args=[world.period.pk]))
    close = reverse("followup:period_close", args=[world.period.pk])
    assert close in page.content.decode()  # a link to the confirmation page, not a button that closes
    confirmation = client.get(close)
    body = confirmation.content.decode()
    rows = {code: text_of_row(body, code) for code in ("KF", "BN", "KS")}
    # BN: one submitted judgement, one goal without any; its value is in. KS: one draft, no value.
    # The council: three goals without judgement, nothing to enter.
    assert rows["BN"] == ["0", "1", "1", "0"]
    assert rows["KS"] == ["1", "0", "0", "1"]
    assert rows["KF"] == ["0", "0", "3", "0"]
    summary = "Bedömningar i utkast: 1. Inlämnade men inte godkända: 1. Utan bedömning: 4."
    assert summary in text(confirmation)
    assert ReportingPeriod.objects.get(pk=world.period.pk).state == "open"  # looking closed nothing
    # Without the confirmation nothing happens: the page comes back with an error.
    refused = client.post(close, {})
    assert refused.status_code == 200 and 'id="id_confirm"' in refused.content.decode()
    assert ReportingPeriod.objects.get(pk=world.period.pk).state == "open"
    assert not AuditEvent.objects.filter(action="period.closed").exists()
    fields, _ = form_fields(confirmation)
    assert client.post(close, {**fields, "confirm": "on"}).status_code == 302
    period = ReportingPeriod.objects.get(pk=world.period.pk)
    assert (period.state, period.closed_by) == ("closed", world.users["controller"])
    assert AuditEvent.objects.filter(action="period.closed", object_id=str(period.pk)).count() == 1
    assert "Controller" in text(client.get(period.get_absolute_url()))  # who closed it, in the log
    # Closing again is refused with a message, not an error page.
    assert client.post(close, {"confirm": "on"}).status_code == 302
    assert AuditEvent.objects.filter(action="period.closed").count() == 1


def test_outstanding_counts_per_organisation(world):
    Assessment.objects.create(goal=world.bn_goal, period=world.period, judgement="met", state="approved")
    Assessment.objects.create(goal=world.ks_goal, period=world.period, judgement="met", state="submitted")
    left = outstanding(world.period)
    by_code = {row.organisation.code: row for row in left.rows}
    assert set(by_code) == {"KF", "BN", "KS"}
    assert (by_code["BN"].submitted, by_code["BN"].not_started, by_code["BN"].values_missing) == (1, 0, 0)
    assert (by_code["KS"].submitted, by_code["KS"].values_missing) == (1, 1)
    assert (left.draft, left.submitted, left.not_started, left.values_missing) == (0, 2, 3, 1)


def text_of_row(body, code):
    """The numbers of the confirmation table's row of organisation `code`."""
    import re

    row = body[body.index(f'data-organisation="{code}"') :]
    row = row[: row.index("</tr>")]
    return re.findall(r'<td class="num">(\d+)</td>', row)


def test_reopening_asks_for_a_reason(client, world, as_persona):
    as_persona("controller")
    reopen = reverse("followup:period_reopen", args=[world.closed_period.pk])
    response = client.post(reopen, {"reason": "   "})
    assert response.status_code == 200 and 'id="id_reason_error"' in response.content.decode()
    assert ReportingPeriod.objects.get(pk=world.closed_period.pk).state == "closed"
    assert client.post(reopen, {"reason": "KS begärde rättelse."}).status_code == 302
    period = ReportingPeriod.objects.get(pk=world.closed_period.pk)
    assert (period.state, period.reopen_reason) == ("reopened", "KS begärde rättelse.")
    assert "KS begärde rättelse." in text(client.get(period.get_absolute_url()))


def test_overview_counts_values_statuses_and_judgements_per_organisation(world):
    services.save_values(
        world.period, [services.ValueEntry(world.ks_indicator.pk, comment="Inget utfall än")]
    )
    IndicatorValue.objects.create(
        indicator=factories.IndicatorFactory(goal=world.ks_goal), period=world.period, total=1
    )
    ActivityStatus.objects.create(activity=world.bn_activity, period=world.period, status="ongoing")
    Assessment.objects.create(goal=world.bn_goal, period=world.period, judgement="met", state="approved")
    Assessment.objects.create(goal=world.ks_goal, period=world.period)
    rows = {r.organisation.code: r for r in overview(world.period, today=datetime.date(2026, 9, 1))}
    bn, ks, kf = rows["BN"], rows["KS"], rows["KF"]
    assert (bn.indicators, bn.values, bn.activities, bn.statuses) == (1, 1, 1, 1)
    assert (bn.goals, bn.not_started, bn.draft, bn.submitted, bn.approved) == (2, 0, 0, 1, 1)
    assert bn.complete and not bn.overdue
    # A row holding only a comment is no value; the other KS indicator has one.
    assert (ks.indicators, ks.values, ks.draft, ks.not_started) == (2, 1, 1, 0)
    assert (kf.goals, kf.not_started) == (3, 3)
    assert not any(r.overdue for r in rows.values())  # the deadline (15 Sept) has not passed


def test_overview_marks_what_is_overdue_after_the_deadline(client, world, as_persona):
    late = datetime.date(2026, 9, 16)
    Assessment.objects.create(goal=world.bn_goal, period=world.period, judgement="met", state="submitted")
    rows = {r.organisation.code: r for r in overview(world.period, today=late)}
    assert rows["BN"].overdue is False  # every value in and every judgement submitted
    assert rows["KS"].overdue is True
    closed = services.close_period(world.period)
    assert not any(r.overdue for r in overview(closed, today=late))  # a closed period is past chasing


def test_overview_page_shows_every_organisation(client, world, as_persona):
    as_persona("controller")
    body = client.get(reverse("followup:overview", args=[world.period.pk])).content.decode()
    for code in ("KF", "BN", "KS"):
        assert f'data-organisation="{code}"' in body


@pytest.mark.parametrize("boards", [2, 30])
def test_overview_reads_a_fixed_number_of_queries(
    client, world, as_persona, django_assert_max_num_queries, boards
):
    for n in range(boards):
        board = factories.board(f"B{n}", f"Nämnd {n}")
        goal = factories.goal(world.kf_goal, f"Mål {n}", owner=board)
        indicator = factories.IndicatorFactory(goal=goal)
        IndicatorValue.objects.create(indicator=indicator, period=world.period, total=D("5"))
        Assessment.objects.create(goal=goal, period=world.period)
    as_persona("controller")
    # Session, user, roles, period, ten for the overview (eight counts, the deadlines, the organisations),
    # and the organisations whose sheets the viewer writes (linked for them only).
    with django_assert_max_num_queries(15):
        response = client.get(reverse("followup:overview", args=[world.period.pk]))
    assert response.content.decode().count("data-organisation=") == boards + 3
