"""A report run whose worker died is not a dead end: after NORAMAL_REPORT_RUN_TIMEOUT_MINUTES without
progress it is marked failed, and the report can be started again."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import tasks
from reports.models import PublishedReport, ReportRun


@pytest.fixture
def controller_client(client, people):
    client.force_login(people.controller)
    return client


def running(period, minutes_ago, *, publish=False, people=None):
    """A run in "running" whose last progress was `minutes_ago` minutes ago (its worker gone)."""
    at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    return ReportRun.objects.create(
        kind="annual", period=period, state=ReportRun.State.RUNNING, publish=publish, started_at=at,
        progressed_at=at, step="layout", percent=40, decision="KF § 23 2027-04-26" if publish else "",
        requested_by=people.controller if people else None,
    )  # fmt: skip


def test_a_run_without_progress_past_the_timeout_is_marked_failed_when_the_page_loads(
    controller_client, nora_world, people
):
    period = nora_world["annual"]
    stuck = running(period, 16, people=people)
    alive = running(period, 14, publish=True, people=people)
    page = controller_client.get(reverse("reports:period", args=[period.pk]))
    assert page.status_code == 200
    stuck.refresh_from_db(), alive.refresh_from_db()
    assert (stuck.state, stuck.error) == ("failed", tasks.STUCK) and stuck.finished_at is not None
    assert alive.state == "running"  # 14 minutes without progress is still within the default 15
    run_page = controller_client.get(stuck.get_absolute_url()).content.decode()
    assert "kom inte vidare på 15 minuter" in run_page
    assert "Starta igen" in run_page  # the failed draft can be started again from its page


def test_a_new_request_replaces_a_stuck_run_instead_of_waiting_for_it(
    controller_client, nora_world, people, django_capture_on_commit_callbacks
):
    period = nora_world["annual"]
    stuck = running(period, 60, publish=True, people=people)
    publish_url = reverse("reports:publish", args=[period.pk, "annual"])
    with django_capture_on_commit_callbacks(execute=True):
        response = controller_client.post(publish_url, {"decision": "KF § 23 2027-04-26"})
    stuck.refresh_from_db()
    assert stuck.state == "failed"
    new = ReportRun.objects.exclude(pk=stuck.pk).get()
    assert response.url == new.get_absolute_url()
    assert new.state == "done" and new.progressed_at >= new.started_at
    assert PublishedReport.objects.get().version == 1


def test_a_run_within_the_timeout_is_still_reused(controller_client, nora_world, people, settings):
    settings.REPORT_RUN_TIMEOUT_MINUTES = 90
    period = nora_world["annual"]
    waiting = running(period, 60, people=people)
    response = controller_client.post(reverse("reports:generate", args=[period.pk, "annual"]))
    assert response.url == waiting.get_absolute_url()
    assert ReportRun.objects.get().state == "running"


def test_the_timeout_is_a_setting(nora_world, people, settings):
    settings.REPORT_RUN_TIMEOUT_MINUTES = 5
    run = running(nora_world["annual"], 6, people=people)
    assert tasks.fail_stuck_runs() == 1
    run.refresh_from_db()
    assert run.state == "failed"


def test_the_worker_clears_stuck_runs_and_a_revived_task_writes_nothing(nora_world, people):
    period = nora_world["annual"]
    stuck = running(period, 30, people=people)
    queued = ReportRun.objects.create(kind="compilation", period=period, requested_by=people.controller)
    tasks.make_report.call(queued.pk)  # the worker's next task clears the stuck run first
    stuck.refresh_from_db(), queued.refresh_from_db()
    assert stuck.state == "failed" and queued.state == "done"
    # The dead task's process comes back and reports progress: the failed run stays failed.
    with pytest.raises(tasks.RunAbandoned):
        tasks._save(stuck, step="store", percent=97)
    stuck.refresh_from_db()
    assert (stuck.state, stuck.percent) == ("failed", 40)
