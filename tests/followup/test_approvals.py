"""The controllers' approval queue ("Att godkänna") and the four-eyes rule."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Membership
from followup import services
from followup.four_eyes import CONTROLLER_EDIT
from followup.models import Assessment, ReportingPeriod
from followup.wording import judgement_label
from tests import factories
from tests.followup.pages import text
from tests.matrix import make_user

J, S = Assessment.Judgement, Assessment.State
QUEUE = reverse("followup:approvals")


def submitted(world, title, owner, *, days_ago, judgement=J.PARTLY_MET, period=None, by=None):
    """A goal of `owner` under the KF goal with a judgement submitted `days_ago` days ago."""
    goal = factories.goal(world.kf_goal, title, owner=owner)
    return Assessment.objects.create(
        goal=goal, period=period or world.period, judgement=judgement, analysis=f"Analys: {title}.",
        state=S.SUBMITTED, submitted_at=timezone.now() - datetime.timedelta(days=days_ago), submitted_by=by,
    )  # fmt: skip


def queue_order(response):
    body = response.content.decode()
    return [int(p) for p in re.findall(r'data-assessment="(\d+)"', body)]


@pytest.mark.parametrize("persona", ["reader", "editor_bn", "editor_ks"])
def test_only_controllers_have_the_queue(client, world, as_persona, persona):
    as_persona(persona)
    assert client.get(QUEUE).status_code == 403
    assert QUEUE not in client.get(reverse("goals:home")).content.decode()  # no menu item either


def test_the_queue_lists_every_submitted_judgement_oldest_first_with_its_suggestion(
    client, world, as_persona
):
    ks_old = submitted(world, "Fler bostäder i centrum", world.ks, days_ago=9)
    bn_new = submitted(world, "Fler elever läser", world.bn, days_ago=1)
    services.save_assessment(world.period, world.bn_goal, judgement=J.MET, analysis="", by=None)  # a draft
    approved = submitted(world, "Godkänd redan", world.bn, days_ago=20)
    Assessment.objects.filter(pk=approved.pk).update(state=S.APPROVED)
    closed = submitted(world, "I stängd period", world.bn, days_ago=30, period=world.closed_period)
    as_persona("controller")
    response = client.get(QUEUE)
    assert response.status_code == 200
    # The matrix world's submitted BN judgement has no submission time: it comes first (waited longest).
    assert queue_order(response) == [world.bn_assessment.pk, ks_old.pk, bn_new.pk]
    page = text(response)
    assert "Att godkänna" in page and "3 bedömningar väntar på godkännande." in page
    assert "Kommunstyrelsen (KS)" in page and "Bildningsnämnden (BN)" in page
    with translation.override("sv"):
        forecast = str(judgement_label(world.period, J.PARTLY_MET))
    assert "Beräknat förslag" in page and forecast in page
    assert closed.goal.title not in page and approved.goal.title not in page
    assert QUEUE in client.get(reverse("goals:home")).content.decode()  # the controller's menu item


def test_approving_from_the_queue_records_it_and_leaves_the_others(client, world, as_persona):
    other = submitted(world, "Fler bostäder i centrum", world.ks, days_ago=2)
    as_persona("controller")
    stored = Assessment.objects.get(pk=world.bn_assessment.pk)
    response = client.post(
        reverse("followup:approvals_approve", args=[stored.pk]), {"version": str(stored.version)}, follow=True
    )
    assert response.redirect_chain == [(QUEUE, 302)]
    assert "Godkänd: Trygg skolmiljö." in text(response)
    stored.refresh_from_db()
    assert (stored.state, stored.approved_by) == (S.APPROVED, world.users["controller"])
    assert stored.history.first().history_user == world.users["controller"]
    assert Assessment.objects.get(pk=other.pk).state == S.SUBMITTED
    assert queue_order(client.get(QUEUE)) == [other.pk]


def test_sending_back_from_the_queue_needs_a_comment(client, world, as_persona):
    as_persona("controller")
    url = reverse("followup:approvals_return", args=[world.bn_assessment.pk])
    version = str(Assessment.objects.get(pk=world.bn_assessment.pk).version)
    refused = client.post(url, {"comment": "  ", "version": version}, follow=True)
    assert "Inget skickades tillbaka" in text(refused)
    assert Assessment.objects.get(pk=world.bn_assessment.pk).state == S.SUBMITTED
    client.post(url, {"comment": "Beskriv orsakerna.", "version": version})
    stored = Assessment.objects.get(pk=world.bn_assessment.pk)
    assert (stored.state, stored.return_comment) == (S.DRAFT, "Beskriv orsakerna.")


def test_the_queue_reads_as_many_queries_for_20_judgements_as_for_2(client, world, as_persona):
    as_persona("controller")
    counts, made = [], 0
    for size in (2, 20):
        for n in range(made, size):
            owner, writer = (world.bn, "editor_bn") if n % 2 else (world.ks, "editor_ks")
            assessment = submitted(world, f"Mål {n}", owner, days_ago=n, by=world.users[writer])
            assessment.history.update(history_user=world.users[writer])
        made = size
        client.get(QUEUE)  # the session and the styrmodell's cache are warm for both
        with CaptureQueriesContext(connection) as queries:
            response = client.get(QUEUE)
        assert len(queue_order(response)) == size + 1  # and the world's own submitted judgement
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# Four eyes ------------------------------------------------------------------------------------------------


def test_a_controller_who_wrote_a_judgement_cannot_approve_it_another_can(client, world, as_persona):
    controller, admin = world.users["controller"], world.users["admin"]
    services.save_assessment(world.period, world.kf_goal, judgement=J.MET, analysis="", by=controller)
    services.submit_assessment(world.period, world.kf_goal, by=controller)
    with pytest.raises(ValidationError) as refused:
        services.approve_assessment(world.period, world.kf_goal, by=controller)
    assert "en annan controller måste godkänna den" in " ".join(refused.value.messages)
    assert Assessment.objects.get(goal=world.kf_goal).state == S.SUBMITTED
    # The queue says why, and offers no approve button for it (the board's judgement it may approve).
    as_persona("controller")
    body = client.get(QUEUE).content.decode()
    own = Assessment.objects.get(goal=world.kf_goal)
    item = body[body.index(f'data-assessment="{own.pk}"') :]
    item = item[: item.index("</li>")]
    assert "fyra ögon" in item and reverse("followup:approvals_approve", args=[own.pk]) not in item
    assert reverse("followup:approvals_approve", args=[world.bn_assessment.pk]) in body
    # Through the queue's post too: refused, with the reason.
    response = client.post(reverse("followup:approvals_approve", args=[own.pk]), follow=True)
    assert "fyra ögon" in text(response) and Assessment.objects.get(pk=own.pk).state == S.SUBMITTED
    # And on the judgement page.
    page = text(client.get(reverse("followup:assessment", args=[world.period.pk, world.kf_goal.pk])))
    assert "fyra ögon" in page and "Godkänn" not in page.replace("godkännande", "")
    # Another controller (here the admin) approves it.
    approved = services.approve_assessment(world.period, world.kf_goal, by=admin)
    assert (approved.state, approved.approved_by) == (S.APPROVED, admin)


def test_a_controllers_change_of_a_boards_draft_is_recorded_and_shown_to_the_board(client, world, as_persona):
    editor, controller = world.users["editor_bn"], world.users["controller"]
    second = make_user("controller_2", Membership.Role.CONTROLLER, world.council)
    services.save_assessment(world.period, world.bn_goal, judgement=J.NOT_MET, analysis="Utkast.", by=editor)
    services.save_assessment(
        world.period, world.bn_goal, judgement=J.PARTLY_MET, analysis="Förbättrad analys.", by=controller
    )
    history = list(Assessment.objects.get(goal=world.bn_goal).history.order_by("history_date"))
    assert [h.history_change_reason for h in history] == [None, CONTROLLER_EDIT]
    services.submit_assessment(world.period, world.bn_goal, by=editor)
    as_persona("editor_bn")
    page = text(client.get(reverse("followup:assessment", args=[world.period.pk, world.bn_goal.pk])))
    assert "Ändrad av en controller" in page and "Controller" in page
    # The controller who changed it cannot approve it; the second controller can.
    with pytest.raises(ValidationError):
        services.approve_assessment(world.period, world.bn_goal, by=controller)
    assert services.approve_assessment(world.period, world.bn_goal, by=second).state == S.APPROVED


def test_the_boards_own_changes_are_not_marked_as_a_controllers(world):
    editor = world.users["editor_bn"]
    services.save_assessment(world.period, world.bn_goal, judgement=J.NOT_MET, analysis="Utkast.", by=editor)
    services.save_assessment(world.period, world.bn_goal, judgement=J.MET, analysis="", by=editor)
    reasons = Assessment.objects.get(goal=world.bn_goal).history.values_list(
        "history_change_reason", flat=True
    )
    assert set(reasons) == {None}
    # Nor is a controller's writing of the council's own goal (its judgement is the controllers' to write).
    services.save_assessment(
        world.period, world.kf_goal, judgement=J.MET, analysis="", by=world.users["controller"]
    )
    assert Assessment.objects.get(goal=world.kf_goal).history.get().history_change_reason is None


def test_sending_back_is_not_writing(world):
    """A controller who only sent a judgement back may still approve it when it comes back unchanged."""
    controller, editor = world.users["controller"], world.users["editor_bn"]
    services.save_assessment(world.period, world.bn_goal, judgement=J.MET, analysis="", by=editor)
    services.submit_assessment(world.period, world.bn_goal, by=editor)
    services.return_assessment(world.period, world.bn_goal, comment="Motivera.", by=controller)
    services.submit_assessment(world.period, world.bn_goal, by=editor)
    assert services.approve_assessment(world.period, world.bn_goal, by=controller).state == S.APPROVED


def test_the_queue_excludes_a_closed_periods_judgements(world):
    from followup.approvals import waiting

    services.close_period(world.period)
    assert ReportingPeriod.objects.get(pk=world.period.pk).state == "closed"
    assert list(waiting()) == []
