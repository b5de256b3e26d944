"""The admin goes through the services: a closed period is read-only there, and every save is versioned."""

from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import AuditEvent
from followup import services
from followup.models import (
    ActivityStatus,
    Assessment,
    AssessmentComment,
    CalendarFeed,
    IndicatorValue,
    ReportingPeriod,
    SentMail,
)
from tests.smtp import smtp_inbox  # noqa: F401 - the fixture


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
    response = superuser_client.post(
        reverse("admin:followup_reportingperiod_changelist"),
        {"action": "close_periods", "_selected_action": [period.pk]},
    )
    # The action leads to the follow-up's confirmation page, which lists what is outstanding first.
    close = reverse("followup:period_close", args=[period.pk])
    assert response.status_code == 302 and response.url == close
    assert ReportingPeriod.objects.get(pk=period.pk).state == "open"
    superuser_client.post(close, {"confirm": "on"})
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


# The admin asks the same services as the follow-up pages: the writer's role and the version --------------


def staff_client(client, user, *models):
    """`user` as staff with Django's own permissions on `models` (what an admin may hand out)."""
    user.is_staff = True
    user.save()
    for model in models:
        for action in ("view", "change", "add", "delete"):
            user.user_permissions.add(Permission.objects.get(codename=f"{action}_{model._meta.model_name}"))
    client.force_login(user)
    return client


def test_admin_refuses_another_organisations_status_to_a_staff_editor(client, world):
    status = ActivityStatus.objects.create(activity=world.bn_activity, period=world.period, status="ongoing")
    editor = staff_client(client, world.users["editor_ks"], ActivityStatus)
    data = {"status": "done", "comment": "Klart", "loaded_version": status.version}
    response = editor.post(admin_url(status), data)
    assert response.status_code == 200
    assert "Du får inte skriva uppföljningen för Bildningsnämnden (BN)." in response.content.decode()
    status.refresh_from_db()
    assert (status.status, status.comment) == ("ongoing", "")


def test_admin_lets_a_staff_editor_write_their_own_organisations_status(client, world):
    status = ActivityStatus.objects.create(
        activity=world.bn_activity, period=world.period, status="ongoing", version=1
    )
    editor = staff_client(client, world.users["editor_bn"], ActivityStatus)
    data = {"status": "done", "comment": "Klart", "loaded_version": 1}
    assert editor.post(admin_url(status), data).status_code == 302
    status.refresh_from_db()
    assert (status.status, status.comment, status.version) == ("done", "Klart", 2)
    assert status.history.first().history_user == world.users["editor_bn"]


def test_admin_does_not_overwrite_a_judgement_saved_since_the_page_was_opened(superuser_client, world):
    draft = Assessment.objects.create(
        goal=world.ks_goal, period=world.period, judgement="partly_met", analysis="Första", version=1
    )
    page = superuser_client.get(admin_url(draft)).content.decode()
    assert 'name="loaded_version" value="1"' in page
    services.save_assessment(
        world.period, world.ks_goal, judgement="not_met", analysis="Skrivet på sidan", version=1
    )
    data = {"judgement": "met", "analysis": "Från admin", "loaded_version": 1}
    response = superuser_client.post(admin_url(draft), data, follow=True)
    assert "Någon annan har sparat detta sedan du öppnade det." in response.content.decode()
    draft.refresh_from_db()
    assert (draft.judgement, draft.analysis, draft.version) == ("not_met", "Skrivet på sidan", 2)


