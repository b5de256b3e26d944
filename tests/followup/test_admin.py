"""The admin goes through the services: a closed period is read-only there, and every save is versioned."""

from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import AuditEvent
from followup.models import ActivityStatus, Assessment, IndicatorValue, ReportingPeriod


@pytest.fixture
def superuser_client(client, world):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "pw"))
    return client


def admin_url(obj, action="change"):
    return reverse(f"admin:followup_{obj._meta.model_name}_{action}", args=[obj.pk])


def value_form(value, **changes):
    data = {
        "indicator": value.indicator_id,
        "period": value.period_id,
        "total": str(value.total or ""),
        "women": "",
        "men": "",
        "comment": value.comment,
        "source": value.source,
    }
    return {**data, **changes}


def snapshot():
    return sorted(IndicatorValue.objects.values_list("pk", "period_id", "total", "version"))


def test_admin_save_goes_through_the_service(superuser_client, world):
    response = superuser_client.post(admin_url(world.bn_value), value_form(world.bn_value, total="90.5"))
    assert response.status_code == 302
    value = IndicatorValue.objects.get(pk=world.bn_value.pk)
    assert (value.total, value.version, value.updated_by.username) == (D("90.5"), 2, "root")


def test_admin_shows_a_closed_periods_value_read_only_and_refuses_a_post(superuser_client, world):
    value = IndicatorValue.objects.get(period=world.closed_period)
    page = superuser_client.get(admin_url(value)).content.decode()
    assert 'name="total"' not in page  # read-only view
    before = snapshot()
    superuser_client.post(admin_url(value), value_form(value, total="10"))
    assert snapshot() == before


def test_admin_refuses_to_add_a_value_to_a_closed_period(superuser_client, world):
    data = value_form(world.bn_value, period=world.closed_period.pk, total="1")
    data["indicator"] = world.ks_indicator.pk
    response = superuser_client.post(reverse("admin:followup_indicatorvalue_add"), data)
    assert response.status_code == 200  # the form comes back with the refusal
    assert not IndicatorValue.objects.filter(indicator=world.ks_indicator).exists()


def test_admin_cannot_move_a_value_to_another_period(superuser_client, world):
    before = snapshot()
    response = superuser_client.post(
        admin_url(world.bn_value), value_form(world.bn_value, period=world.closed_period.pk)
    )
    assert response.status_code == 302  # the period is read-only: the value stays where it is
    assert snapshot() == before
    assert IndicatorValue.objects.get(pk=world.bn_value.pk).period == world.period


def test_admin_cannot_delete_in_a_closed_period_one_by_one_or_in_bulk(superuser_client, world):
    value = IndicatorValue.objects.get(period=world.closed_period)
    before = snapshot()
    assert superuser_client.post(admin_url(value, "delete"), {"post": "yes"}).status_code == 403
    changelist = reverse("admin:followup_indicatorvalue_changelist")
    superuser_client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [value.pk, world.bn_value.pk], "post": "yes"},
    )
    assert snapshot() == before


def test_admin_history_revert_of_a_closed_periods_value_is_refused(superuser_client, world):
    value = IndicatorValue.objects.get(period=world.closed_period)
    record = value.history.first()
    url = reverse("admin:followup_indicatorvalue_simple_history", args=[value.pk, record.history_id])
    before = snapshot()
    response = superuser_client.post(url, value_form(value, total="1"))
    assert response.status_code == 200 and response.context["errors"]  # the form refuses the closed period
    assert snapshot() == before


def test_admin_assessment_and_status_of_a_closed_period_are_read_only(superuser_client, world):
    status = ActivityStatus.objects.create(
        activity=world.bn_activity, period=world.closed_period, status="done"
    )
    assessment = Assessment.objects.create(goal=world.bn_goal, period=world.closed_period, judgement="met")
    for obj in (status, assessment):
        assert superuser_client.post(admin_url(obj), {"comment": "x", "analysis": "x"}).status_code == 403
    assert (
        ActivityStatus.objects.get().comment == "" and Assessment.objects.get(pk=assessment.pk).analysis == ""
    )


def test_admin_creates_and_closes_periods_through_the_services(superuser_client, world):
    response = superuser_client.post(
        reverse("admin:followup_reportingperiod_add"), {"year": "2030", "kind": "annual", "deadline": ""}
    )
    assert response.status_code == 302
    period = ReportingPeriod.objects.get(year=2030)
    assert AuditEvent.objects.filter(action="period.created", object_id=str(period.pk)).exists()
    superuser_client.post(
        reverse("admin:followup_reportingperiod_changelist"),
        {"action": "close_periods", "_selected_action": [period.pk]},
    )
    assert ReportingPeriod.objects.get(pk=period.pk).state == "closed"
    assert AuditEvent.objects.filter(action="period.closed", object_id=str(period.pk)).exists()
    # A closed period is read-only in the admin: its state cannot be edited back to open.
    assert superuser_client.post(admin_url(period), {"deadline": "2031-01-01"}).status_code == 403


def test_admin_cannot_change_a_submitted_judgement(superuser_client, world):
    assessment = world.bn_assessment
    data = {"return_comment": "", "judgement": "met", "analysis": "Ändrad", "goal": assessment.goal_id}
    superuser_client.post(admin_url(assessment), {**data, "period": assessment.period_id})
    assessment.refresh_from_db()
    assert (assessment.judgement, assessment.analysis) == ("partly_met", "Tryggheten ökar men inte överallt.")
