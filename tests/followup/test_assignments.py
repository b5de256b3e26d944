"""The council's assignments: written by controllers, their status reported by the owner per period."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from followup import services
from followup.models import AssignmentStatus
from followup.overview import overview
from goals import assignments
from goals.deletion import DeletionRefused
from goals.models import Assignment
from tests import factories
from tests.followup.pages import form_fields, text


@pytest.fixture(autouse=True)
def _no_assignments_yet(world):
    """These tests make their own assignments: the matrix's world's one goes first."""
    world.bn_assignment.delete()


@pytest.fixture
def loose(world):
    """An assignment to BN on no goal, and one to BN on the KF goal."""
    return (
        assignments.save_assignment(
            Assignment(title="Utred skolskjutsarna", owner=world.bn, decision="KF § 12 2025-02-17"),
            by=world.users["controller"],
        ),
        assignments.save_assignment(
            Assignment(
                title="Plan för fler lärare",
                owner=world.bn,
                goal=world.kf_goal,
                due_date=datetime.date(2026, 6, 30),
            ),
            by=world.users["controller"],
        ),
    )


def sheet(world, organisation=None):
    return reverse("followup:assignments", args=[world.period.pk, (organisation or world.bn).pk])


def field(assignment, name):
    return f"r{assignment.pk}-{name}"


def test_an_assignment_needs_no_goal_and_keeps_its_history(world, loose):
    without, with_goal = loose
    assert without.goal is None and with_goal.goal == world.kf_goal
    assert without.history.get().history_user == world.users["controller"]


def test_only_controllers_write_assignments(world):
    with pytest.raises(PermissionDenied):
        assignments.save_assignment(Assignment(title="X", owner=world.bn), by=world.users["editor_bn"])
    assert not Assignment.objects.exists()


def test_the_council_gives_no_assignment_to_itself(world):
    with pytest.raises(ValidationError) as refused:
        assignments.save_assignment(Assignment(title="X", owner=world.council))
    assert "owner" in refused.value.message_dict


def test_owner_reports_the_status_on_its_sheet_and_others_do_not_see_it(client, world, as_persona, loose):
    without, with_goal = loose
    other = assignments.save_assignment(Assignment(title="KS:s uppdrag", owner=world.ks))
    as_persona("editor_bn")
    response = client.get(sheet(world))
    page = text(response)
    assert "Utred skolskjutsarna" in page and "Plan för fler lärare" in page and "KS:s uppdrag" not in page
    assert "Uppdrag utan mål" in page and "KF § 12 2025-02-17" in page and "2026-06-30" in page
    fields, _ = form_fields(response)
    fields[field(without, "status")] = "delayed"
    fields[field(without, "comment")] = "Utredaren börjar i oktober."
    assert client.post(sheet(world), fields).status_code == 302
    row = AssignmentStatus.objects.get()
    assert (row.assignment, row.status, row.comment, row.version) == (without, "delayed", row.comment, 1)
    assert row.updated_by == world.users["editor_bn"]
    assert client.get(sheet(world, world.ks)).status_code == 404
    assert not AssignmentStatus.objects.filter(assignment__in=[with_goal, other]).exists()


def test_stale_assignment_status_is_refused_and_the_other_is_shown(world, as_persona, loose):
    without = loose[0]
    anna = as_persona("editor_bn", Client())
    fields, _ = form_fields(anna.get(sheet(world)))
    controller = world.users["controller"]
    services.set_assignment_status(world.period, without, "done", "Klart i juni", by=controller)
    fields[field(without, "status")] = "ongoing"
    response = anna.post(sheet(world), fields)
    assert response.status_code == 409 and "Klart i juni" in text(response)
    assert AssignmentStatus.objects.get().status == "done"


def test_the_status_writer_refuses_another_organisations_assignment(world, loose):
    with pytest.raises(PermissionDenied):
        services.set_assignment_status(world.period, loose[0], "done", by=world.users["editor_ks"])
    with pytest.raises(ValidationError):
        services.save_assignment_statuses(
            world.period, [services.StatusEntry(loose[0].pk, "done")], organisation=world.ks
        )
    assert not AssignmentStatus.objects.exists()


def test_closed_period_refuses_assignment_statuses(world, loose):
    services.close_period(world.period)
    with pytest.raises(services.PeriodClosedError):
        services.set_assignment_status(world.period, loose[0], "done")


def test_an_assignment_with_follow_up_cannot_be_deleted(client, world, login, loose):
    without, with_goal = loose
    services.set_assignment_status(world.period, without, "ongoing")
    with pytest.raises(DeletionRefused):
        assignments.delete_assignment(without)
    login("controller")
    response = client.post(reverse("goals:assignment_delete", args=[without.pk]))
    assert response.status_code == 409 and "uppföljning" in text(response)
    assert client.post(reverse("goals:assignment_delete", args=[with_goal.pk])).status_code == 302
    assert list(Assignment.objects.all()) == [without]


def test_deleting_its_goal_keeps_the_assignment_without_a_goal(world, loose):
    goal = factories.goal(world.kf_goal, "Tillfälligt mål", owner=world.bn)
    kept = assignments.save_assignment(Assignment(title="Kvar", owner=world.bn, goal=goal))
    from goals import tree

    tree.delete_goal(goal)
    kept.refresh_from_db()
    assert kept.goal is None


def test_overview_counts_assignments_without_status(client, world, as_persona, loose):
    services.set_assignment_status(world.period, loose[0], "done")
    bn = next(row for row in overview(world.period) if row.organisation == world.bn)
    assert (bn.assignments, bn.assignment_statuses, bn.assignments_missing) == (2, 1, 1)
    as_persona("controller")
    page = text(client.get(reverse("followup:overview", args=[world.period.pk])))
    assert "1 av 2" in page and "1 utan status" in page


def test_controller_creates_edits_an_assignment_on_the_pages(client, world, login):
    login("controller")
    url = reverse("goals:goal_assignment_create", args=[world.kf_goal.pk])
    data = {
        "title": "Ta fram en lokalförsörjningsplan",
        "decision": "KF § 30 2025-04-14",
        "owner": world.ks.pk,
        "due_date": "2026-06-30",
        "goal": world.kf_goal.pk,
    }
    assert client.post(url, data).status_code == 302
    made = Assignment.objects.get()
    assert (made.goal, made.owner, made.due_date) == (world.kf_goal, world.ks, datetime.date(2026, 6, 30))
    edit = reverse("goals:assignment_edit", args=[made.pk])
    assert client.post(edit, {**data, "goal": "", "title": "Ny plan"}).status_code == 302
    made.refresh_from_db()
    assert (made.title, made.goal) == ("Ny plan", None)
    page = text(client.get(reverse("goals:assignments") + "?org=KS"))
    assert "Ny plan" in page and "Förfallodatum" in page and "Inget mål" in page


def test_assignment_pages_show_on_the_goal_and_the_workspace(client, world, login, loose):
    page = text(client.get(world.kf_goal.get_absolute_url()))
    assert "Plan för fler lärare" in page and "Utred skolskjutsarna" not in page
    login("editor_bn")
    page = text(client.get(reverse("accounts:workspace")))
    assert "Utred skolskjutsarna" in page and "Plan för fler lärare" in page


def test_assignment_list_reads_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for n in range(30):
        board = world.bn if n % 2 else world.ks
        Assignment.objects.create(title=f"Uppdrag {n}", owner=board, goal=world.kf_goal if n % 3 else None)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("goals:assignments"))
    assert text(response).count("Uppdrag ") >= 30


def test_assignment_sheet_reads_a_fixed_number_of_queries(
    client, world, as_persona, django_assert_max_num_queries
):
    for n in range(20):
        Assignment.objects.create(title=f"Uppdrag {n}", owner=world.bn, goal=world.bn_goal if n % 2 else None)
    as_persona("editor_bn")
    with django_assert_max_num_queries(12):
        response = client.get(sheet(world))
    assert text(response).count("Uppdrag ") >= 20


# The goal file's functions ----------------------------------------------------------------------------


def test_assignments_as_data_and_back(world, loose):
    rows = assignments.assignments_as_data(world.kf_goal)
    assert rows == [
        {
            "title": "Plan för fler lärare",
            "description": "",
            "decision": "",
            "owner": "BN",
            "due": "2026-06-30",
        }
    ]
    assert assignments.assignments_as_data(None)[0]["decision"] == "KF § 12 2025-02-17"
    made = assignments.create_from_data(world.bn_goal, rows)
    assert assignments.assignments_as_data(world.bn_goal) == rows
    assert made[0].goal == world.bn_goal


def test_create_from_data_names_every_bad_row_and_writes_nothing(world):
    rows = [
        {"title": "Bra", "owner": "BN", "due": "2026-06-30"},
        {"title": "Okänd ägare", "owner": "XX"},
        {"title": "Fel datum", "owner": "BN", "due": "30/6 2026"},
        "inte ett uppdrag",
    ]
    with pytest.raises(ValidationError) as refused:
        assignments.create_from_data(None, rows)
    messages = refused.value.messages
    assert len(messages) == 3
    assert "Uppdrag 2" in messages[0] and "XX" in messages[0]
    assert "Uppdrag 3" in messages[1] and "ÅÅÅÅ-MM-DD" in messages[1]
    assert "Uppdrag 4" in messages[2]
    assert not Assignment.objects.exists()
