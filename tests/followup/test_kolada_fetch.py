"""The "Hämta från Kolada" button: the worker fetches from a Kolada stand-in and the page shows the report."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from followup.models import IndicatorValue, KoladaFetch
from goals.models import Membership
from tests.followup.conftest import OREBRO
from tests.followup.test_kolada import expected_from_sample
from tests.followup.test_kolada_api import stored
from tests.matrix import make_user

PAGE = reverse("followup:kolada_import")
START = reverse("followup:kolada_fetch")


@pytest.fixture
def controller(client, council):
    client.force_login(make_user("controller", Membership.Role.CONTROLLER, council))
    return client


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_the_button_queues_a_fetch_that_the_worker_runs(
    controller, standin, n15428, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
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


def test_a_check_only_fetch_saves_nothing(controller, standin, n15428, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        controller.post(START, {"dry_run": "on"})
    run_worker()
    assert KoladaFetch.objects.get().report["imported"] == 5
    assert not IndicatorValue.objects.exists()
    assert "kontroll" in controller.get(PAGE).content.decode()


def test_a_failed_fetch_says_why_and_writes_nothing(
    controller, standin, n15428, django_capture_on_commit_callbacks
):
    standin.failures = [404]
    with django_capture_on_commit_callbacks(execute=True):
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
