"""The activity sheet: a status and comment per activity, with the same conflict rule as values."""

from django.test import Client
from django.urls import reverse

from followup import services
from followup.models import ActivityStatus
from tests import factories
from tests.followup.pages import form_fields, text


def url(world):
    return reverse("followup:activities", args=[world.period.pk, world.bn.pk])


def field(activity, name):
    return f"r{activity.pk}-{name}"


def test_sheet_lists_the_boards_activities_and_saves_their_status(client, world, as_persona):
    second = factories.ActivityFactory(goal=world.bn_goal_submitted, title="Trygghetsvandringar")
    as_persona("editor_bn")
    response = client.get(url(world))
    page = text(response)
    assert (
        "Läsfrämjande insatser" in page and "Trygghetsvandringar" in page and "Detaljplan Norra" not in page
    )
    fields, _ = form_fields(response)
    assert fields[field(world.bn_activity, "status")] == ActivityStatus.Status.NOT_STARTED
    fields[field(world.bn_activity, "status")] = ActivityStatus.Status.DELAYED
    fields[field(world.bn_activity, "comment")] = "Väntar på upphandling."
    assert client.post(url(world), fields).status_code == 302
    status = ActivityStatus.objects.get(activity=world.bn_activity)
    assert (status.status, status.comment, status.version) == ("delayed", "Väntar på upphandling.", 1)
    assert not ActivityStatus.objects.filter(activity=second).exists()  # untouched rows are not written


def test_unknown_status_is_refused_at_the_field(client, world, as_persona):
    as_persona("editor_bn")
    fields, _ = form_fields(client.get(url(world)))
    fields[field(world.bn_activity, "status")] = "finished"
    response = client.post(url(world), fields)
    assert (
        response.status_code == 200
        and f'id="id_{field(world.bn_activity, "status")}_error"' in response.content.decode()
    )
    assert not ActivityStatus.objects.exists()


def test_stale_status_is_refused_and_the_other_is_shown(world, as_persona):
    anna = as_persona("editor_bn", Client())
    fields, _ = form_fields(anna.get(url(world)))
    services.set_activity_status(
        world.period, world.bn_activity, "done", "Klart i juni", by=world.users["controller"]
    )
    fields[field(world.bn_activity, "status")] = "ongoing"
    response = anna.post(url(world), fields)
    assert response.status_code == 409
    assert "Klart i juni" in text(response)
    assert ActivityStatus.objects.get().status == "done"
    again, _ = form_fields(response)
    assert again[field(world.bn_activity, "status")] == "ongoing"
    assert anna.post(url(world), again).status_code == 302
    assert ActivityStatus.objects.get().status == "ongoing"


def test_closed_period_refuses_statuses(client, world, as_persona):
    as_persona("editor_bn")
    fields, _ = form_fields(client.get(url(world)))
    services.close_period(world.period)
    fields[field(world.bn_activity, "status")] = "done"
    assert client.post(url(world), fields).status_code == 409
    assert not ActivityStatus.objects.exists()