def test_admin_edits_a_draft_judgement_through_the_judgement_service(superuser_client, world):
    draft = Assessment.objects.create(
        goal=world.ks_goal, period=world.period, judgement="partly_met", analysis="Första", version=1
    )
    data = {"judgement": "met", "analysis": "Rättad", "loaded_version": 1, "return_comment": "ignoreras"}
    assert superuser_client.post(admin_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert (draft.judgement, draft.analysis, draft.version, draft.return_comment) == ("met", "Rättad", 2, "")
    assert draft.updated_by.username == "root"


def test_admin_add_does_not_overwrite_an_existing_value(superuser_client, world):
    before = snapshot()
    data = value_form(world.bn_value, total="1", loaded_version=0)
    response = superuser_client.post(reverse("admin:followup_indicatorvalue_add"), data)
    assert "Indikatorvärde med samma Indikator och Period finns redan." in response.content.decode()
    assert snapshot() == before


# The council's assignments and their statuses ------------------------------------------------------------


def test_admin_saves_an_assignment_status_through_the_status_writer(superuser_client, world):
    add = reverse("admin:followup_assignmentstatus_add")
    data = {
        "assignment": world.bn_assignment.pk,
        "period": world.period.pk,
        "status": "delayed",
        "comment": "Väntar på underlag.",
        "loaded_version": "0",
    }
    assert superuser_client.post(add, data).status_code == 302
    row = world.bn_assignment.statuses.get()
    assert (row.status, row.version, row.updated_by.username) == ("delayed", 1, "root")


def test_admin_writes_assignments_through_their_service_and_keeps_one_with_follow_up(superuser_client, world):
    add = reverse("admin:goals_assignment_add")
    data = {"title": "Ny utredning", "owner": world.ks.pk, "decision": "KF § 3 2026-01-26", "description": ""}
    assert superuser_client.post(add, data).status_code == 302
    made = world.ks.assignments.get()
    assert made.history.get().history_user.username == "root"
    services.set_assignment_status(world.period, world.bn_assignment, "ongoing")
    delete = reverse("admin:goals_assignment_delete", args=[world.bn_assignment.pk])
    superuser_client.post(delete, {"post": "yes"})
    assert world.bn.assignments.exists()
    refused = superuser_client.post(add, {**data, "owner": world.council.pk})
    assert refused.status_code == 200 and world.council.assignments.count() == 0


# The rows the app writes by its own rules are read in the admin, never changed -------------------------


@pytest.fixture
def mailed(world, smtp_inbox):  # noqa: F811
    """A controller's comment on BN's judgement, mailed to its editor through the SMTP server; her feed."""
    from followup.comments import add_comment
    from followup.feed import new_feed
    from followup.notices import notify_comment

    editor = world.users["editor_bn"]
    editor.email = "editor_bn@nora.example"
    editor.save()
    comment = add_comment(world.bn_assessment, world.users["controller"], "Utveckla analysen, tack.")
    assert notify_comment(comment) == 1
    return comment, new_feed(editor)


def _read_only(client, url):
    page = client.get(url)
    assert page.status_code == 200
    return page.content.decode()


def test_admin_reads_sent_mail_feeds_and_comments_without_changing_them(
    superuser_client,
    world,
    mailed,
    smtp_inbox,  # noqa: F811
):
    comment, feed = mailed
    mail = SentMail.objects.get()
    page = _read_only(superuser_client, reverse("admin:followup_sentmail_changelist"))
    assert "editor_bn@nora.example" in page and mail.subject in page
    page = _read_only(superuser_client, reverse("admin:followup_calendarfeed_changelist"))
    assert "editor_bn" in page and feed.token not in page
    assert feed.token not in _read_only(superuser_client, admin_url(feed))  # the secret is not shown
    page = _read_only(superuser_client, reverse("admin:followup_assessmentcomment_changelist"))
    assert "Utveckla analysen, tack." in page
    for obj in (mail, feed, comment):
        change = _read_only(superuser_client, admin_url(obj))
        assert 'name="_save"' not in change and admin_url(obj, "delete") not in change
        assert superuser_client.post(admin_url(obj), {}).status_code == 403
        assert superuser_client.post(admin_url(obj, "delete"), {"post": "yes"}).status_code == 403
        add = reverse(f"admin:followup_{obj._meta.model_name}_add")
        assert superuser_client.get(add).status_code == 403
    changelist = reverse("admin:followup_assessmentcomment_changelist")
    bulk = {"action": "delete_selected", "_selected_action": [comment.pk], "post": "yes"}
    superuser_client.post(changelist, bulk)
    assert list(SentMail.objects.all()) == [mail] and CalendarFeed.objects.filter(pk=feed.pk).exists()
    assert AssessmentComment.objects.filter(pk=comment.pk).exists()


def test_admin_lists_comments_in_a_fixed_number_of_queries(superuser_client, world, mailed, smtp_inbox):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from followup.comments import add_comment

    url = reverse("admin:followup_assessmentcomment_changelist")
    counts = []
    for n in (1, 10):
        for i in range(n):
            add_comment(world.bn_assessment, world.users["editor_bn"], f"Svar {n}-{i}.")
        with CaptureQueriesContext(connection) as queries:
            _read_only(superuser_client, url)
        counts.append(len(queries))
    assert counts[0] == counts[1]
