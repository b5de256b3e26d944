"""The "Hämta från Kolada" button: the worker fetches from a Kolada stand-in and the page shows the report."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from followup.models import IndicatorValue, KoladaFetch
from tests.followup.conftest import OREBRO
from tests.followup.test_kolada import expected_from_sample
from tests.followup.test_kolada_api import stored
from tests.matrix import make_user

# The worker closes its database connections after each task, as it does in production: the tests commit.
pytestmark = pytest.mark.django_db(transaction=True)

PAGE = reverse("followup:kolada_import")
START = reverse("followup:kolada_fetch")


@pytest.fixture
def controller(client, council):
    client.force_login(make_user("controller", Membership.Role.CONTROLLER, council))
    return client


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_the_button_queues_a_fetch_that_the_worker_runs(controller, standin, n15428):
    response = controller.post(START)
    assert response.status_code == 302 and response.url == PAGE
    page = controller.get(PAGE).content.decode()
    assert "Väntar på bakgrundsjobbet" in page and 'http-equiv="refresh"' in page
    assert not IndicatorValue.objects.exists()
    run_worker()
    fetch = KoladaFetch.objects.get()
    assert fetch.state == "done" and fetch.report["imported"] == 5
    assert stored(n15428) == expected_from_sample(OREBRO)
    page = controller.get(PAGE).content.decode()
    assert "5 importerade, 0 oförändrade, 0 överhoppade" in page
    assert 'http-equiv="refresh"' not in page


def test_a_second_press_while_one_waits_starts_nothing_more(controller, standin, n15428):
    controller.post(START)
    controller.post(START)
    assert KoladaFetch.objects.count() == 1


def test_a_check_only_fetch_saves_nothing(controller, standin, n15428):
    controller.post(START, {"dry_run": "on"})
    run_worker()
    assert KoladaFetch.objects.get().report["imported"] == 5
    assert not IndicatorValue.objects.exists()
    assert "kontroll" in controller.get(PAGE).content.decode()


def test_a_failed_fetch_says_why_and_writes_nothing(controller, standin, n15428):
    standin.failures = [404]
    controller.post(START)
    run_worker()
    assert KoladaFetch.objects.get().state == "failed"
    assert not IndicatorValue.objects.exists()
    page = controller.get(PAGE).content.decode()
    assert "Misslyckades" in page and "Kolada svarade HTTP 404" in page


def test_only_controllers_may_start_a_fetch(client, db, bn):
    assert client.post(START).status_code == 302  # to the login page
    client.force_login(make_user("editor", Membership.Role.EDITOR, bn))
    assert client.post(START).status_code == 403
    assert client.get(START).status_code == 405
    assert not KoladaFetch.objects.exists()


def test_the_weekly_fetch_runs_when_due_and_plans_the_next(controller, standin, n15428, settings):
    from django_tasks_db.models import DBTaskResult

    settings.KOLADA_FETCH_DAYS = 7
    call_command("fetch_kolada", "--schedule")
    call_command("fetch_kolada", "--schedule")  # already planned: nothing more
    planned = KoladaFetch.objects.get()
    assert planned.requested_by is None and planned.is_planned
    assert timezone.now() + timedelta(days=6) < planned.scheduled_for < timezone.now() + timedelta(days=8)
    page = controller.get(PAGE).content.decode()
    assert "Veckans hämtning" in page and "Planerad till" in page and 'http-equiv="refresh"' not in page
    run_worker()  # not due yet
    assert not IndicatorValue.objects.exists()
    # A week later.
    past = timezone.now() - timedelta(minutes=1)
    DBTaskResult.objects.update(run_after=past)
    KoladaFetch.objects.update(scheduled_for=past)
    run_worker()
    assert stored(n15428) == expected_from_sample(OREBRO)
    first, following = KoladaFetch.objects.order_by("pk")
    assert first.is_done and following.is_planned
    assert following.scheduled_for > timezone.now() + timedelta(days=6)


def test_the_weekly_fetch_can_be_turned_off(settings, db, capsys):
    settings.KOLADA_FETCH_DAYS = 0
    call_command("fetch_kolada", "--schedule")
    assert "Ingen hämtning är planerad" in capsys.readouterr().out
    assert not KoladaFetch.objects.exists()
